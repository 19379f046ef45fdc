#include "storage/userrepository.h"

#include "contract/errorcodes.h"
#include "storage/database.h"
#include "storage/sql.h"

#include <QDateTime>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

const QString kColumns =
    u"id, email, display_name, role, tier, disabled, created_at, password_hash"_s;

User userFrom(const QSqlQuery &q)
{
    User user;
    user.id = q.value(0).toString();
    user.email = q.value(1).toString();
    user.displayName = q.value(2).toString();
    user.role = User::roleFromName(q.value(3).toString()).value_or(User::Role::User);
    user.tier = q.value(4).toString();
    user.disabled = q.value(5).toBool();
    user.createdAt = sql::timeFromDb(q.value(6));
    return user;
}

ApiError notFound()
{
    return ApiError { QString(errc::NotFound), u"No such user."_s, std::nullopt };
}

} // namespace

UserRepository::UserRepository(Database &database)
    : m_database(database)
{ }

Result<User> UserRepository::create(const QString &email, const QString &passwordHash,
                                    User::Role role)
{
    return create(NewUser { email, passwordHash, role, {}, u"free"_s });
}

Result<User> UserRepository::create(const NewUser &newUser)
{
    auto db = m_database.connection();
    if (!db.ok())
        return db.error();
    User user;
    user.id = sql::newId();
    user.email = newUser.email;
    user.displayName = newUser.displayName;
    user.role = newUser.role;
    user.tier = newUser.tier.isEmpty() ? u"free"_s : newUser.tier;
    user.disabled = false;
    // Millisecond precision, like the column, so the returned value equals a
    // later read.
    user.createdAt = QDateTime::fromMSecsSinceEpoch(QDateTime::currentMSecsSinceEpoch(), Qt::UTC);
    const qint64 now = user.createdAt.toMSecsSinceEpoch();

    sql::ConstraintErrors constraints;
    constraints.uniqueViolation =
        ApiError { QString(errc::EmailTaken), u"An account with this email already exists."_s,
                   std::nullopt };
    auto inserted =
        sql::exec(*db,
                  u"INSERT INTO users (id, email, password_hash, role, tier, disabled, "
                  "display_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
                  { user.id, sql::text(user.email), sql::text(newUser.passwordHash),
                    QString(User::roleName(user.role)), user.tier, false,
                    sql::text(user.displayName), now, now },
                  constraints);
    if (!inserted.ok())
        return inserted.error();
    return user;
}

Result<std::optional<UserRepository::UserRow>> UserRepository::findRow(QLatin1StringView column,
                                                                       const QString &value)
{
    auto db = m_database.connection();
    if (!db.ok())
        return db.error();
    auto q = sql::exec(*db, u"SELECT "_s + kColumns + u" FROM users WHERE "_s + column + u" = ?"_s,
                       { value });
    if (!q.ok())
        return q.error();
    if (!q.value().next())
        return std::optional<UserRow> {};
    return std::optional<UserRow> { UserRow { userFrom(q.value()),
                                              q.value().value(7).toString() } };
}

Result<std::optional<User>> UserRepository::findById(const QString &id)
{
    auto row = findRow("id"_L1, id);
    if (!row.ok())
        return row.error();
    if (!row.value())
        return std::optional<User> {};
    return std::optional<User> { row.value()->user };
}

Result<std::optional<User>> UserRepository::findUserByEmail(const QString &email)
{
    auto row = findRow("email"_L1, email);
    if (!row.ok())
        return row.error();
    if (!row.value())
        return std::optional<User> {};
    return std::optional<User> { row.value()->user };
}

Result<std::optional<StoredCredentials>> UserRepository::findByEmail(const QString &email)
{
    auto row = findRow("email"_L1, email);
    if (!row.ok())
        return row.error();
    if (!row.value())
        return std::optional<StoredCredentials> {};
    const User &user = row.value()->user;
    StoredCredentials credentials;
    credentials.account =
        AccountSnapshot { user.id, QString(User::roleName(user.role)), user.disabled };
    credentials.passwordHash = row.value()->passwordHash;
    return std::optional<StoredCredentials> { credentials };
}

Result<std::optional<AccountSnapshot>> UserRepository::findAccount(const QString &userId)
{
    auto db = m_database.connection();
    if (!db.ok())
        return db.error();
    auto q = sql::exec(*db, u"SELECT role, disabled FROM users WHERE id = ?"_s, { userId });
    if (!q.ok())
        return q.error();
    if (!q.value().next())
        return std::optional<AccountSnapshot> {};
    return std::optional<AccountSnapshot> { AccountSnapshot { userId, q.value().value(0).toString(),
                                                              q.value().value(1).toBool() } };
}

Status UserRepository::updateColumn(const QString &id, const QString &assignment,
                                    const QVariant &value)
{
    auto db = m_database.connection();
    if (!db.ok())
        return db.error();
    auto changed = sql::execUpdate(
        *db, u"UPDATE users SET "_s + assignment + u", updated_at = ? WHERE id = ?"_s,
        { value, QDateTime::currentMSecsSinceEpoch(), id });
    if (!changed.ok())
        return changed.error();
    if (changed.value() == 0)
        return notFound();
    return Done {};
}

Status UserRepository::setPasswordHash(const QString &id, const QString &passwordHash)
{
    return updateColumn(id, u"password_hash = ?"_s, sql::text(passwordHash));
}

Status UserRepository::updatePasswordHash(const QString &userId, const QString &passwordHash)
{
    return setPasswordHash(userId, passwordHash);
}

Status UserRepository::setDisabled(const QString &id, bool disabled)
{
    return updateColumn(id, u"disabled = ?"_s, disabled);
}

Status UserRepository::setRole(const QString &id, User::Role role)
{
    return updateColumn(id, u"role = ?"_s, QString(User::roleName(role)));
}

Status UserRepository::setTier(const QString &id, const QString &tier)
{
    return updateColumn(id, u"tier = ?"_s, sql::text(tier));
}

Status UserRepository::setDisplayName(const QString &id, const QString &displayName)
{
    return updateColumn(id, u"display_name = ?"_s, sql::text(displayName));
}

Result<qint64> UserRepository::count()
{
    auto db = m_database.connection();
    if (!db.ok())
        return db.error();
    auto q = sql::exec(*db, u"SELECT COUNT(*) FROM users"_s);
    if (!q.ok())
        return q.error();
    if (!q.value().next())
        return sql::internalError();
    return q.value().value(0).toLongLong();
}

} // namespace parlance
