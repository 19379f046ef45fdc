#include "storage/groupcommit.h"

#include "storage/database.h"
#include "storage/sql.h"
#include "storage/transaction.h"

using namespace Qt::StringLiterals;

namespace parlance {

GroupCommit::GroupCommit(Database &database, int maxBatch)
    : m_database(database)
    , m_maxBatch(std::max(1, maxBatch))
{ }

Status GroupCommit::runErased(std::function<Status(const QSqlDatabase &)> work)
{
    Write write { std::move(work), Done {}, false, {} };
    std::unique_lock lock(m_mutex);
    m_queue.push_back(&write);
    while (!write.done) {
        // Woken when its group is done, or when it is first in the queue
        // and the leader has finished (then it leads the next group).
        if (m_leading) {
            write.wake.wait(lock);
            continue;
        }
        m_leading = true;
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
        m_leading = false;
        for (Write *w : group) {
            w->done = true;
            if (w != &write)
                w->wake.notify_one();
        }
        // The next leader: the oldest write still waiting.
        if (!m_queue.empty())
            m_queue.front()->wake.notify_one();
    }
    return write.result;
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
