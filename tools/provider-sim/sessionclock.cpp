#include "sessionclock.h"

#include <algorithm>
#include <limits>

namespace parlance::sim {

namespace {
constexpr qint64 NsPerMs = 1'000'000;
}

SessionClock::SessionClock(QObject *parent)
    : QObject(parent)
{
    m_elapsed.start();
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &SessionClock::fire);
}

void SessionClock::schedule(Client *client, qint64 delayMs)
{
    cancel(client);
    const qint64 due = m_elapsed.nsecsElapsed() + std::max<qint64>(0, delayMs) * NsPerMs;
    client->m_queued = m_queue.emplace(due, client);
    client->m_isQueued = true;
    // fire() arms once at its end for whatever it left; re-arming for every
    // client would be the per-token timer restart this class exists to avoid.
    if (!m_firing && (m_armedFor < 0 || due < m_armedFor))
        arm();
}

void SessionClock::cancel(Client *client)
{
    if (!client->m_isQueued)
        return;
    m_queue.erase(client->m_queued);
    client->m_isQueued = false;
}

void SessionClock::arm()
{
    if (m_queue.empty()) {
        m_timer.stop();
        m_armedFor = -1;
        return;
    }
    const qint64 due = m_queue.begin()->first;
    if (due == m_armedFor && m_timer.isActive())
        return;
    // Rounded up: the timer never fires before the deadline it was set for.
    const qint64 waitNs = std::max<qint64>(0, due - m_elapsed.nsecsElapsed());
    const qint64 waitMs = (waitNs + NsPerMs - 1) / NsPerMs;
    m_timer.start(int(std::min<qint64>(waitMs, std::numeric_limits<int>::max())));
    m_armedFor = due;
}

void SessionClock::fire()
{
    m_armedFor = -1;
    const qint64 now = m_elapsed.nsecsElapsed();
    // Only what was due when the pass began: a client that asks again for
    // "now" waits for the next pass instead of looping here.
    qsizetype due = 0;
    for (auto it = m_queue.begin(); it != m_queue.end() && it->first <= now; ++it)
        ++due;
    m_firing = true;
    // The front is read again each time: a callback may cancel or delete
    // other clients (their destructor cancels them).
    while (due-- > 0 && !m_queue.empty() && m_queue.begin()->first <= now) {
        Client *client = m_queue.begin()->second;
        m_queue.erase(m_queue.begin());
        client->m_isQueued = false;
        client->clockDue();
    }
    m_firing = false;
    arm();
}

} // namespace parlance::sim
