#include "common/epolleventdispatcher.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTimerEvent>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>

#ifdef Q_OS_LINUX
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#endif

namespace parlance {

namespace {

std::int64_t nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

constexpr std::int64_t NsPerMs = 1'000'000;
constexpr int MaxEventsPerWait = 256;

} // namespace

QAbstractEventDispatcher *EpollEventDispatcher::create()
{
#ifdef Q_OS_LINUX
    if (qEnvironmentVariable("PARLANCE_EPOLL") == QLatin1String("0"))
        return nullptr;
    auto dispatcher = std::make_unique<EpollEventDispatcher>();
    if (!dispatcher->isValid())
        return nullptr;
    return dispatcher.release();
#else
    return nullptr;
#endif
}

EpollEventDispatcher::EpollEventDispatcher(QObject *parent)
    : QAbstractEventDispatcher(parent)
{
#ifdef Q_OS_LINUX
    m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
    m_wakeFd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (m_epoll >= 0 && m_wakeFd >= 0) {
        epoll_event event {};
        event.events = EPOLLIN;
        event.data.fd = m_wakeFd;
        if (::epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wakeFd, &event) != 0) {
            ::close(m_wakeFd);
            m_wakeFd = -1;
        }
    }
#endif
}

EpollEventDispatcher::~EpollEventDispatcher()
{
#ifdef Q_OS_LINUX
    if (m_wakeFd >= 0)
        ::close(m_wakeFd);
    if (m_epoll >= 0)
        ::close(m_epoll);
#endif
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    Watch &watch = m_watches[fd];
    QSocketNotifier **slot = &watch.read;
    if (notifier->type() == QSocketNotifier::Write)
        slot = &watch.write;
    else if (notifier->type() == QSocketNotifier::Exception)
        slot = &watch.exception;
    // A different notifier already in the slot means the descriptor was closed
    // and its number reused without the old notifier being disabled first.
    // The kernel dropped the old file from the interest list when it closed,
    // so tell it about this one even though our mask looks unchanged.
    const bool reused = *slot && *slot != notifier;
    *slot = notifier;
    if (reused)
        watch.events = 0;
    updateWatch(fd, watch);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    const auto it = m_watches.find(fd);
    if (it == m_watches.end())
        return;
    Watch &watch = it->second;
    if (watch.read == notifier)
        watch.read = nullptr;
    if (watch.write == notifier)
        watch.write = nullptr;
    if (watch.exception == notifier)
        watch.exception = nullptr;
    // A notifier already collected for this pass must not fire after it has
    // been disabled or deleted.
    for (std::vector<QSocketNotifier *> *activated : m_dispatching)
        std::replace(activated->begin(), activated->end(), notifier,
                     static_cast<QSocketNotifier *>(nullptr));
    updateWatch(fd, watch);
    if (!watch.read && !watch.write && !watch.exception)
        m_watches.erase(it);
}

void EpollEventDispatcher::updateWatch(int fd, Watch &watch)
{
#ifdef Q_OS_LINUX
    std::uint32_t wanted = 0;
    if (watch.read)
        wanted |= EPOLLIN;
    if (watch.write)
        wanted |= EPOLLOUT;
    if (watch.exception)
        wanted |= EPOLLPRI;
    if (wanted == watch.events)
        return;
    epoll_event event {};
    event.events = wanted;
    event.data.fd = fd;
    int op = EPOLL_CTL_MOD;
    if (watch.events == 0)
        op = EPOLL_CTL_ADD;
    else if (wanted == 0)
        op = EPOLL_CTL_DEL;
    if (::epoll_ctl(m_epoll, op, fd, &event) != 0) {
        // The descriptor may have been closed and reopened behind Qt's back
        // (ADD finds it present, MOD finds it gone); settle on what was asked.
        if (op == EPOLL_CTL_ADD && errno == EEXIST)
            ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &event);
        else if (op == EPOLL_CTL_MOD && errno == ENOENT)
            ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event);
        else if (op != EPOLL_CTL_DEL)
            qWarning("EpollEventDispatcher: cannot watch socket %d: %s", fd, std::strerror(errno));
    }
    watch.events = wanted;
