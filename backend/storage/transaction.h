#pragma once

#include "common/result.h"
#include "storage/sqldialect.h"

#include <QRecursiveMutex>
#include <QSqlDatabase>

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

} // namespace parlance
