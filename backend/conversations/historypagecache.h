#pragma once

#include "conversations/messagerepository.h"

#include <QByteArray>
#include <QCache>
#include <QMutex>

#include <atomic>
#include <optional>

namespace parlance {

// Finished history pages (the JSON body of GET …/messages), keyed by the
// conversation's PathHead and the window asked for. Opening a conversation,
// switching back to it and resuming after a reconnect read the same page
// again; a hit costs one indexed row read (the head) instead of the path
// walk, 50 message rows and their JSON.
//
// Correctness rests on messages being immutable and never removed one by
// one: a new message raises message_count, a branch switch changes the
// leaf, so a changed conversation never matches an old key. The head is
// always read from the database first, so every node of a cluster sees
// changes made by the others; each node keeps its own cache. Deleted
// conversations answer 404 before the cache is asked.
//
// Thread-safe (the worker threads share one). Bounded by the bytes of the
// bodies it holds; least recently used pages go first.
class HistoryPageCache
{
public:
    explicit HistoryPageCache(qint64 maxBytes);

    [[nodiscard]] static QByteArray key(const QString &userId, const QString &conversationId,
                                        const PathHead &head, const PathQuery &query);

    [[nodiscard]] std::optional<QByteArray> find(const QByteArray &key);
    void insert(const QByteArray &key, const QByteArray &body);

    [[nodiscard]] qint64 hits() const { return m_hits.load(std::memory_order_relaxed); }
    [[nodiscard]] qint64 misses() const { return m_misses.load(std::memory_order_relaxed); }
    [[nodiscard]] qint64 bytes() const;

private:
    mutable QMutex m_mutex;
    QCache<QByteArray, QByteArray> m_pages;
    std::atomic<qint64> m_hits { 0 };
    std::atomic<qint64> m_misses { 0 };
};

} // namespace parlance
