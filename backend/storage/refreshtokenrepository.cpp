#include "storage/refreshtokenrepository.h"

#include "storage/database.h"
#include "storage/sql.h"
#include "storage/transaction.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

const QString kInsert =
    u"INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, created_at, expires_at, "
    "family_expires_at, used_at, replaced_by, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s;

QVariantList insertValues(const RefreshTokenRecord &r)
{
    return { r.id,
             r.familyId,
             r.userId,
             r.tokenHash,
             sql::toDb(r.createdAt),
             sql::toDb(r.expiresAt),
             sql::toDb(r.familyExpiresAt),
             sql::toDb(r.usedAt),
             sql::nullIfEmpty(r.replacedBy),
             sql::toDb(r.revokedAt) };
}

} // namespace

RefreshTokenRepository::RefreshTokenRepository(Database &database)
    : m_database(database)
{ }

Result<std::optional<RefreshTokenRecord>>
RefreshTokenRepository::findByHash(const QByteArray &tokenHash)
{
    auto db = m_database.connection();
    if (!db.ok())
        return db.error();
    auto q = sql::exec(*db,
                       u"SELECT id, family_id, user_id, token_hash, created_at, expires_at, "
                       "family_expires_at, used_at, replaced_by, revoked_at "
                       "FROM refresh_tokens WHERE token_hash = ?"_s,
                       { tokenHash });
    if (!q.ok())
        return q.error();
    sql::Query &query = q.value();
    if (!query.next())
        return std::optional<RefreshTokenRecord> {};
    RefreshTokenRecord r;
    r.id = query.value(0).toString();
    r.familyId = query.value(1).toString();
    r.userId = query.value(2).toString();
    r.tokenHash = query.value(3).toByteArray();
    r.createdAt = sql::timeFromDb(query.value(4));
    r.expiresAt = sql::timeFromDb(query.value(5));
    r.familyExpiresAt = sql::timeFromDb(query.value(6));
    r.usedAt = sql::optionalTimeFromDb(query.value(7));
    r.replacedBy = query.value(8).toString();
    r.revokedAt = sql::optionalTimeFromDb(query.value(9));
    return std::optional<RefreshTokenRecord> { r };
}

Status RefreshTokenRepository::insert(const RefreshTokenRecord &record)
{
    auto db = m_database.connection();
    if (!db.ok())
        return db.error();
    auto inserted = sql::exec(*db, kInsert, insertValues(record));
    if (!inserted.ok())
        return inserted.error();
    return Done {};
}

Result<bool> RefreshTokenRepository::rotate(const QString &usedId,
                                            const RefreshTokenRecord &replacement,
                                            const QDateTime &at)
{
    auto db = m_database.connection();
    if (!db.ok())
        return db.error();
    Transaction tx(*db);
    if (auto begun = tx.begin(); !begun.ok())
        return begun.error();
    // The condition is the lock: on PostgreSQL the second UPDATE waits for the
    // first transaction's row lock, then re-checks used_at and matches nothing;
    // on SQLite BEGIN IMMEDIATE serialises the writers.
    auto marked = sql::execUpdate(*db,
                                  u"UPDATE refresh_tokens SET used_at = ?, replaced_by = ? "
                                  "WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL"_s,
                                  { sql::toDb(at), replacement.id, usedId });
    if (!marked.ok())
        return marked.error();
    if (marked.value() != 1)
        return false; // tx rolls back; nothing written
    if (auto inserted = sql::exec(*db, kInsert, insertValues(replacement)); !inserted.ok())
        return inserted.error();
    if (auto committed = tx.commit(); !committed.ok())
        return committed.error();
    return true;
}

Result<int> RefreshTokenRepository::revokeFamily(const QString &familyId, const QDateTime &at)
{
    auto db = m_database.connection();
    if (!db.ok())
        return db.error();
    return sql::execUpdate(*db,
                           u"UPDATE refresh_tokens SET revoked_at = ? "
                           "WHERE family_id = ? AND revoked_at IS NULL"_s,
                           { sql::toDb(at), familyId });
}

Result<int> RefreshTokenRepository::revokeAllForUser(const QString &userId, const QDateTime &at)
{
    auto db = m_database.connection();
    if (!db.ok())
        return db.error();
    return sql::execUpdate(*db,
                           u"UPDATE refresh_tokens SET revoked_at = ? "
                           "WHERE user_id = ? AND revoked_at IS NULL"_s,
                           { sql::toDb(at), userId });
}

Result<int> RefreshTokenRepository::purgeExpired(const QDateTime &before)
{
    auto db = m_database.connection();
    if (!db.ok())
        return db.error();
    return sql::execUpdate(*db, u"DELETE FROM refresh_tokens WHERE family_expires_at < ?"_s,
                           { sql::toDb(before) });
}

} // namespace parlance
