#pragma once

#include "auth/accountlookup.h"
#include "auth/refreshtokenstore.h"
#include "common/result.h"

#include <QDateTime>

#include <chrono>
#include <optional>

namespace parlance {

struct RefreshTokenSettings
{
    // A session left unused this long ends: each rotation starts it afresh.
    std::chrono::seconds lifetime { std::chrono::hours(24 * 30) };
    // However active, a session ends this long after sign-in.
    std::chrono::seconds familyLifetime { std::chrono::hours(24 * 90) };

    // invalid_field unless 1 min <= lifetime <= familyLifetime <= 400 days.
    [[nodiscard]] Status validate() const;
};

// What happens to a presented refresh token, in order of precedence.
enum class RefreshVerdict {
    Rotate, // issue a successor
    Revoked, // the session was ended (logout, reuse, password change)
    Reused, // already rotated once: the token was copied; end the family
    Expired, // past its own or its family's end
    AccountGone, // the account no longer exists; end the family
    AccountDisabled, // the account is disabled; end the family
};

// The rules of refresh-token rotation, free of storage and time sources so
// every case can be tested on its own. RefreshTokenService applies them.
class RefreshTokenPolicy
{
public:
    explicit RefreshTokenPolicy(RefreshTokenSettings settings = {});

    // `account` is the current state of presented.userId (nullopt: deleted).
    [[nodiscard]] RefreshVerdict judge(const RefreshTokenRecord &presented,
                                       const std::optional<AccountSnapshot> &account,
                                       const QDateTime &now) const;

    // Whether the verdict must revoke the token's whole family.
    [[nodiscard]] static bool revokesFamily(RefreshVerdict verdict);
    // The error a refused refresh answers with; invalid_token, token_reused,
    // token_expired or account_disabled. Not meaningful for Rotate.
    [[nodiscard]] static ApiError errorFor(RefreshVerdict verdict);

    // The record of the first token of a new sign-in.
    [[nodiscard]] RefreshTokenRecord
    firstOfFamily(const QString &userId, const QByteArray &tokenHash, const QDateTime &now) const;
    // The record of the token that replaces `used`.
    [[nodiscard]] RefreshTokenRecord successorOf(const RefreshTokenRecord &used,
                                                 const QByteArray &tokenHash,
                                                 const QDateTime &now) const;

    [[nodiscard]] const RefreshTokenSettings &settings() const { return m_settings; }

private:
    RefreshTokenSettings m_settings;
};

} // namespace parlance
