#include "storage/sqldialect.h"

#include <QSqlError>

using namespace Qt::StringLiterals;

namespace parlance {

QLatin1StringView SqlDialect::name() const
{
    return isSqlite() ? "sqlite"_L1 : "postgresql"_L1;
}

QLatin1StringView SqlDialect::driverName() const
{
    return isSqlite() ? "QSQLITE"_L1 : "QPSQL"_L1;
}

QString SqlDialect::beginTransaction() const
{
    return isSqlite() ? u"BEGIN IMMEDIATE"_s : u"BEGIN"_s;
}

QString SqlDialect::boolLiteral(bool value) const
{
    if (isSqlite())
        return value ? u"1"_s : u"0"_s;
    return value ? u"TRUE"_s : u"FALSE"_s;
}

QString SqlDialect::nowMillis() const
{
    // julianday() has millisecond resolution on every SQLite we support
    // (unixepoch('subsec') needs 3.42, Debian 12 has 3.40).
    if (isSqlite())
        return u"CAST(ROUND((julianday('now') - 2440587.5) * 86400000.0) AS INTEGER)"_s;
    return u"CAST(FLOOR(EXTRACT(EPOCH FROM clock_timestamp()) * 1000) AS BIGINT)"_s;
}

QString SqlDialect::onConflictDoNothing(const QStringList &conflictColumns) const
{
    return u"ON CONFLICT ("_s + conflictColumns.join(u", "_s) + u") DO NOTHING"_s;
}

QString SqlDialect::onConflictUpdate(const QStringList &conflictColumns,
                                     const QStringList &updateColumns) const
{
    QStringList sets;
    sets.reserve(updateColumns.size());
    for (const QString &column : updateColumns)
        sets.append(column + u" = excluded."_s + column);
    return u"ON CONFLICT ("_s + conflictColumns.join(u", "_s) + u") DO UPDATE SET "_s
        + sets.join(u", "_s);
}

QString SqlDialect::containsInsensitive(QStringView column) const
{
    const QString op = isSqlite() ? u" LIKE "_s : u" ILIKE "_s;
    return column.toString() + op + u"? ESCAPE '\\'"_s;
}

QString SqlDialect::likePattern(QStringView text)
{
    QString pattern;
    pattern.reserve(text.size() + 4);
    pattern.append(u'%');
    for (const QChar c : text) {
        if (c == u'%' || c == u'_' || c == u'\\')
            pattern.append(u'\\');
        pattern.append(c);
    }
    pattern.append(u'%');
    return pattern;
}

QString SqlDialect::forUpdateOf(QStringView table) const
{
    return isSqlite() ? QString() : u" FOR UPDATE OF "_s + table.toString();
}

namespace {

// QSQLITE reports the primary result code (19, SQLITE_CONSTRAINT) or the
// extended one depending on the call that failed, so the message text decides
// which constraint it was; SQLite's texts have been stable since 3.8.
bool sqliteConstraint(const QSqlError &error, QLatin1StringView kind)
{
    const QString text = error.databaseText();
    return text.contains(kind, Qt::CaseInsensitive) && text.contains("constraint failed"_L1);
}

} // namespace

bool SqlDialect::isUniqueViolation(const QSqlError &error) const
{
    if (error.type() == QSqlError::NoError)
        return false;
    if (isSqlite())
        return sqliteConstraint(error, "UNIQUE"_L1) || sqliteConstraint(error, "PRIMARY KEY"_L1)
            || error.nativeErrorCode() == "2067"_L1 || error.nativeErrorCode() == "1555"_L1;
    return error.nativeErrorCode() == "23505"_L1;
}

bool SqlDialect::isForeignKeyViolation(const QSqlError &error) const
{
    if (error.type() == QSqlError::NoError)
        return false;
    if (isSqlite())
        return sqliteConstraint(error, "FOREIGN KEY"_L1) || error.nativeErrorCode() == "787"_L1;
    return error.nativeErrorCode() == "23503"_L1;
}

bool SqlDialect::isConnectionLost(const QSqlError &error) const
{
    if (isSqlite() || error.type() == QSqlError::NoError)
        return false;
    const QString state = error.nativeErrorCode();
    // Class 08: connection exception; 57P01..57P03: the server is shutting
    // down or restarting. QPSQL leaves the state empty when libpq lost the
    // socket before any result arrived.
    return state.isEmpty() || state.startsWith("08"_L1) || state.startsWith("57P"_L1);
}

} // namespace parlance
