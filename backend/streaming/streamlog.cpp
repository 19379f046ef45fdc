#include "streaming/streamlog.h"

#include "common/epolleventdispatcher.h"
#include "streaming/streaminglog.h"

#include <QPointer>
#include <QReadLocker>
#include <QWriteLocker>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

// Rings a waiter's doorbell unless its reader has left.
void ring(const std::shared_ptr<StreamLog::Waiter> &waiter)
{
    // Under the waiter's own lock, so that once removeWaiter() returns no
    // wake is running or will run: the reader may then be destroyed.
    std::lock_guard guard(waiter->mutex);
    if (waiter->wake)
        waiter->wake();
}

// The wakes one pass of an event loop finds, rung together when the pass
// ends. A generation thread reads tokens of many streams in one pass; ringing
// each reader at once woke a connection thread per token (perf at 1,000
// streams: eventfd writes and context switches were a fifth of the
// generation thread). Rung together, a connection thread wakes once and finds
// them all queued. Only on EpollEventDispatcher threads, which emit
// aboutToBlock() at the end of every pass of a waiting loop; elsewhere (the
// worker pool) a wake rings at once.
class WakeBatch : public QObject
{
public:
    using QObject::QObject;

    // The current thread's batch, or nullptr: ring at once.
    static WakeBatch *forCurrentThread()
    {
        thread_local bool checked = false;
        thread_local QPointer<WakeBatch> batch;
        if (!checked) {
            checked = true;
            if (auto *dispatcher =
                    qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance())) {
                batch = new WakeBatch(dispatcher);
                connect(dispatcher, &QAbstractEventDispatcher::aboutToBlock, batch.data(),
                        &WakeBatch::ringAll, Qt::DirectConnection);
            }
        }
        return batch.data();
    }

    void add(std::shared_ptr<StreamLog::Waiter> waiter) { m_due.push_back(std::move(waiter)); }

private:
    void ringAll()
    {
        if (m_due.empty())
            return;
        const std::vector<std::shared_ptr<StreamLog::Waiter>> due = std::exchange(m_due, {});
        for (const auto &waiter : due)
            ring(waiter);
    }

    std::vector<std::shared_ptr<StreamLog::Waiter>> m_due;
};

} // namespace

StreamLog::StreamLog(Identity identity)
    : m_identity(std::move(identity))
{ }

qint64 StreamLog::appendMeta(const QJsonObject &data)
{
    return append(Entry { 0, 0, data, StreamEvent::Type::Meta }, {});
}

qint64 StreamLog::appendDelta(QStringView text)
{
    if (text.isEmpty())
        return isFinished() ? 0 : lastSeq();
    return append(Entry { 0, text.size(), {}, StreamEvent::Type::Delta }, text);
}

qint64 StreamLog::appendUsage(const QJsonObject &usage)
{
    return append(Entry { 0, 0, usage, StreamEvent::Type::Usage }, {});
}

qint64 StreamLog::append(Entry entry, QStringView text)
{
    {
        QWriteLocker locker(&m_lock);
        if (m_finalStatus) {
            qCWarning(lcStreaming) << "append to finished stream" << m_identity.messageId;
            return 0;
        }
        if (entry.type == StreamEvent::Type::Delta) {
            entry.offset = m_text.size();
            m_text.append(text);
        }
        m_entries.push_back(std::move(entry));
        m_lastSeq.store(qint64(m_entries.size()));
    }
    wakeReaders();
    return lastSeq();
}

qint64 StreamLog::finish(StreamFinalStatus status, const std::optional<ApiError> &error)
{
    if (isFinished())
        return 0;
    // The finished handler runs before `done` is readable: a client that
    // sees `done` and at once starts the next answer in the conversation
    // must find it free (the registry releases it in this handler).
    std::function<void()> handler;
    {
        std::lock_guard guard(m_handlersMutex);
        if (m_finishing)
            return 0;
        m_finishing = true;
        handler = std::move(m_finishedHandler);
        m_finishedHandler = nullptr;
    }
    if (handler)
        handler();
    qint64 doneSeq = 0;
    {
        QWriteLocker locker(&m_lock);
        if (m_finalStatus)
            return 0;
        if (error)
            m_entries.push_back(Entry { 0, 0, error->toJson(), StreamEvent::Type::Error });
        QJsonObject done { { "status"_L1, finalStatusName(status) } };
        m_entries.push_back(Entry { 0, 0, std::move(done), StreamEvent::Type::Done });
        m_finalStatus = status;
        m_finalError = error;
        doneSeq = qint64(m_entries.size());
        m_lastSeq.store(doneSeq);
        m_finished.store(true);
        // The text will not grow any more: give back the growth reserve.
        m_text.squeeze();
        m_entries.shrink_to_fit();
    }
    wakeReaders();
    return doneSeq;
}

StreamEvent StreamLog::toEvent(qsizetype index) const
{
    const Entry &entry = m_entries[size_t(index)];
    StreamEvent event;
    event.seq = index + 1;
    event.type = entry.type;
    if (entry.type == StreamEvent::Type::Delta)
        event.text = QString(m_text.constData() + entry.offset, entry.length); // deep copy
    else
        event.data = entry.data;
    return event;
}

