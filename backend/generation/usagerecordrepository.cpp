#include "generation/usagerecordrepository.h"

#include "storage/database.h"
#include "storage/sql.h"

#include <QSqlQuery>
#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace parlance {

UsageRecordRepository::UsageRecordRepository(Database &db)
    : m_db(db)
{ }

Status UsageRecordRepository::insertIn(const QSqlDatabase &db, UsageRecord &record)
{
    if (record.id.isEmpty())
        record.id = sql::newId();
    if (!record.createdAt.isValid()) {
        record.createdAt =
            QDateTime::fromMSecsSinceEpoch(QDateTime::currentMSecsSinceEpoch(), Qt::UTC);
    }
    auto inserted = sql::execUpdate(
        db,
        u"INSERT INTO usage_records (id, user_id, message_id, model, deployment, "
        u"input_tokens, output_tokens, cached_tokens, cost_micros, estimated, status, "
        u"created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
        { record.id, record.userId, record.messageId, sql::text(record.model),
          sql::text(record.deployment), record.usage.inputTokens, record.usage.outputTokens,
          record.usage.cachedTokens, record.usage.costMicros, record.usage.estimated,
          sql::text(record.status), sql::toDb(record.createdAt) });
    if (!inserted)
        return inserted.error();
    return Done {};
}

Result<QList<UsageRecord>> UsageRecordRepository::listForUser(const QString &userId, int limit)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    auto query =
        sql::exec(*db,
                  u"SELECT id, message_id, model, deployment, input_tokens, output_tokens, "
                  u"cached_tokens, cost_micros, estimated, status, created_at "
                  u"FROM usage_records WHERE user_id = ? "
                  u"ORDER BY created_at DESC, id DESC LIMIT ?"_s,
                  { userId, qBound(1, limit, 1000) });
    if (!query)
        return query.error();
    sql::Query rows = std::move(query).value();
    QList<UsageRecord> out;
    while (rows.next()) {
        UsageRecord r;
        r.id = rows.value(0).toString();
        r.userId = userId;
        r.messageId = rows.value(1).toString();
        r.model = rows.value(2).toString();
        r.deployment = rows.value(3).toString();
        r.usage.inputTokens = rows.value(4).toLongLong();
        r.usage.outputTokens = rows.value(5).toLongLong();
        r.usage.cachedTokens = rows.value(6).toLongLong();
        r.usage.costMicros = rows.value(7).toLongLong();
        r.usage.estimated = rows.value(8).toBool();
        r.status = rows.value(9).toString();
        r.createdAt = sql::timeFromDb(rows.value(10));
        out.append(r);
    }
    return out;
}

Result<UsageTotals> UsageRecordRepository::totalsSince(const QString &userId,
                                                       const QDateTime &since)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    // SUM over BIGINT is NUMERIC on PostgreSQL: cast back so both drivers
    // hand out integers.
    auto query =
        sql::exec(*db,
                  u"SELECT CAST(COALESCE(SUM(input_tokens + output_tokens), 0) AS BIGINT), "
                  u"COUNT(*), CAST(COALESCE(SUM(cost_micros), 0) AS BIGINT) "
                  u"FROM usage_records WHERE user_id = ? AND created_at >= ?"_s,
                  { userId, sql::toDb(since) });
    if (!query)
        return query.error();
    sql::Query rows = std::move(query).value();
    UsageTotals out;
    if (rows.next()) {
        out.tokens = rows.value(0).toLongLong();
        out.messages = rows.value(1).toLongLong();
        out.costMicros = rows.value(2).toLongLong();
    }
    return out;
}

} // namespace parlance