#else
    Q_UNUSED(fd);
    Q_UNUSED(watch);
#endif
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                         QObject *object)
{
    Timer timer;
    timer.object = object;
    timer.intervalMs = std::max<qint64>(0, interval);
    timer.type = timerType;
    auto [it, inserted] = m_timers.emplace(timerId, timer);
    if (!inserted)
        return;
    if (it->second.intervalMs == 0)
        ++m_zeroTimers;
    m_timersByObject.emplace(object, timerId);
    it->second.queued = m_deadlines.end();
    schedule(timerId, it->second, nowNs() + it->second.intervalMs * NsPerMs);
}

void EpollEventDispatcher::schedule(int timerId, Timer &timer, std::int64_t deadlineNs)
{
    if (timer.queued != m_deadlines.end())
        m_deadlines.erase(timer.queued);
    timer.deadlineNs = deadlineNs;
    timer.queued = m_deadlines.emplace(deadlineNs, timerId);
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    const auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return false;
    const Timer &timer = it->second;
    if (timer.queued != m_deadlines.end())
        m_deadlines.erase(timer.queued);
    if (timer.intervalMs == 0)
        --m_zeroTimers;
    auto [first, last] = m_timersByObject.equal_range(timer.object);
    for (auto byObject = first; byObject != last; ++byObject) {
        if (byObject->second == timerId) {
            m_timersByObject.erase(byObject);
            break;
        }
    }
    m_timers.erase(it);
    return true;
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    auto [first, last] = m_timersByObject.equal_range(object);
    if (first == last)
        return false;
    std::vector<int> ids;
    for (auto it = first; it != last; ++it)
        ids.push_back(it->second);
    for (const int id : ids)
        unregisterTimer(id);
    return true;
}

QList<QAbstractEventDispatcher::TimerInfo>
EpollEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> timers;
    auto [first, last] = m_timersByObject.equal_range(object);
    for (auto it = first; it != last; ++it) {
        const Timer &timer = m_timers.at(it->second);
        timers.append(TimerInfo(it->second, int(timer.intervalMs), timer.type));
    }
    return timers;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    const auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return -1;
    const std::int64_t left = it->second.deadlineNs - nowNs();
    return left <= 0 ? 0 : int((left + NsPerMs - 1) / NsPerMs);
}

void EpollEventDispatcher::wakeUp()
{
#ifdef Q_OS_LINUX
    // One write per sleep is enough; postEvent() calls this for every event.
    if (!m_wakeUpPending.testAndSetAcquire(0, 1))
        return;
    const std::uint64_t one = 1;
    ssize_t written;
    do {
        written = ::write(m_wakeFd, &one, sizeof one);
    } while (written < 0 && errno == EINTR);
#endif
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted.storeRelaxed(1);
    wakeUp();
}

void EpollEventDispatcher::drainWakeUp()
{
#ifdef Q_OS_LINUX
    std::uint64_t count = 0;
    while (::read(m_wakeFd, &count, sizeof count) < 0 && errno == EINTR) { }
    // Cleared only after the read: a wakeUp() racing with us either sees the
    // flag still set (and the posted event is sent at the top of the next
    // pass, which comes next) or writes again.
    m_wakeUpPending.storeRelease(0);
#endif
}

