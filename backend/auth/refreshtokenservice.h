#pragma once

#include "auth/accountlookup.h"
#include "auth/authclock.h"
#include "auth/refreshtokenpolicy.h"
#include "auth/refreshtokenstore.h"
#include "common/result.h"

#include <QByteArray>
#include <QString>
#include <QStringView>

#include <optional>

namespace parlance {

struct IssuedRefreshToken
{
    QString token; // give to the client once; only its hash is kept
    RefreshTokenRecord record;
};

struct RefreshRotation
{
    IssuedRefreshToken next;
    AccountSnapshot account; // current role for the new access token
};

// Refresh tokens: 32 random bytes (base64url, 43 characters), stored as
// SHA-256, rotated on every use; presenting a used token revokes its family
// (RFC 9700 §4.14.2). Clients must not refresh concurrently with the same
// token: the loser is treated as reuse and the session ends.
// All calls block on the store: run them on a worker thread. The service
// keeps no state of its own, so it is as thread-safe as its store and lookup.
class RefreshTokenService
{
public:
    static constexpr int TokenBytes = 32;

    RefreshTokenService(RefreshTokenStore &store, AccountLookup &accounts,
                        RefreshTokenSettings settings = {}, WallClock clock = systemWallClock());

    // A new session (family) for a user who just proved who they are.
    [[nodiscard]] Result<IssuedRefreshToken> startSession(const QString &userId);

    // Exchanges a refresh token for its successor, or fails with the policy's
    // error: invalid_token (unknown, malformed, revoked, account gone),
    // token_reused (family now revoked), token_expired, account_disabled.
    [[nodiscard]] Result<RefreshRotation> rotate(QStringView presentedToken);

    // Logout: revokes the presented token's family. Unknown or malformed
    // tokens are not an error, so logging out twice is harmless.
    [[nodiscard]] Status endSession(QStringView presentedToken);

    // Password change, account disabled, "sign out everywhere".
    [[nodiscard]] Status endAllSessions(const QString &userId);

    // SHA-256 of the token's 32 bytes; nullopt unless the token is exactly
    // 43 characters of strict base64url.
    [[nodiscard]] static std::optional<QByteArray> hashToken(QStringView token);

    [[nodiscard]] const RefreshTokenPolicy &policy() const { return m_policy; }

private:
    [[nodiscard]] Result<IssuedRefreshToken> mint();

    RefreshTokenStore &m_store;
    AccountLookup &m_accounts;
    RefreshTokenPolicy m_policy;
    WallClock m_clock;
};

} // namespace parlance
