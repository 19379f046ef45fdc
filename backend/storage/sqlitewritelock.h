#pragma once

#include <QRecursiveMutex>
#include <QSqlDatabase>
#include <QStringView>

namespace parlance {

// SQLite allows one writer per file at a time. Its busy handler makes waiting
// writers poll with growing sleeps (up to 100 ms each) and can starve one past
// busy_timeout under load: bench_storage saw "database is locked" with four
// threads writing at synchronous=FULL. So the writers of this process first
// queue on one mutex per database file (woken as soon as it is free), and the
// busy handler only arbitrates between processes. Recursive, because a
// Transaction holds it while its statements take it again.
class SqliteWriteLock
{
public:
    // The mutex for the connection's file; nullptr for PostgreSQL.
    [[nodiscard]] static QRecursiveMutex *forConnection(const QSqlDatabase &db);
    // INSERT, UPDATE, DELETE, REPLACE, DDL, WITH … (conservatively a write).
    [[nodiscard]] static bool isWriteStatement(QStringView statement);
};

} // namespace parlance
