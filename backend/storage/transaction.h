#pragma once

#include "common/result.h"
#include "storage/database.h"
#include "storage/sqldialect.h"

#include <QRecursiveMutex>
#include <QSqlDatabase>

#include <type_traits>
#include <utility>

namespace parlance {

// A transaction on one connection, rolled back unless commit() succeeded.
//
//   auto db = database.connection(); if (!db.ok()) return db.error();
//   Transaction tx(*db);
//   if (auto s = tx.begin(); !s.ok()) return s.error();
//   ... sql::exec(*db, …) ...   (finish every SELECT before commit)
//   if (auto s = tx.commit(); !s.ok()) return s.error();
//
// SQLite transactions take the write lock at begin (BEGIN IMMEDIATE), so two
// read-modify-write transactions serialise instead of one failing with
// SQLITE_BUSY. Not nestable: one Transaction per connection at a time.
class Transaction
{
public:
    explicit Transaction(QSqlDatabase db);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    [[nodiscard]] Status begin();
    [[nodiscard]] Status commit();
    void rollback();

    [[nodiscard]] bool isActive() const { return m_active; }
    [[nodiscard]] const QSqlDatabase &db() const { return m_db; }

private:
    void releaseWriteLock();

    QSqlDatabase m_db;
    SqlDialect m_dialect;
    QRecursiveMutex *m_writeLock = nullptr; // SQLite: held from begin() to commit/rollback
    bool m_active = false;
};

namespace sql {

// The calling thread's connection, a Transaction around `fn(db)`, committed
// when fn returns a value and rolled back when it returns an error:
//
//   return sql::withTransaction(m_db, [&](const QSqlDatabase &db) -> Result<Foo> {
//       ... sql::exec(db, …) ...
//       return foo;
//   });
//
// fn returns a Result<T> or a Status; a failed connection, BEGIN or COMMIT
// is returned as its error. Queries made inside fn must be finished or
// destroyed when it returns (SQLite cannot commit under a running SELECT).
template<typename Fn>
[[nodiscard]] auto withTransaction(Database &database, Fn &&fn)
    -> std::invoke_result_t<Fn &, const QSqlDatabase &>
{
    auto db = database.connection();
    if (!db.ok())
        return db.error();
    Transaction tx(db.value());
    if (auto begun = tx.begin(); !begun.ok())
        return begun.error();
    auto result = fn(std::as_const(db.value()));
    if (!result.ok())
        return result; // rolled back by ~Transaction
    if (auto committed = tx.commit(); !committed.ok())
        return committed.error();
    return result;
}

} // namespace sql

} // namespace parlance
