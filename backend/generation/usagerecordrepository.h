#pragma once

#include "common/result.h"
#include "domain/usage.h"

#include <QDateTime>
#include <QList>
#include <QString>

class QSqlDatabase;

namespace parlance {

class Database;

// What one finished generation cost, for billing and quotas. Written once
// per assistant message (the message id is unique), in the same transaction
// as the message itself.
struct UsageRecord
{
    QString id;
    QString userId;
    QString messageId;
    QString model;
    QString deployment;
    Usage usage; // tokens, cost (micros), estimated
    QString status; // complete, stopped, interrupted, error
    QDateTime createdAt;
};

// Sums over a user's records in a time window (GET /user/usage).
struct UsageTotals
{
    qint64 tokens = 0; // input + output (cached input is part of input)
    qint64 messages = 0; // records, i.e. answers
    qint64 costMicros = 0;
};

// The usage_records table (migration 0003). Blocking: worker threads only.
class UsageRecordRepository
{
public:
    explicit UsageRecordRepository(Database &db);

    // Inserts on a connection inside the caller's transaction: an answer and
    // its record are written together (MessageRepository's AlongsideWrite),
    // so no answer is ever stored without what it cost. `record.id` and
    // `createdAt` are filled when empty / invalid.
    [[nodiscard]] static Status insertIn(const QSqlDatabase &db, UsageRecord &record);
    // The caller's records, newest first (for the usage page and tests).
    [[nodiscard]] Result<QList<UsageRecord>> listForUser(const QString &userId, int limit = 100);
    // The caller's totals for records created at or after `since`.
    [[nodiscard]] Result<UsageTotals> totalsSince(const QString &userId, const QDateTime &since);

private:
    Database &m_db;
};

} // namespace parlance