QList<StreamEvent> StreamLog::eventsAfter(qint64 afterSeq, int maxEvents, qsizetype maxChars,
                                          bool coalesceDeltas) const
{
    QList<StreamEvent> out;
    if (maxEvents <= 0 || afterSeq >= lastSeq())
        return out;
    QReadLocker locker(&m_lock);
    const qsizetype count = qsizetype(m_entries.size());
    qsizetype index = std::max<qint64>(afterSeq, 0);
    qsizetype chars = 0;
    const auto charsLeft = [&] { return maxChars < 0 || chars < maxChars; };
    while (index < count && out.size() < maxEvents && (out.isEmpty() || charsLeft())) {
        const Entry &entry = m_entries[size_t(index)];
        if (entry.type != StreamEvent::Type::Delta || !coalesceDeltas) {
            out.append(toEvent(index));
            chars += entry.length;
            ++index;
            continue;
        }
        // A run of deltas becomes one event; it ends at the first other event
        // or when the character budget is reached.
        const qsizetype start = entry.offset;
        qsizetype end = start;
        while (index < count && m_entries[size_t(index)].type == StreamEvent::Type::Delta
               && (end == start || charsLeft())) {
            const Entry &delta = m_entries[size_t(index)];
            end = delta.offset + delta.length;
            chars += delta.length;
            ++index;
        }
        StreamEvent event;
        event.seq = index; // the last delta of the run
        event.type = StreamEvent::Type::Delta;
        event.text = QString(m_text.constData() + start, end - start);
        out.append(std::move(event));
    }
    return out;
}

std::optional<StreamFinalStatus> StreamLog::finalStatus() const
{
    QReadLocker locker(&m_lock);
    return m_finalStatus;
}

std::optional<ApiError> StreamLog::finalError() const
{
    QReadLocker locker(&m_lock);
    return m_finalError;
}

QString StreamLog::text() const
{
    QReadLocker locker(&m_lock);
    return QString(m_text.constData(), m_text.size());
}

qsizetype StreamLog::textLength() const
{
    QReadLocker locker(&m_lock);
    return m_text.size();
}

qsizetype StreamLog::memoryBytes() const
{
    QReadLocker locker(&m_lock);
    // JSON objects of non-delta events are small and few; count a flat 128.
    qsizetype bytes = qsizetype(m_entries.capacity() * sizeof(Entry)) + m_text.capacity() * 2;
    for (const Entry &entry : m_entries) {
        if (entry.type != StreamEvent::Type::Delta)
            bytes += 128;
    }
    return bytes;
}

void StreamLog::requestStop()
{
    if (m_stopRequested.exchange(true))
        return;
    std::function<void()> handler;
    {
        std::lock_guard guard(m_handlersMutex);
        handler = m_stopHandler;
    }
    if (handler)
        handler();
}

void StreamLog::setStopHandler(std::function<void()> handler)
{
    {
        std::lock_guard guard(m_handlersMutex);
        m_stopHandler = handler;
    }
    if (handler && m_stopRequested.load())
        handler();
}

void StreamLog::setFinishedHandler(std::function<void()> handler)
{
    {
        std::lock_guard guard(m_handlersMutex);
        if (!m_finishing) {
            m_finishedHandler = std::move(handler);
            return;
        }
    }
    if (handler)
        handler();
}

std::shared_ptr<StreamLog::Waiter> StreamLog::addWaiter(std::function<void()> wake)
{
    auto waiter = std::make_shared<Waiter>();
    waiter->wake = std::move(wake);
    std::lock_guard guard(m_waitersMutex);
    m_waiters.push_back(waiter);
    return waiter;
}

void StreamLog::removeWaiter(const std::shared_ptr<Waiter> &waiter)
{
    if (!waiter)
        return;
    {
        std::lock_guard guard(m_waitersMutex);
        const auto it = std::find(m_waiters.begin(), m_waiters.end(), waiter);
        if (it != m_waiters.end()) {
            // Order does not matter: swap with the last, O(1) after the find.
            std::iter_swap(it, m_waiters.end() - 1);
            m_waiters.pop_back();
        }
    }
    std::lock_guard guard(waiter->mutex);
    waiter->wake = nullptr;
}

qsizetype StreamLog::waiterCount() const
{
    std::lock_guard guard(m_waitersMutex);
    return qsizetype(m_waiters.size());
}

void StreamLog::wakeReaders()
{
    // Collect under the lock, call outside it: a wake that removes its own
    // waiter (a reader leaving) must not deadlock.
    std::vector<std::shared_ptr<Waiter>> due;
    {
        std::lock_guard guard(m_waitersMutex);
        for (const auto &waiter : m_waiters) {
            if (waiter->armed.load() && waiter->armed.exchange(false))
                due.push_back(waiter);
        }
    }
    if (due.empty())
        return;
    if (WakeBatch *batch = WakeBatch::forCurrentThread()) {
        for (auto &waiter : due)
            batch->add(std::move(waiter));
        return;
    }
    for (const auto &waiter : due)
        ring(waiter);
}

} // namespace parlance
