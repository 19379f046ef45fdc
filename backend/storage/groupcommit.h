#pragma once

#include "common/result.h"

#include <QSqlDatabase>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>

namespace parlance {

class Database;

// Group commit: writes that arrive while another is being committed share
// the next transaction. A commit costs the same for one row as for twenty
// (SQLite writes every page the transaction touched to the WAL, PostgreSQL
// flushes its WAL), and messages of different conversations touch the same
// index pages, so storing a burst of messages in one transaction is several
// times cheaper per message (docs/benchmarks.md, "Messages stored").
//
// Who runs a group (Leader):
//  - WriterThread (SQLite): one thread, started on the first write, runs
//    every group on its own connection while the callers sleep. One
//    connection for every write keeps SQLite's page cache valid from one
//    group to the next (a connection that finds the database changed by
//    another drops its whole cache) and its memory map in step with the
//    file: with callers leading on their own connections, re-reading pages
//    and re-mapping the growing file cost about a fifth of the time, and the
//    writer thread took 16 callers from ~3,700 to ~5,500 stored messages/s
//    (docs/benchmarks.md).
//  - CallerLeads (PostgreSQL): the first caller to find no group running
//    runs the queued writes on its own connection. PostgreSQL has no such
//    cache to lose, and handing every write to another thread and back put
//    two more wake-ups on the critical path: 32 callers stored ~2,070
//    messages/s this way against ~1,600 with the writer thread.
// Either way the group's writes run one after the other in one transaction
// that commits once. When a write of the group fails, the whole group is
// rolled back and each write is run again in a transaction of its own, so a
// failing write never takes others with it. Every caller gets its own
// write's result; when the COMMIT fails, every write of the group reports
// that error (none was acknowledged).
//
// Each write runs on the leading thread and its connection: it must use only
// the QSqlDatabase it is given, finish its queries before returning, be safe
// to run a second time after a rollback (no effects outside the database),
// and not call run() itself. A caller must not hold a write transaction of
// its own while it waits (SQLite has one writer).
class GroupCommit
{
public:
    enum class Leader { WriterThread, CallerLeads };

    GroupCommit(Database &database, Leader leader, int maxBatch = 64);
    // Lets the queued writes finish, then stops the writer thread (if any)
    // and closes its connection.
    ~GroupCommit();
    GroupCommit(const GroupCommit &) = delete;
    GroupCommit &operator=(const GroupCommit &) = delete;

    // fn(const QSqlDatabase &) returns a Result<T> or a Status, like
    // sql::withTransaction.
    template<typename Fn>
    [[nodiscard]] auto run(Fn &&fn) -> std::invoke_result_t<Fn &, const QSqlDatabase &>
    {
        using R = std::invoke_result_t<Fn &, const QSqlDatabase &>;
        std::optional<R> result;
        const Status status = runErased([&](const QSqlDatabase &db) -> Status {
            result.emplace(fn(db));
            return result->ok() ? Status(Done {}) : Status(result->error());
        });
        if (!status.ok())
            return status.error(); // BEGIN, COMMIT or the connection failed
        return std::move(*result);
    }

    // Groups committed and writes in them so far (for the benchmark and tests).
    [[nodiscard]] qint64 groups() const;
    [[nodiscard]] qint64 writes() const;
    [[nodiscard]] int largestGroup() const;
    // Writes waiting for a leader right now (tests use it to build a group).
    [[nodiscard]] int queuedWrites() const;

private:
    struct Write
    {
        std::function<Status(const QSqlDatabase &)> work;
        Status result = Done {};
        bool done = false;
        // Its own wake-up: a finished group wakes its own callers only, not
        // every caller still queued (with 16 callers on 2 cores, waking all
        // of them for every commit was a herd of context switches that also
        // delayed the next group).
        std::condition_variable wake;
    };

    Status runErased(std::function<Status(const QSqlDatabase &)> work);
    // Takes up to maxBatch queued writes, commits them (unlocked meanwhile)
    // and marks them done. `lock` holds m_mutex on entry and on return.
    void commitNextGroup(std::unique_lock<std::mutex> &lock);
    void writerLoop();
    void commitGroup(const std::vector<Write *> &group);
    // True when the group was committed (or its COMMIT failed for all);
    // false when a write failed and the group was rolled back.
    bool commitTogether(const std::vector<Write *> &group);
    void commitAlone(Write *write);

    Database &m_database;
    const Leader m_leader;
    const int m_maxBatch;
    mutable std::mutex m_mutex;
    std::condition_variable m_writerWake;
    std::deque<Write *> m_queue;
    std::thread m_writer;
    bool m_leading = false; // CallerLeads: a caller is running a group
    bool m_stopping = false;
    qint64 m_groups = 0;
    qint64 m_writes = 0;
    int m_largestGroup = 0;
};

} // namespace parlance
