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
    Write write { std::move(work), Done {}, false };
    std::unique_lock lock(m_mutex);
    m_queue.push_back(&write);
    while (!write.done) {
        if (m_leading) {
            m_changed.wait(lock);
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
        for (Write *w : group)
            w->done = true;
        ++m_groups;
        m_writes += qint64(group.size());
        m_largestGroup = std::max(m_largestGroup, int(group.size()));
        m_leading = false;
        // Wakes the writers of this group and the next leader.
        m_changed.notify_all();
    }
    return write.result;
}

void GroupCommit::commitGroup(const std::vector<Write *> &group)
{
    const auto failAll = [&](const Status &status) {
        for (Write *w : group)
            w->result = status;
    };
    auto db = m_database.connection();
    if (!db.ok())
        return failAll(Status(db.error()));
    Transaction tx(db.value());
    if (auto begun = tx.begin(); !begun.ok())
        return failAll(begun);

    if (group.size() == 1) {
        group.front()->result = group.front()->work(std::as_const(db.value()));
        if (!group.front()->result.ok())
            return; // rolled back by ~Transaction
    } else {
        // One savepoint name is enough: each is released or rolled back
        // before the next write starts.
        for (Write *w : group) {
            if (auto s = sql::execRaw(db.value(), u"SAVEPOINT group_write"_s); !s.ok()) {
                w->result = s;
                continue;
            }
            w->result = w->work(std::as_const(db.value()));
            if (!w->result.ok()) {
                if (auto back = sql::execRaw(db.value(), u"ROLLBACK TO SAVEPOINT group_write"_s);
                    !back.ok())
                    return failAll(back); // the transaction is unusable
            }
            if (auto released = sql::execRaw(db.value(), u"RELEASE SAVEPOINT group_write"_s);
                !released.ok())
                return failAll(released);
        }
    }
    if (auto committed = tx.commit(); !committed.ok())
        return failAll(committed);
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
