#pragma once

#include "common/result.h"
#include "storage/sqldialect.h"
#include "storage/statementcache.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariant>
#include <QVariantList>

#include <optional>

namespace parlance::sql {

// What a constraint violation means to the caller. Unset: the violation is a
// bug (internal_error, logged). Set: returned as is (not logged as an error),
// e.g. a duplicate email becomes email_taken.
struct ConstraintErrors
{
    std::optional<ApiError> uniqueViolation;
    std::optional<ApiError> foreignKeyViolation;
};

// internal_error with a generic message: details go to the log, never to the
// client.
[[nodiscard]] ApiError internalError();

// Prepares `statement` ('?' placeholders), binds `values` in order, executes.
// On failure logs the driver's error text and the statement (never the bound
// values) under parlance.storage and returns internal_error (or the mapped
// constraint error). A PostgreSQL connection that was lost is closed, so the
// next Database::connection() reopens it.
// SELECT/INSERT/UPDATE/DELETE/WITH statements are prepared once per
// connection and kept (StatementCache): the returned Query gives its
// statement back when destroyed. On PostgreSQL they are server-side prepared
// statements (QPSQL's PREPARE/EXECUTE, one round trip per execution once
// prepared); statements with comments and other kinds run unprepared.
// Read the query forward with next() (SQLite: forward-only; PostgreSQL: the
// whole result arrives at once, forwardOnlyFor()). Finish or destroy it before COMMIT: SQLite
// refuses to commit while a SELECT is still being read.
[[nodiscard]] Result<Query> exec(const QSqlDatabase &db, const QString &statement,
                                 const QVariantList &values = {},
                                 const ConstraintErrors &constraints = {});

// exec() for INSERT/UPDATE/DELETE: the number of rows changed.
[[nodiscard]] Result<int> execUpdate(const QSqlDatabase &db, const QString &statement,
                                     const QVariantList &values = {},
                                     const ConstraintErrors &constraints = {});

// Runs a statement without preparing it (DDL, PRAGMA, SET, BEGIN).
[[nodiscard]] Status execRaw(const QSqlDatabase &db, const QString &statement);

// Forgets the connection's cached statements; call before closing it (a
// reopened connection has none of them).
void dropStatementCache(const QSqlDatabase &db);

// The dialect of a connection opened by Database, from its driver name.
[[nodiscard]] SqlDialect dialectOf(const QSqlDatabase &db);

// ---- Values. One representation in both dialects (docs/storage.md): ----
// times are INTEGER/BIGINT milliseconds since the Unix epoch, UTC; ids are
// TEXT UUIDs; booleans are bound as bool (INTEGER 0/1 in SQLite, BOOLEAN in
// PostgreSQL); binary is BLOB/BYTEA.

// Milliseconds since the epoch; a null QVariant for an invalid QDateTime.
[[nodiscard]] QVariant toDb(const QDateTime &when);
[[nodiscard]] QVariant toDb(const std::optional<QDateTime> &when);
// An invalid QDateTime (UTC otherwise) from a NULL column.
[[nodiscard]] QDateTime timeFromDb(const QVariant &value);
[[nodiscard]] std::optional<QDateTime> optionalTimeFromDb(const QVariant &value);
// Empty QString -> NULL; NULL -> empty QString.
[[nodiscard]] QVariant nullIfEmpty(const QString &text);
// For NOT NULL text columns: Qt binds a null QString as SQL NULL, so a
// default-constructed QString becomes '' here.
[[nodiscard]] QVariant text(const QString &text);

// A new row id: a UUID version 7 (48-bit millisecond timestamp, then random
// bits) as 36 lower-case characters. Time-ordered ids keep B-tree inserts at
// the right edge of the index. Ids are not secrets: they reveal their creation
// time, so never use one as a bearer token.
[[nodiscard]] QString newId();

} // namespace parlance::sql
