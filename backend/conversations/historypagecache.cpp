#include "conversations/historypagecache.h"

#include <QMutexLocker>

namespace parlance {

HistoryPageCache::HistoryPageCache(qint64 maxBytes)
    : m_pages(qsizetype(std::max<qint64>(maxBytes, 0)))
{ }

QByteArray HistoryPageCache::key(const QString &userId, const QString &conversationId,
                                 const PathHead &head, const PathQuery &query)
{
    // Ids are UUIDs and the numbers are digits; '\n' cannot occur in any
    // part, so the parts cannot run into each other.
    QByteArray key;
    key.reserve(200);
    key.append(userId.toUtf8()).append('\n');
    key.append(conversationId.toUtf8()).append('\n');
    key.append(head.leafId.toUtf8()).append('\n');
    key.append(QByteArray::number(head.messageCount)).append('\n');
    key.append(QByteArray::number(query.limit)).append('\n');
    key.append(query.before.toUtf8()).append('\n');
    key.append(query.after.toUtf8());
    return key;
}

std::optional<QByteArray> HistoryPageCache::find(const QByteArray &key)
{
    QMutexLocker lock(&m_mutex);
    if (const QByteArray *body = m_pages.object(key)) {
        m_hits.fetch_add(1, std::memory_order_relaxed);
        return *body;
    }
    m_misses.fetch_add(1, std::memory_order_relaxed);
    return std::nullopt;
}

void HistoryPageCache::insert(const QByteArray &key, const QByteArray &body)
{
    if (m_pages.maxCost() == 0)
        return;
    QMutexLocker lock(&m_mutex);
    // A body larger than the whole cache is refused (and freed) by QCache.
    m_pages.insert(key, new QByteArray(body), qMax<qsizetype>(body.size(), 1));
}

qint64 HistoryPageCache::bytes() const
{
    QMutexLocker lock(&m_mutex);
    return m_pages.totalCost();
}

} // namespace parlance
