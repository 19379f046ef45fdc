#pragma once

#include "common/result.h"

#include <QString>

namespace parlance {

struct PasswordPolicySettings
{
    // Ten characters: above the common floor of eight, since a password is the
    // only factor here, without the fifteen that makes people write it down.
    // Counted in Unicode code points after NFKC, as the hasher sees them.
    int minCharacters = 10;
    // Bounds the work a registration can ask for; the hasher enforces the same
    // limit, so it can only be lowered here.
    int maxBytes = 1024;
};

// What a new password must satisfy. Length is what matters (NIST SP 800-63B),
// so there are no composition rules; the checks only turn away passwords that
// are trivially guessable for this very account.
class PasswordPolicy
{
public:
    explicit PasswordPolicy(PasswordPolicySettings settings = {});

    // Done, or weak_password with a message the user can act on. `email` is
    // the account's address (normalised or not); the password may not equal
    // it or its local part.
    [[nodiscard]] Status check(const QString &password, const QString &email = {}) const;

    [[nodiscard]] const PasswordPolicySettings &settings() const { return m_settings; }

private:
    PasswordPolicySettings m_settings;
};

} // namespace parlance
