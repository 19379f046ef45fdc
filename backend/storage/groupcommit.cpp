#include "storage/groupcommit.h"

#include "storage/database.h"
#include "storage/sql.h"
#include "storage/storagelog.h"
#include "storage/transaction.h"

#include <pthread.h>

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

// The GroupCommit whose writer is the calling thread, to refuse a nested run().
thread_local const GroupCommit *t_writerOf = nullptr;

} // namespace

GroupCommit::GroupCommit(Database &database, Leader leader, int maxBatch)
    : m_database(database)
    , m_leader(leader)
    , m_maxBatch(std::max(1, maxBatch))
{ }

GroupCommit::~GroupCommit()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_writerWake.notify_one();
    if (m_writer.joinable())
        m_writer.join();
}

Status GroupCommit::runErased(std::function<Status(const QSqlDatabase &)> work)
{
    if (t_writerOf == this) {
        qCWarning(lcStorage) << "GroupCommit::run called from one of its own writes";
        return sql::internalError();
    }
    Write write { std::move(work), Done {}, false, {} };
    std::unique_lock lock(m_mutex);
    if (m_stopping)
        return sql::internalError();
    m_queue.push_back(&write);
    if (m_leader == Leader::WriterThread) {
        if (!m_writer.joinable()) {
            m_writer = std::thread([this] { writerLoop(); });
            // Named for perf, top and gdb; at most 15 characters.
            pthread_setname_np(m_writer.native_handle(), "db-writer");
        }
        if (m_queue.size() == 1)
            m_writerWake.notify_one();
        write.wake.wait(lock, [&] { return write.done; });
        return write.result;
    }
    while (!write.done) {
        // Woken when its group is done, or when it is first in the queue
        // and the leader has finished (then it leads the next group).
        if (m_leading) {
            write.wake.wait(lock);
            continue;
        }
        m_leading = true;
        t_writerOf = this;
        commitNextGroup(lock);
        t_writerOf = nullptr;
        m_leading = false;
        // The next leader: the oldest write still waiting.
        if (!m_queue.empty())
            m_queue.front()->wake.notify_one();
    }
    return write.result;
}

void GroupCommit::commitNextGroup(std::unique_lock<std::mutex> &lock)
{
    std::vector<Write *> group;
    while (!m_queue.empty() && int(group.size()) < m_maxBatch) {
        group.push_back(m_queue.front());
        m_queue.pop_front();
    }
    lock.unlock();
    commitGroup(group);
    lock.lock();
    ++m_groups;
    m_writes += qint64(group.size());
    m_largestGroup = std::max(m_largestGroup, int(group.size()));
    for (Write *w : group) {
        w->done = true;
        w->wake.notify_one(); // the leader's own write has nobody waiting: harmless
    }
}

void GroupCommit::writerLoop()
{
    t_writerOf = this;
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_writerWake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
        if (m_queue.empty())
            break; // stopping, and every queued write is done
        commitNextGroup(lock);
    }
    lock.unlock();
    m_database.closeThreadConnection();
}

void GroupCommit::commitGroup(const std::vector<Write *> &group)
{
    if (group.size() > 1 && commitTogether(group))
        return;
    // Alone, or again one by one after a write of the group failed: its
    // partial changes went with the group's rollback, so every write is
    // rerun in a transaction of its own.
    for (Write *w : group)
        commitAlone(w);
}

bool GroupCommit::commitTogether(const std::vector<Write *> &group)
{
    // No savepoints on the usual path (two more statements per write):
    // writes fail rarely (a conversation deleted meanwhile), and then the
    // group is rolled back and replayed one write per transaction.
    auto db = m_database.connection();
    if (!db.ok())
        return false;
    Transaction tx(db.value());
    if (!tx.begin().ok())
        return false;
    for (Write *w : group) {
        w->result = w->work(std::as_const(db.value()));
        if (!w->result.ok())
            return false; // rolled back by ~Transaction
    }
    if (auto committed = tx.commit(); !committed.ok()) {
        for (Write *w : group)
            w->result = committed;
    }
    return true;
}

void GroupCommit::commitAlone(Write *write)
{
    auto db = m_database.connection();
    if (!db.ok()) {
        write->result = Status(db.error());
        return;
    }
    Transaction tx(db.value());
    if (auto begun = tx.begin(); !begun.ok()) {
        write->result = begun;
        return;
    }
    write->result = write->work(std::as_const(db.value()));
    if (!write->result.ok())
        return; // rolled back by ~Transaction
    if (auto committed = tx.commit(); !committed.ok())
        write->result = committed;
}

qint64 GroupCommit::groups() const
{
    std::lock_guard lock(m_mutex);
    return m_groups;
}

qint64 GroupCommit::writes() const
{
    std::lock_guard lock(m_mutex);
    return m_writes;
}

int GroupCommit::queuedWrites() const
{
    std::lock_guard lock(m_mutex);
    return int(m_queue.size());
}

int GroupCommit::largestGroup() const
{
    std::lock_guard lock(m_mutex);
    return m_largestGroup;
}

} // namespace parlance
