#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <map>

namespace parlance::sim {

// One timer for every response of the thread: a client asks to be called
// back after a delay, and the clock keeps the deadlines in order and arms
// its single timer for the earliest. A QTimer per response, restarted for
// every token, cost more of the simulator than the tokens themselves at
// 1,000 streams (a disconnect, a connect and a timer kill and register per
// token); here scheduling is one insertion in a sorted map, and a timer
// event fires every response that is due.
class SessionClock : public QObject
{
public:
    // What the clock calls back. A client schedules at most one callback at
    // a time; a new one replaces it. It must cancel() before it is destroyed.
    class Client
    {
    public:
        virtual void clockDue() = 0;

    protected:
        ~Client() = default;

    private:
        friend class SessionClock;
        std::multimap<qint64, Client *>::iterator m_queued;
        bool m_isQueued = false;
    };

    explicit SessionClock(QObject *parent = nullptr);

    // Calls client->clockDue() once, `delayMs` from now (0: on the next
    // pass of the event loop), replacing what the client had scheduled.
    void schedule(Client *client, qint64 delayMs);
    void cancel(Client *client);
    [[nodiscard]] qsizetype pending() const { return qsizetype(m_queue.size()); }

private:
    void fire();
    void arm();

    QElapsedTimer m_elapsed;
    QTimer m_timer;
    std::multimap<qint64, Client *> m_queue; // deadline (ns on m_elapsed) -> client
    qint64 m_armedFor = -1; // the deadline m_timer is set for; -1: not armed
    bool m_firing = false;
};

} // namespace parlance::sim
