#pragma once

#include "auth/accesstokenservice.h"
#include "auth/passwordhasher.h"
#include "auth/passwordpolicy.h"
#include "auth/refreshtokenpolicy.h"
#include "auth/refreshtokenservice.h"
#include "common/result.h"
#include "domain/user.h"

#include <QJsonObject>
#include <QString>

#include <memory>

namespace parlance {

class Database;
class LoginThrottle;

// What the client gets after registering, signing in, refreshing or changing
// its password: the account and a fresh token pair.
struct Session
{
    User user;
    IssuedAccessToken access;
    IssuedRefreshToken refresh;

    // {"user", "access_token", "token_type":"Bearer", "expires_in",
    //  "refresh_token", "refresh_expires_in"}; lifetimes in whole seconds
    // from issue, as OAuth 2.0 responses give them (docs/auth.md).
    [[nodiscard]] QJsonObject toJson() const;
};

struct AccountSettings
{
    Argon2Params argon2;
    PasswordPolicySettings passwordPolicy;
    RefreshTokenSettings refreshTokens;
};

// The account use cases behind /api/v1/auth/* and `parlanced user ...`, on
// top of the auth building blocks (AuthService for sign-in, refresh and
// sign-out) and the users/refresh_tokens repositories.
//
// Blocking (Argon2, the database): call every method on a worker thread.
// Thread-safe: the hasher, policy and token services are immutable, the
// throttle is thread-safe, and repositories are made per call on the calling
// thread's connection.
class AccountService
{
public:
    // internal_error / invalid_field when the settings are refused (the
    // hasher computes its dummy hash here, which costs one Argon2 run).
    // `accessTokens` and `throttle` may be null for the administration calls
    // alone (createUser, setRole, setDisabled), as `parlanced user` does.
    [[nodiscard]] static Result<std::shared_ptr<AccountService>>
    create(Database &database, std::shared_ptr<const AccessTokenService> accessTokens,
           std::shared_ptr<LoginThrottle> throttle, const AccountSettings &settings);

    // invalid_field (email, display name), weak_password (the rule broken),
    // email_taken (409). Signs the new account in.
    [[nodiscard]] Result<Session> registerAccount(const QString &email, const QString &password,
                                                  const QString &displayName,
                                                  const QString &addressKey);
    // See AuthService::signIn.
    [[nodiscard]] Result<Session> signIn(const QString &email, const QString &password,
                                         const QString &addressKey);
    // Rotates the refresh token; see RefreshTokenService::rotate for errors.
    [[nodiscard]] Result<Session> refresh(const QString &refreshToken);
    // Ends the token's session (family); unknown tokens are fine.
    [[nodiscard]] Status signOut(const QString &refreshToken);
    // not_found when the account is gone; account_disabled when disabled.
    [[nodiscard]] Result<User> currentUser(const QString &userId);
    // Checks the current password (throttled like a sign-in, so a stolen
    // access token cannot be used to guess it), applies the policy to the new
    // one, stores it, ends every session of the account and starts a new one.
    [[nodiscard]] Result<Session> changePassword(const QString &userId,
                                                 const QString &currentPassword,
                                                 const QString &newPassword,
                                                 const QString &addressKey);

    // Administration (the `parlanced user` commands). Emails are normalised.
    [[nodiscard]] Result<User> createUser(const QString &email, const QString &password,
                                          User::Role role, const QString &displayName = {});
    [[nodiscard]] Result<User> setRole(const QString &email, User::Role role);
    // Disabling also ends every session of the account.
    [[nodiscard]] Result<User> setDisabled(const QString &email, bool disabled);

    [[nodiscard]] const AccessTokenService &accessTokens() const { return *m_accessTokens; }

private:
    AccountService(Database &database, std::shared_ptr<const AccessTokenService> accessTokens,
                   std::shared_ptr<LoginThrottle> throttle, PasswordHasher hasher,
                   const AccountSettings &settings);

    [[nodiscard]] Result<QString> validatedHash(const QString &email,
                                                const QString &password) const;
    [[nodiscard]] Result<Session> sessionFor(const QString &userId,
                                             IssuedRefreshToken refresh) const;
    [[nodiscard]] Result<User> userByEmail(const QString &email);

    Database &m_database;
    std::shared_ptr<const AccessTokenService> m_accessTokens;
    std::shared_ptr<LoginThrottle> m_throttle;
    PasswordHasher m_hasher;
    PasswordPolicy m_policy;
    RefreshTokenSettings m_refreshSettings;
};

} // namespace parlance
