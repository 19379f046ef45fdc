#include "auth/accountservice.h"

#include "auth/authlog.h"
#include "auth/authservice.h"
#include "auth/emailaddress.h"
#include "auth/loginthrottle.h"
#include "contract/errorcodes.h"
#include "storage/database.h"
#include "storage/refreshtokenrepository.h"
#include "storage/transaction.h"
#include "storage/userrepository.h"

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

constexpr qsizetype MaxDisplayNameLength = 100;

ApiError invalidField(const QString &message)
{
    return ApiError { QString(errc::InvalidField), message, {} };
}

// Trimmed; at most 100 characters and no control characters, since the name
// is shown in other people's views (shared pages, the admin console).
Result<QString> displayNameFrom(const QString &input)
{
    const QString name = input.trimmed();
    if (name.size() > MaxDisplayNameLength)
        return invalidField(
            u"\"display_name\" must be at most %1 characters."_s.arg(MaxDisplayNameLength));
    for (QChar c : name) {
        if (c.category() == QChar::Other_Control)
            return invalidField(u"\"display_name\" must not contain control characters."_s);
    }
    return name;
}

qint64 secondsBetween(const QDateTime &from, const QDateTime &to)
{
    return std::max<qint64>(0, from.secsTo(to));
}

} // namespace

QJsonObject Session::toJson() const
{
    return QJsonObject {
        { u"user"_s, user.toJson() },
        { u"access_token"_s, access.token },
        { u"token_type"_s, u"Bearer"_s },
        { u"expires_in"_s, secondsBetween(access.claims.issuedAt, access.claims.expiresAt) },
        { u"refresh_token"_s, refresh.token },
        { u"refresh_expires_in"_s,
          secondsBetween(refresh.record.createdAt, refresh.record.expiresAt) },
    };
}

Result<std::shared_ptr<AccountService>>
AccountService::create(Database &database, std::shared_ptr<const AccessTokenService> accessTokens,
                       std::shared_ptr<LoginThrottle> throttle, const AccountSettings &settings)
{
    if (auto valid = settings.refreshTokens.validate(); !valid)
        return valid.error();
    auto hasher = PasswordHasher::create(settings.argon2);
    if (!hasher)
        return hasher.error();
    return std::shared_ptr<AccountService>(new AccountService(database, std::move(accessTokens),
                                                              std::move(throttle),
                                                              std::move(hasher).value(), settings));
}

AccountService::AccountService(Database &database,
                               std::shared_ptr<const AccessTokenService> accessTokens,
                               std::shared_ptr<LoginThrottle> throttle, PasswordHasher hasher,
                               const AccountSettings &settings)
    : m_database(database)
    , m_accessTokens(std::move(accessTokens))
    , m_throttle(std::move(throttle))
    , m_hasher(std::move(hasher))
    , m_policy(settings.passwordPolicy)
    , m_refreshSettings(settings.refreshTokens)
{ }

Result<QString> AccountService::validatedHash(const QString &email, const QString &password) const
{
    if (auto strong = m_policy.check(password, email); !strong)
        return strong.error();
    return m_hasher.hash(password);
}

Result<Session> AccountService::sessionFor(const QString &userId, IssuedRefreshToken refresh) const
{
    UserRepository users(m_database);
    auto user = users.findById(userId);
    if (!user)
        return user.error();
    if (!user->has_value())
        return ApiError { QString(errc::InvalidToken), u"The account no longer exists."_s, {} };
    auto access = m_accessTokens->issue(userId, QString(User::roleName((*user)->role)));
    if (!access)
        return access.error();
    return Session { **user, std::move(access).value(), std::move(refresh) };
}

Result<Session> AccountService::registerAccount(const QString &email, const QString &password,
                                                const QString &displayName,
                                                const QString &addressKey)
{
    Q_UNUSED(addressKey); // registration is not throttled per address yet (docs/auth.md)
    const auto normalised = EmailAddress::normalise(email);
    if (!normalised)
        return normalised.error();
    const auto name = displayNameFrom(displayName);
    if (!name)
        return name.error();
    auto hash = validatedHash(*normalised, password);
    if (!hash)
        return hash.error();

    UserRepository users(m_database);
    RefreshTokenRepository tokens(m_database);
    RefreshTokenService refreshTokens(tokens, users, m_refreshSettings);
    auto db = m_database.connection();
    if (!db)
        return db.error();
    // The account and its first session together: a crash in between must not
    // leave an account whose sign-up the client saw fail.
    Transaction tx(*db);
    if (auto begun = tx.begin(); !begun)
        return begun.error();
    UserRepository::NewUser draft;
    draft.email = *normalised;
    draft.passwordHash = *hash;
    draft.displayName = *name;
    auto created = users.create(draft);
    if (!created)
        return created.error();
    auto refresh = refreshTokens.startSession(created->id);
    if (!refresh)
        return refresh.error();
    if (auto committed = tx.commit(); !committed)
        return committed.error();
    qCInfo(lcAuth) << "Registered user" << created->id;
    auto access = m_accessTokens->issue(created->id, QString(User::roleName(created->role)));
    if (!access)
        return access.error();
    return Session { std::move(created).value(), std::move(access).value(),
                     std::move(refresh).value() };
}

