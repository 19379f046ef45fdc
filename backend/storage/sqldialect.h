#pragma once

#include <QLatin1StringView>
#include <QString>
#include <QStringList>
#include <QStringView>

class QSqlError;

namespace parlance {

// Everything that differs between SQLite and PostgreSQL lives here, so that
// repositories write one SQL text and ask the dialect for the few fragments
// that differ. Both dialects share: '?' placeholders, RETURNING (SQLite 3.35+),
// INSERT … ON CONFLICT (SQLite 3.24+), LIMIT/OFFSET, CURRENT_TIMESTAMP-free
// schemas (times are INTEGER/BIGINT milliseconds bound from C++).
class SqlDialect
{
public:
    enum class Kind { Sqlite, PostgreSql };

    constexpr SqlDialect(Kind kind = Kind::Sqlite)
        : m_kind(kind)
    { }

    [[nodiscard]] constexpr Kind kind() const { return m_kind; }
    [[nodiscard]] constexpr bool isSqlite() const { return m_kind == Kind::Sqlite; }
    [[nodiscard]] constexpr bool isPostgreSql() const { return m_kind == Kind::PostgreSql; }
    [[nodiscard]] constexpr bool operator==(const SqlDialect &) const = default;

    // "sqlite" / "postgresql": the folder under :/migrations/.
    [[nodiscard]] QLatin1StringView name() const;
    // "QSQLITE" / "QPSQL".
    [[nodiscard]] QLatin1StringView driverName() const;

    // Starts a transaction that will write. SQLite: BEGIN IMMEDIATE takes the
    // write lock up front, so a read-then-write transaction waits (busy_timeout)
    // instead of failing with SQLITE_BUSY when it upgrades.
    [[nodiscard]] QString beginTransaction() const;

    // "1"/"0" on SQLite (INTEGER columns), "TRUE"/"FALSE" on PostgreSQL
    // (BOOLEAN columns). Bound QVariant(bool) values work on both.
    [[nodiscard]] QString boolLiteral(bool value) const;

    // Current time as milliseconds since the epoch (UTC), as an SQL
    // expression. Prefer binding times from C++ (testable clocks); this is
    // for defaults and maintenance statements.
    [[nodiscard]] QString nowMillis() const;

    // "ON CONFLICT (a, b) DO NOTHING".
    [[nodiscard]] QString onConflictDoNothing(const QStringList &conflictColumns) const;
    // "ON CONFLICT (a, b) DO UPDATE SET x = excluded.x, y = excluded.y".
    [[nodiscard]] QString onConflictUpdate(const QStringList &conflictColumns,
                                           const QStringList &updateColumns) const;

    // A case-insensitive substring match of `column` against one bound
    // parameter made with likePattern(): SQLite `LIKE` (ASCII case folding
    // only), PostgreSQL `ILIKE` (full Unicode case folding).
    [[nodiscard]] QString containsInsensitive(QStringView column) const;
    // "%text%" with %, _ and \ escaped (ESCAPE '\').
    [[nodiscard]] static QString likePattern(QStringView text);

    // Joins a short list of values into one text column (conversations.tag_list):
    // only for values that cannot hold it, or the text is ambiguous.
    static constexpr QChar ListSeparator = u'\n';

    // " FOR UPDATE OF <table>" on PostgreSQL, "" on SQLite (whose write
    // transactions hold the database lock from BEGIN IMMEDIATE): ends a
    // SELECT that reads a row the transaction is about to change, so a
    // concurrent writer waits for the lock and then reads the changed row.
    [[nodiscard]] QString forUpdateOf(QStringView table) const;

    // Classifies a driver error: SQLITE_CONSTRAINT_UNIQUE / PRIMARYKEY and
    // SQLSTATE 23505; SQLITE_CONSTRAINT_FOREIGNKEY and SQLSTATE 23503.
    [[nodiscard]] bool isUniqueViolation(const QSqlError &error) const;
    [[nodiscard]] bool isForeignKeyViolation(const QSqlError &error) const;
    // The connection is gone (PostgreSQL restarted, network cut): the
    // connection should be reopened before the next use.
    [[nodiscard]] bool isConnectionLost(const QSqlError &error) const;

private:
    Kind m_kind;
};

} // namespace parlance
