#pragma once

#include "common/result.h"

#include <QSqlDatabase>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
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
// The first caller to find no commit in progress becomes the leader: it takes
// the writes queued so far (at most maxBatch), runs them one after the other
// in one transaction on its own connection and commits once. The others sleep
// until their result is known, or until the leader is done and one of them
// leads the next group. When a write of the group fails, the whole group is
// rolled back and each write is run again in a transaction of its own, so a
// failing write never takes others with it. Every caller gets its own
// write's result; when the COMMIT fails, every write of the group reports
// that error (none was acknowledged).
//
// Each write runs on the leader's thread and connection: it must use only
// the QSqlDatabase it is given, finish its queries before returning, and be
// safe to run a second time after a rollback (no effects outside the
// database).
class GroupCommit
{
public:
    explicit GroupCommit(Database &database, int maxBatch = 64);
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
        // Its own wake-up: a finished group wakes its writers and the next
        // leader only, not every writer still queued (with 16 writers on 2
        // cores, waking all of them for every commit was a herd of context
        // switches that also delayed the next group).
        std::condition_variable wake;
    };

    Status runErased(std::function<Status(const QSqlDatabase &)> work);
    void commitGroup(const std::vector<Write *> &group);
    // True when the group was committed (or its COMMIT failed for all);
    // false when a write failed and the group was rolled back.
    bool commitTogether(const std::vector<Write *> &group);
    void commitAlone(Write *write);

    Database &m_database;
    const int m_maxBatch;
    mutable std::mutex m_mutex;
    std::deque<Write *> m_queue;
    bool m_leading = false;
    qint64 m_groups = 0;
    qint64 m_writes = 0;
    int m_largestGroup = 0;
};

} // namespace parlance
