#include "auth/authservice.h"

#include "auth/authlog.h"
#include "auth/credentialstore.h"
#include "auth/emailaddress.h"
#include "auth/loginthrottle.h"
#include "auth/passwordhasher.h"
#include "contract/errorcodes.h"

using namespace Qt::StringLiterals;

namespace parlance {

AuthService::AuthService(const PasswordHasher &hasher, LoginThrottle &throttle,
                         CredentialStore &credentials, RefreshTokenService &refreshTokens,
                         const AccessTokenService &accessTokens)
    : m_hasher(hasher)
    , m_throttle(throttle)
    , m_credentials(credentials)
    , m_refreshTokens(refreshTokens)
    , m_accessTokens(accessTokens)
{ }

Result<SignedIn> AuthService::signIn(const QString &email, const QString &password,
                                     const QString &addressKey)
{
    // Whether an address is well-formed is public knowledge; answering that
    // quickly reveals nothing about which accounts exist.
    const auto normalised = EmailAddress::normalise(email);
    if (!normalised)
        return normalised.error();

    if (auto admitted = m_throttle.admit(*normalised, addressKey); !admitted)
        return admitted.error();

    const auto found = m_credentials.findByEmail(*normalised);
    if (!found)
        return found.error();
    if (!found->has_value() || (*found)->passwordHash.isEmpty()) {
        m_hasher.verifyDummy(password);
        return ApiError { QString(errc::InvalidCredentials),
                          u"The email address or password is not correct."_s,
                          {} };
    }
    const StoredCredentials &stored = **found;
    if (auto verified = m_hasher.verify(password, stored.passwordHash); !verified)
        return verified.error();

    m_throttle.succeeded(*normalised, addressKey);
    if (stored.account.disabled)
        return ApiError { QString(errc::AccountDisabled),
                          u"This account has been disabled."_s,
                          {} };

    if (m_hasher.needsRehash(stored.passwordHash)) {
        // Best effort: the sign-in succeeds even if the upgrade has to wait.
        auto rehashed = m_hasher.hash(password);
        const Status saved = rehashed
            ? m_credentials.updatePasswordHash(stored.account.userId, *rehashed)
            : Status(rehashed.error());
        if (!saved) {
            qCWarning(lcAuth) << "Could not upgrade the password hash of user"
                              << stored.account.userId << ":" << saved.error().code;
        }
    }

    auto refresh = m_refreshTokens.startSession(stored.account.userId);
    if (!refresh)
        return refresh.error();
    return tokensFor(stored.account, std::move(refresh).value());
}

Result<SignedIn> AuthService::refresh(QStringView refreshToken)
{
    auto rotated = m_refreshTokens.rotate(refreshToken);
    if (!rotated)
        return rotated.error();
    RefreshRotation rotation = std::move(rotated).value();
    return tokensFor(rotation.account, std::move(rotation.next));
}

Status AuthService::signOut(QStringView refreshToken)
{
    return m_refreshTokens.endSession(refreshToken);
}

Result<SignedIn> AuthService::tokensFor(const AccountSnapshot &account, IssuedRefreshToken refresh)
{
    auto access = m_accessTokens.issue(account.userId, account.role);
    if (!access)
        return access.error();
    return SignedIn { account, std::move(access).value(), std::move(refresh) };
}

} // namespace parlance
