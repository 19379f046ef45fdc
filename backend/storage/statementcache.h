#pragma once

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include <memory>

namespace parlance::sql {

class StatementCache;

// The result of sql::exec: a QSqlQuery read forward that, when destroyed,
// is reset and handed back to its connection's statement cache, so the next
// exec() of the same SQL on that connection skips the prepare. Move-only,
// because a second copy of a cached query would be re-executed under the
// first one's feet. Read it like a QSqlQuery (next(), value()); functions
// that take `const QSqlQuery &` accept it.
class Query
{
public:
    Query() = default;
    explicit Query(QSqlQuery query);
    ~Query();
    Query(Query &&other) noexcept;
    Query &operator=(Query &&other) noexcept;
    Query(const Query &) = delete;
    Query &operator=(const Query &) = delete;

    bool next() { return m_query.next(); }
    [[nodiscard]] QVariant value(int index) const { return m_query.value(index); }
    [[nodiscard]] QVariant value(const QString &name) const { return m_query.value(name); }
    [[nodiscard]] int numRowsAffected() const { return m_query.numRowsAffected(); }
    [[nodiscard]] bool isActive() const { return m_query.isActive(); }
    // Resets the statement now (SQLite: ends its read of the database), e.g.
    // before COMMIT while the Query is still in scope.
    void finish() { m_query.finish(); }

    [[nodiscard]] const QSqlQuery &query() const { return m_query; }
    operator const QSqlQuery &() const { return m_query; } // NOLINT: reads like one

    // For sql::exec: binding and executing.
    [[nodiscard]] QSqlQuery &raw() { return m_query; }
    // The number of '?' placeholders (counted when it was prepared).
    [[nodiscard]] qsizetype placeholderCount() const { return m_placeholders; }
    // Not returned to the cache (e.g. after a failed exec).
    void forget() { m_home.reset(); }

private:
    friend class StatementCache;
    void release();

    QSqlQuery m_query;
    std::weak_ptr<StatementCache> m_home; // null: not cacheable
    QString m_statement;
    qsizetype m_placeholders = 0;
};

// Prepared statements of one connection, keyed by SQL text, least recently
// used evicted beyond Capacity. A statement is taken out while a Query uses
// it and put back when that Query ends, so two live Queries never share a
// statement (the same SQL executed while its cached statement is out is
// prepared once more, and that extra statement is dropped on return).
//
// One cache per QSqlDatabase connection, stored per thread like the
// connections themselves (Database opens one per thread). Closing or
// reopening a connection invalidates its statements, so every close must
// call drop() first (Database and sql::exec's lost-connection path do).
class StatementCache : public std::enable_shared_from_this<StatementCache>
{
public:
    static constexpr int Capacity = 128;

    // The calling thread's cache for `db`; created on first use.
    [[nodiscard]] static std::shared_ptr<StatementCache> forConnection(const QSqlDatabase &db);
    // Forgets `db`'s cached statements (finalized now, while the connection
    // is still open); Queries still out are destroyed instead of returned.
    static void drop(const QSqlDatabase &db);

    // A prepared statement for `statement`, from the cache or new; an
    // invalid (inactive, unprepared) QSqlQuery with lastError() when the
    // prepare fails.
    [[nodiscard]] Query take(const QSqlDatabase &db, const QString &statement);

    // For tests: statements held right now (not counting those taken).
    [[nodiscard]] int size() const;

    StatementCache();
    ~StatementCache();
    StatementCache(const StatementCache &) = delete;
    StatementCache &operator=(const StatementCache &) = delete;

private:
    friend class Query;
    void giveBack(Query &query);

    struct Entry;
    struct Data;
    std::unique_ptr<Data> d;
};

// Whether sql::exec reads `db`'s results forward-only: true on SQLite, false
// on PostgreSQL (whole result sets, see the definition). Either way callers
// read a Query with next() only.
[[nodiscard]] bool forwardOnlyFor(const QSqlDatabase &db);
// '?' placeholders outside quotes and comments.
[[nodiscard]] qsizetype countPlaceholders(QStringView statement);
// Only plain DML is worth keeping (and QPSQL can only PREPARE that):
// SELECT, INSERT, UPDATE, DELETE, WITH.
[[nodiscard]] bool isCacheableStatement(QStringView statement);

} // namespace parlance::sql
