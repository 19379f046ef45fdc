#include "storage/sql.h"

#include "contract/errorcodes.h"
#include "storage/sqlitewritelock.h"
#include "storage/storagelog.h"

#include <QRandomGenerator>
#include <QScopeGuard>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlField>
#include <QUuid>

#include <array>

using namespace Qt::StringLiterals;

namespace parlance::sql {

namespace {

// Statements are logged shortened to their first line; they never contain
// values (those are bound), so they are safe to log.
QString statementForLog(const QString &statement)
{
    QString text = statement.simplified();
    if (text.size() > 200)
        text = text.first(200) + u'…';
    return text;
}

std::optional<ApiError> mapFailure(const QSqlDatabase &db, const QSqlError &error,
                                   const QString &statement, const ConstraintErrors &constraints)
{
    const SqlDialect dialect = dialectOf(db);
    if (constraints.uniqueViolation && dialect.isUniqueViolation(error))
        return constraints.uniqueViolation;
    if (constraints.foreignKeyViolation && dialect.isForeignKeyViolation(error))
        return constraints.foreignKeyViolation;
    qCWarning(lcStorage).noquote()
        << "query failed:" << error.nativeErrorCode() << error.databaseText() << error.driverText()
        << "in:" << statementForLog(statement);
    if (dialect.isConnectionLost(error)) {
        dropStatementCache(db);
        QSqlDatabase handle = db;
        handle.close(); // Database::connection() reopens it on the next call
    }
    return std::nullopt;
}

// Mirrors Qt's own rule (QSqlResultPrivate::isVariantNull): a null QString or
// QByteArray is SQL NULL.
bool isNullValue(const QVariant &value)
{
    if (value.isNull())
        return true;
    switch (value.typeId()) {
    case QMetaType::QString:
        return value.toString().isNull();
    case QMetaType::QByteArray:
        return value.toByteArray().isNull();
    default:
        return false;
    }
}

// PostgreSQL: QPSQL emulates prepare() with PREPARE, EXECUTE and DEALLOCATE,
// three round trips per statement, and its EXECUTE carries the values as
// literals made by the driver's formatValue(). We make the same literals with
// the same function and send one statement: the same escaping in one round
// trip. '?' inside quotes or comments is left alone. nullopt when the number
// of placeholders and values differ.
std::optional<QString> inlineValues(const QSqlDatabase &db, const QString &statement,
                                    const QVariantList &values)
{
    QString out;
    out.reserve(statement.size() + 32 * values.size());
    qsizetype next = 0;
    const qsizetype n = statement.size();
    qsizetype i = 0;
    while (i < n) {
        const QChar c = statement[i];
        qsizetype end = i + 1;
        if (c == u'\'' || c == u'"') {
            const qsizetype close = statement.indexOf(c, i + 1);
            end = close < 0 ? n : close + 1;
        } else if (c == u'-' && i + 1 < n && statement[i + 1] == u'-') {
            const qsizetype nl = statement.indexOf(u'\n', i);
            end = nl < 0 ? n : nl + 1;
        } else if (c == u'/' && i + 1 < n && statement[i + 1] == u'*') {
            const qsizetype close = statement.indexOf(u"*/", i + 2);
            end = close < 0 ? n : close + 2;
        } else if (c == u'?') {
            if (next >= values.size())
                return std::nullopt;
            const QVariant &value = values[next++];
            QSqlField field(QString(), value.metaType());
            if (isNullValue(value))
                field.clear();
            else
                field.setValue(value);
            out += db.driver()->formatValue(field);
            i = end;
            continue;
        }
        out += QStringView(statement).sliced(i, end - i);
        i = end;
    }
    if (next != values.size())
        return std::nullopt;
    return out;
}

// PARLANCE_STATEMENT_CACHE=0 turns the cache off (every statement prepared
// anew, PostgreSQL values inlined): for comparing in benchmarks and for
// ruling the cache out when diagnosing.
bool statementCacheEnabled()
{
    static const bool enabled = qEnvironmentVariable("PARLANCE_STATEMENT_CACHE") != "0"_L1;
    return enabled;
}

} // namespace

ApiError internalError()
{
    return ApiError { QString(errc::Internal), u"The server could not complete the request."_s,
                      std::nullopt };
}

Result<Query> exec(const QSqlDatabase &db, const QString &statement, const QVariantList &values,
                   const ConstraintErrors &constraints)
{
    QRecursiveMutex *writeLock = SqliteWriteLock::forConnection(db);
    if (writeLock && SqliteWriteLock::isWriteStatement(statement))
        writeLock->lock();
    else
        writeLock = nullptr;
    const auto unlock = qScopeGuard([writeLock] {
        if (writeLock)
            writeLock->unlock();
    });

    const bool postgres = db.driverName() == "QPSQL"_L1;
    // QPSQL turns '?' into $n without knowing about comments, so statements
    // with comments keep the unprepared path there.
    const bool cacheable = statementCacheEnabled() && isCacheableStatement(statement)
        && (!postgres || (!statement.contains(u"--"_s) && !statement.contains(u"/*"_s)));
    if (!cacheable) {
        QSqlQuery query(db);
        query.setForwardOnly(forwardOnlyFor(db));
        if (postgres) {
            const auto inlined = inlineValues(db, statement, values);
            if (!inlined) {
                qCWarning(lcStorage).noquote()
                    << "placeholders and values differ in:" << statementForLog(statement);
                return internalError();
            }
            if (!query.exec(*inlined)) {
                // Log the statement with placeholders, never the inlined values.
                if (auto mapped = mapFailure(db, query.lastError(), statement, constraints))
                    return *mapped;
                return internalError();
            }
            return Query(std::move(query));
        }
        if (!query.prepare(statement)) {
            if (auto mapped = mapFailure(db, query.lastError(), statement, constraints))
                return *mapped;
            return internalError();
        }
        for (const QVariant &value : values)
            query.addBindValue(value);
        if (!query.exec()) {
            if (auto mapped = mapFailure(db, query.lastError(), statement, constraints))
                return *mapped;
            return internalError();
        }
        return Query(std::move(query));
    }

    Query query = StatementCache::forConnection(db)->take(db, statement);
    QSqlQuery &raw = query.raw();
    if (raw.lastError().isValid()) { // the prepare failed
        query.forget();
        if (auto mapped = mapFailure(db, raw.lastError(), statement, constraints))
            return *mapped;
        return internalError();
    }
    // A reused statement keeps the previous values of positions not bound
    // again, so the count is checked here rather than by the driver.
    if (query.placeholderCount() != values.size()) {
        qCWarning(lcStorage).noquote()
            << "placeholders and values differ in:" << statementForLog(statement);
        return internalError();
    }
    for (qsizetype i = 0; i < values.size(); ++i)
        raw.bindValue(int(i), values[i]);
    if (!raw.exec()) {
        auto mapped = mapFailure(db, raw.lastError(), statement, constraints);
        // Never reused after a failure: QSQLite's next exec() sees the error
        // again from sqlite3_reset() and finalizes the statement, and QPSQL
        // reports it again too. (On PostgreSQL dropping it sends DEALLOCATE,
        // which fails inside an aborted transaction: the server frees that
        // statement when the session ends.)
        query.forget();
        if (mapped)
            return *mapped;
        return internalError();
    }
    return query;
}

Result<int> execUpdate(const QSqlDatabase &db, const QString &statement, const QVariantList &values,
                       const ConstraintErrors &constraints)
{
    auto query = exec(db, statement, values, constraints);
    if (!query.ok())
        return query.error();
    return query.value().numRowsAffected();
}

Status execRaw(const QSqlDatabase &db, const QString &statement)
{
    QRecursiveMutex *writeLock = SqliteWriteLock::forConnection(db);
    if (writeLock && SqliteWriteLock::isWriteStatement(statement))
        writeLock->lock();
    else
        writeLock = nullptr;
    const auto unlock = qScopeGuard([writeLock] {
        if (writeLock)
            writeLock->unlock();
    });
    QSqlQuery query(db);
    if (!query.exec(statement)) {
        if (auto mapped = mapFailure(db, query.lastError(), statement, {}))
            return *mapped;
        return internalError();
    }
    return Done {};
}

void dropStatementCache(const QSqlDatabase &db)
{
    StatementCache::drop(db);
}

SqlDialect dialectOf(const QSqlDatabase &db)
{
    return db.driverName() == "QPSQL"_L1 ? SqlDialect(SqlDialect::Kind::PostgreSql)
                                         : SqlDialect(SqlDialect::Kind::Sqlite);
}

QVariant toDb(const QDateTime &when)
{
    if (!when.isValid())
        return QVariant(QMetaType::fromType<qint64>());
    return QVariant::fromValue<qint64>(when.toMSecsSinceEpoch());
}

QVariant toDb(const std::optional<QDateTime> &when)
{
    return when ? toDb(*when) : QVariant(QMetaType::fromType<qint64>());
}

QDateTime timeFromDb(const QVariant &value)
{
    if (value.isNull())
        return {};
    return QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

std::optional<QDateTime> optionalTimeFromDb(const QVariant &value)
{
    if (value.isNull())
        return std::nullopt;
    return timeFromDb(value);
}

QVariant nullIfEmpty(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

QVariant text(const QString &text)
{
    return text.isNull() ? QVariant(QStringLiteral("")) : QVariant(text);
}

QString newId()
{
    // RFC 9562 §5.7: unix_ts_ms (48) | ver (4) = 7 | rand_a (12) | var (2) = 10 | rand_b (62)
    const quint64 ms = quint64(QDateTime::currentMSecsSinceEpoch());
    std::array<quint32, 3> random {};
    QRandomGenerator::global()->fillRange(random.data(), random.size());
    std::array<uchar, 16> b {};
    for (int i = 0; i < 6; ++i)
        b[size_t(i)] = uchar(ms >> (40 - 8 * i));
    b[6] = uchar(0x70 | (random[0] & 0x0f));
    b[7] = uchar(random[0] >> 8);
    b[8] = uchar(0x80 | ((random[0] >> 16) & 0x3f));
    b[9] = uchar(random[0] >> 24);
    for (int i = 0; i < 4; ++i) {
        b[size_t(10 + i)] = uchar(random[1] >> (8 * i));
    }
    b[14] = uchar(random[2]);
    b[15] = uchar(random[2] >> 8);
    return QUuid::fromRfc4122(QByteArrayView(b.data(), qsizetype(b.size())))
        .toString(QUuid::WithoutBraces);
}

} // namespace parlance::sql
