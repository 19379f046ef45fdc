#pragma once

#include "auth/argon2phc.h"
#include "common/result.h"

#include <QString>
#include <QStringView>

namespace parlance {

// Argon2id password hashing (libargon2). Each call costs the configured
// memory and time on the calling thread: call it from the worker pool, never
// from an event-loop thread. Instances are immutable and safe to share
// between threads.
//
// Passwords are normalised to Unicode NFKC before hashing (NIST SP 800-63B
// §5.1.1.2) so the same password typed on another keyboard or OS still
// matches; then they are hashed as UTF-8.
class PasswordHasher
{
public:
    // Longer passwords are refused before hashing (see PasswordPolicy).
    static constexpr qsizetype MaxPasswordBytes = 1024;
    static constexpr qsizetype SaltBytes = 16;
    static constexpr qsizetype HashBytes = 32;

    // Validates the parameters and prepares the dummy hash verifyDummy() uses,
    // which costs one hash at start-up.
    [[nodiscard]] static Result<PasswordHasher> create(Argon2Params params = {});

    // A PHC string with a fresh random salt. weak_password when the password
    // is longer than MaxPasswordBytes, internal_error if hashing fails.
    [[nodiscard]] Result<QString> hash(const QString &password) const;

    // Done when the password matches; invalid_credentials when it does not
    // (compared in constant time); internal_error when the stored string is
    // not a hash we can read.
    [[nodiscard]] Status verify(const QString &password, QStringView encoded) const;

    // True when `encoded` was made with other parameters (or salt/hash
    // lengths) than the current ones, or cannot be read: after a successful
    // verify(), hash the password again and store the new string.
    [[nodiscard]] bool needsRehash(QStringView encoded) const;

    // Costs what verify() costs and always fails. Call it when the account
    // does not exist (or has no password) so that answer takes as long as a
    // wrong password and does not reveal which emails are registered.
    void verifyDummy(const QString &password) const;

    [[nodiscard]] const Argon2Params &params() const { return m_params; }

private:
    PasswordHasher(Argon2Params params, Argon2Phc dummy);
    [[nodiscard]] Status verifyAgainst(const QString &password, const Argon2Phc &stored) const;

    Argon2Params m_params;
    Argon2Phc m_dummy;
};

} // namespace parlance
