#pragma once

#include "common/result.h"

#include <QSqlDatabase>

namespace parlance {

// A write transaction on one connection that rolls back unless committed.
// Started with the dialect's BEGIN (IMMEDIATE on SQLite, so a transaction that
// reads and then writes waits for the lock instead of failing half-way).
class WriteTransaction
{
public:
    explicit WriteTransaction(QSqlDatabase db);
    ~WriteTransaction();
    WriteTransaction(const WriteTransaction &) = delete;
    WriteTransaction &operator=(const WriteTransaction &) = delete;

    [[nodiscard]] Status begin();
    [[nodiscard]] Status commit();

private:
    QSqlDatabase m_db;
    bool m_open = false;
};

} // namespace parlance
