#pragma once

#include <QAbstractEventDispatcher>
#include <QAtomicInt>

#include <cstdint>
#include <map>
#include <unordered_map>
#include <vector>

namespace parlance {

// An event dispatcher built on Linux epoll, for threads that hold many sockets:
// parlanced's HTTP shards and generation threads, the provider simulator and
// the load generators that measure them.
//
// Why: Qt 6.4's Unix dispatcher rebuilds a pollfd array of every socket
// notifier and hands it to poll() on each wake-up, so one token arriving on one
// of 1,000 upstream sockets costs a walk of all 1,000, in user space and in
// the kernel (perf at 1,000 active streams: 58 % of the time in poll()). Here
// the kernel keeps the interest list; a wake-up costs the sockets that are
// ready, and a notifier costs one epoll_ctl when it is enabled or disabled.
//
// Semantics follow Qt's own dispatcher: level-triggered notifiers (read on
// IN/HUP/ERR, write on OUT/ERR, exception on PRI), each expired timer fires at
// most once per pass and never re-enters itself, zero-interval timers run on
// every pass without blocking, posted events are sent at the top of each pass,
// and wakeUp()/interrupt() may be called from any thread.
//
// Only Linux has epoll; EpollEventDispatcher::create() returns nullptr
// elsewhere, or when PARLANCE_EPOLL=0 asks for Qt's dispatcher (A/B runs).
class EpollEventDispatcher final : public QAbstractEventDispatcher
{
    Q_OBJECT

public:
    // A dispatcher, or nullptr when epoll is unavailable or turned off; pass
    // it to QThread::setEventDispatcher() before the thread starts, or to
    // QCoreApplication::setEventDispatcher() before the application exists.
    [[nodiscard]] static QAbstractEventDispatcher *create();

    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    [[nodiscard]] bool isValid() const { return m_epoll >= 0 && m_wakeFd >= 0; }

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                       QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    [[nodiscard]] QList<TimerInfo> registeredTimers(QObject *object) const override;
    [[nodiscard]] int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

private:
    struct Watch
    {
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
        QSocketNotifier *exception = nullptr;
        std::uint32_t events = 0; // what epoll has been told
    };
    struct Timer
    {
        QObject *object = nullptr;
        qint64 intervalMs = 0;
        Qt::TimerType type = Qt::CoarseTimer;
        std::int64_t deadlineNs = 0;
        std::multimap<std::int64_t, int>::iterator queued;
        bool firing = false;
    };

    void updateWatch(int fd, Watch &watch);
    int waitTimeoutMs(bool canWait) const;
    int dispatchReady(std::vector<QSocketNotifier *> &activated);
    int activateTimers();
    void drainWakeUp();
    void schedule(int timerId, Timer &timer, std::int64_t deadlineNs);

    int m_epoll = -1;
    int m_wakeFd = -1;
    QAtomicInt m_wakeUpPending = 0;
    QAtomicInt m_interrupted = 0;

    std::unordered_map<int, Watch> m_watches;
    // The notifiers collected by each pass still dispatching; more than one
    // when a handler runs a nested event loop.
    std::vector<std::vector<QSocketNotifier *> *> m_dispatching;

    std::unordered_map<int, Timer> m_timers;
    std::multimap<std::int64_t, int> m_deadlines; // deadline -> timer id
    std::unordered_multimap<QObject *, int> m_timersByObject;
    int m_zeroTimers = 0; // interval-0 timers: never block while one exists
};

} // namespace parlance
