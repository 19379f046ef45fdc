#include "streaming/streamsubscription.h"

#include <QMetaObject>

#include <algorithm>

namespace parlance {

StreamSubscription::StreamSubscription(std::shared_ptr<StreamLog> log, qint64 afterSeq,
                                       std::function<void()> wake, SubscriptionLimits limits,
                                       TickClock clock)
    : m_log(std::move(log))
    , m_limits(limits)
    , m_clock(std::move(clock))
    , m_cursor(std::clamp<qint64>(afterSeq, 0, m_log->lastSeq()))
{
    if (wake)
        m_waiter = m_log->addWaiter(std::move(wake));
}

StreamSubscription::~StreamSubscription()
{
    m_log->removeWaiter(m_waiter);
}

StreamSubscription::ReadResult StreamSubscription::read(qint64 pendingBytes)
{
    ReadResult result;
    if (m_cursor < m_log->lastSeq() && pendingBytes >= m_limits.maxPendingBytes) {
        const auto now = m_clock();
        if (!m_stalledSince)
            m_stalledSince = now;
        result.outcome =
            now - *m_stalledSince >= m_limits.maxStall ? Outcome::Reconnect : Outcome::Backpressure;
        return result;
    }
    m_stalledSince.reset();

    const auto fetch = [&] {
        result.events = m_log->eventsAfter(m_cursor, m_limits.maxEventsPerRead,
                                           m_limits.maxCharsPerRead, m_limits.coalesceDeltas);
        if (!result.events.isEmpty()) {
            m_cursor = result.events.constLast().seq;
            result.outcome = Outcome::Events;
            return true;
        }
        return false;
    };
    // "Finished" is only true if the log was finished BEFORE the fetch found
    // nothing; checked after, a `done` appended in between would be lost.
    bool finishedBefore = m_log->isFinished();
    if (fetch())
        return result;
    if (!finishedBefore && m_waiter) {
        m_waiter->armed.store(true);
        // An append between fetch() and arming would have found the waiter
        // disarmed: look once more so that no wake is lost.
        finishedBefore = m_log->isFinished();
        if (fetch())
            return result;
    }
    if (finishedBefore) {
        result.outcome = Outcome::Finished;
        return result;
    }
    result.outcome = Outcome::Waiting;
    return result;
}

std::function<void()> StreamSubscription::queuedWake(QObject *context, std::function<void()> onWake)
{
    return [context, onWake = std::move(onWake)] {
        QMetaObject::invokeMethod(context, onWake, Qt::QueuedConnection);
    };
}

} // namespace parlance