Result<Session> AccountService::signIn(const QString &email, const QString &password,
                                       const QString &addressKey)
{
    UserRepository users(m_database);
    RefreshTokenRepository tokens(m_database);
    RefreshTokenService refreshTokens(tokens, users, m_refreshSettings);
    AuthService auth(m_hasher, *m_throttle, users, refreshTokens, *m_accessTokens);
    auto signedIn = auth.signIn(email, password, addressKey);
    if (!signedIn)
        return signedIn.error();
    return sessionFor(signedIn->account.userId, std::move(signedIn).value().refresh);
}

Result<Session> AccountService::refresh(const QString &refreshToken)
{
    UserRepository users(m_database);
    RefreshTokenRepository tokens(m_database);
    RefreshTokenService refreshTokens(tokens, users, m_refreshSettings);
    auto rotated = refreshTokens.rotate(refreshToken);
    if (!rotated)
        return rotated.error();
    return sessionFor(rotated->account.userId, std::move(rotated).value().next);
}

Status AccountService::signOut(const QString &refreshToken)
{
    UserRepository users(m_database);
    RefreshTokenRepository tokens(m_database);
    return RefreshTokenService(tokens, users, m_refreshSettings).endSession(refreshToken);
}

Result<User> AccountService::currentUser(const QString &userId)
{
    UserRepository users(m_database);
    auto user = users.findById(userId);
    if (!user)
        return user.error();
    if (!user->has_value())
        return ApiError { QString(errc::NotFound), u"The account no longer exists."_s, {} };
    if ((*user)->disabled)
        return ApiError { QString(errc::AccountDisabled),
                          u"This account has been disabled."_s,
                          {} };
    return **user;
}

Result<Session> AccountService::changePassword(const QString &userId,
                                               const QString &currentPassword,
                                               const QString &newPassword,
                                               const QString &addressKey)
{
    auto user = currentUser(userId);
    if (!user)
        return user.error();
    if (auto admitted = m_throttle->admit(user->email, addressKey); !admitted)
        return admitted.error();
    UserRepository users(m_database);
    auto stored = users.findByEmail(user->email);
    if (!stored)
        return stored.error();
    if (!stored->has_value() || (*stored)->passwordHash.isEmpty()) {
        m_hasher.verifyDummy(currentPassword);
        return ApiError { QString(errc::InvalidCredentials),
                          u"The current password is not correct."_s,
                          {} };
    }
    if (auto verified = m_hasher.verify(currentPassword, (*stored)->passwordHash); !verified) {
        if (verified.error().code == errc::InvalidCredentials)
            return ApiError { QString(errc::InvalidCredentials),
                              u"The current password is not correct."_s,
                              {} };
        return verified.error();
    }
    m_throttle->succeeded(user->email, addressKey);
    auto hash = validatedHash(user->email, newPassword);
    if (!hash)
        return hash.error();

    RefreshTokenRepository tokens(m_database);
    RefreshTokenService refreshTokens(tokens, users, m_refreshSettings);
    auto db = m_database.connection();
    if (!db)
        return db.error();
    // New hash, every old session ended, one new session: all or nothing.
    Transaction tx(*db);
    if (auto begun = tx.begin(); !begun)
        return begun.error();
    if (auto saved = users.setPasswordHash(userId, *hash); !saved)
        return saved.error();
    if (auto ended = refreshTokens.endAllSessions(userId); !ended)
        return ended.error();
    auto refresh = refreshTokens.startSession(userId);
    if (!refresh)
        return refresh.error();
    if (auto committed = tx.commit(); !committed)
        return committed.error();
    qCInfo(lcAuth) << "Password changed for user" << userId << "; other sessions ended";
    return sessionFor(userId, std::move(refresh).value());
}

Result<User> AccountService::createUser(const QString &email, const QString &password,
                                        User::Role role, const QString &displayName)
{
    const auto normalised = EmailAddress::normalise(email);
    if (!normalised)
        return normalised.error();
    const auto name = displayNameFrom(displayName);
    if (!name)
        return name.error();
    auto hash = validatedHash(*normalised, password);
    if (!hash)
        return hash.error();
    UserRepository::NewUser draft;
    draft.email = *normalised;
    draft.passwordHash = *hash;
    draft.role = role;
    draft.displayName = *name;
    return UserRepository(m_database).create(draft);
}

Result<User> AccountService::userByEmail(const QString &email)
{
    const auto normalised = EmailAddress::normalise(email);
    if (!normalised)
        return normalised.error();
    auto found = UserRepository(m_database).findUserByEmail(*normalised);
    if (!found)
        return found.error();
    if (!found->has_value())
        return ApiError { QString(errc::NotFound),
                          u"No user has the email %1."_s.arg(*normalised),
                          {} };
    return **found;
}

Result<User> AccountService::setRole(const QString &email, User::Role role)
{
    auto user = userByEmail(email);
    if (!user)
        return user.error();
    if (auto saved = UserRepository(m_database).setRole(user->id, role); !saved)
        return saved.error();
    user.value().role = role;
    return user;
}

Result<User> AccountService::setDisabled(const QString &email, bool disabled)
{
    auto user = userByEmail(email);
    if (!user)
        return user.error();
    UserRepository users(m_database);
    if (auto saved = users.setDisabled(user->id, disabled); !saved)
        return saved.error();
    if (disabled) {
        RefreshTokenRepository tokens(m_database);
        if (auto ended =
                RefreshTokenService(tokens, users, m_refreshSettings).endAllSessions(user->id);
            !ended)
            return ended.error();
    }
    user.value().disabled = disabled;
    return user;
}

} // namespace parlance