int EpollEventDispatcher::waitTimeoutMs(bool canWait) const
{
    if (!canWait || m_zeroTimers > 0)
        return 0;
    if (m_deadlines.empty())
        return -1;
    const std::int64_t left = m_deadlines.begin()->first - nowNs();
    if (left <= 0)
        return 0;
    // Round up: waking a little early would only spin until the deadline.
    return int(std::min<std::int64_t>((left + NsPerMs - 1) / NsPerMs, 24 * 3600 * 1000));
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
#ifdef Q_OS_LINUX
    m_interrupted.storeRelaxed(0);
    Q_EMIT awake();
    QCoreApplication::sendPostedEvents();

    const bool includeTimers = !(flags & QEventLoop::X11ExcludeTimers);
    const bool includeNotifiers = !(flags & QEventLoop::ExcludeSocketNotifiers);
    const bool canWait = (flags & QEventLoop::WaitForMoreEvents) && !m_interrupted.loadRelaxed();
    if (canWait)
        Q_EMIT aboutToBlock();
    if (m_interrupted.loadRelaxed())
        return false;

    int timeout = includeTimers ? waitTimeoutMs(canWait) : (canWait ? -1 : 0);
    int handled = 0;
    if (includeNotifiers) {
        epoll_event events[MaxEventsPerWait];
        const int ready = ::epoll_wait(m_epoll, events, MaxEventsPerWait, timeout);
        if (ready < 0 && errno != EINTR)
            qWarning("EpollEventDispatcher: epoll_wait failed: %s", std::strerror(errno));
        std::vector<QSocketNotifier *> activated;
        for (int i = 0; i < ready; ++i) {
            const int fd = events[i].data.fd;
            if (fd == m_wakeFd) {
                drainWakeUp();
                ++handled;
                continue;
            }
            const auto it = m_watches.find(fd);
            if (it == m_watches.end())
                continue;
            const std::uint32_t got = events[i].events;
            const Watch &watch = it->second;
            if (watch.read && (got & (EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP)))
                activated.push_back(watch.read);
            if (watch.write && (got & (EPOLLOUT | EPOLLHUP | EPOLLERR)))
                activated.push_back(watch.write);
            if (watch.exception && (got & EPOLLPRI))
                activated.push_back(watch.exception);
        }
        handled += dispatchReady(activated);
    } else {
        // Ready sockets would end every wait at once, so wait on the wake-up
        // descriptor alone.
        pollfd wake { m_wakeFd, POLLIN, 0 };
        if (::poll(&wake, 1, timeout) > 0) {
            drainWakeUp();
            ++handled;
        }
    }
    if (includeTimers)
        handled += activateTimers();
    return handled > 0;
#else
    Q_UNUSED(flags);
    return false;
#endif
}

int EpollEventDispatcher::dispatchReady(std::vector<QSocketNotifier *> &activated)
{
    if (activated.empty())
        return 0;
    m_dispatching.push_back(&activated);
    int sent = 0;
    // Index, not iterator: a handler that unregisters a notifier nulls its
    // entry here but never resizes the vector.
    for (size_t i = 0; i < activated.size(); ++i) {
        QSocketNotifier *notifier = activated[i];
        if (!notifier)
            continue;
        QEvent event(QEvent::SockAct);
        QCoreApplication::sendEvent(notifier, &event);
        ++sent;
    }
    m_dispatching.pop_back();
    return sent;
}

int EpollEventDispatcher::activateTimers()
{
    if (m_deadlines.empty())
        return 0;
    const std::int64_t now = nowNs();
    // Snapshot first: a timer re-armed (or added) while we fire must wait for
    // the next pass, or a zero-interval timer would loop here for ever.
    std::vector<int> due;
    for (auto it = m_deadlines.begin(); it != m_deadlines.end() && it->first <= now; ++it)
        due.push_back(it->second);
    int fired = 0;
    for (const int id : due) {
        auto it = m_timers.find(id);
        if (it == m_timers.end() || it->second.firing)
            continue;
        Timer &timer = it->second;
        // Qt reuses a killed timer's id at once: an earlier handler in this
        // pass may have killed this timer and started another that got its
        // id. That one is not due (it would fire early, e.g. a timeout).
        if (timer.deadlineNs > now)
            continue;
        std::int64_t next = timer.deadlineNs + timer.intervalMs * NsPerMs;
        if (next < now)
            next = now + timer.intervalMs * NsPerMs;
        schedule(id, timer, next);
        timer.firing = true;
        QObject *object = timer.object;
        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
        ++fired;
        // The handler may have killed the timer or deleted its object.
        it = m_timers.find(id);
        if (it != m_timers.end())
            it->second.firing = false;
    }
    return fired;
}

} // namespace parlance
