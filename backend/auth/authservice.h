#pragma once

#include "auth/accesstokenservice.h"
#include "auth/accountlookup.h"
#include "auth/refreshtokenservice.h"
#include "common/result.h"

#include <QString>
#include <QStringView>

namespace parlance {

class CredentialStore;
class LoginThrottle;
class PasswordHasher;

// What a successful sign-in or refresh hands to the client.
struct SignedIn
{
    AccountSnapshot account;
    IssuedAccessToken access;
    IssuedRefreshToken refresh;
};

// Sign-in, refresh and sign-out, in the order that keeps them safe:
// the throttle before any hashing, a dummy hash for unknown emails so both
// failures cost the same, the disabled check only after the password proved
// right (so it reveals nothing to a guesser), the throttle reset on success,
// and a transparent re-hash when the Argon2 parameters have changed.
//
// Blocking (Argon2, the stores): call it on a worker thread. It holds
// references only; all parts it uses are thread-safe or per-thread.
class AuthService
{
public:
    AuthService(const PasswordHasher &hasher, LoginThrottle &throttle, CredentialStore &credentials,
                RefreshTokenService &refreshTokens, const AccessTokenService &accessTokens);

    // invalid_field for a malformed email, too_many_attempts (429 with
    // retry_after), invalid_credentials for an unknown email or a wrong
    // password alike, account_disabled, or an internal/storage error.
    // `addressKey` is LoginThrottle::addressKey() of the client.
    [[nodiscard]] Result<SignedIn> signIn(const QString &email, const QString &password,
                                          const QString &addressKey);

    // Rotates the refresh token and issues a new access token with the
    // account's current role. Errors as RefreshTokenService::rotate.
    [[nodiscard]] Result<SignedIn> refresh(QStringView refreshToken);

    // Ends the session the refresh token belongs to; harmless if repeated.
    [[nodiscard]] Status signOut(QStringView refreshToken);

private:
    [[nodiscard]] Result<SignedIn> tokensFor(const AccountSnapshot &account,
                                             IssuedRefreshToken refresh);

    const PasswordHasher &m_hasher;
    LoginThrottle &m_throttle;
    CredentialStore &m_credentials;
    RefreshTokenService &m_refreshTokens;
    const AccessTokenService &m_accessTokens;
};

} // namespace parlance
