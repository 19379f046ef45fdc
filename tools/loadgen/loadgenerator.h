#pragma once

#include "httpresponsereader.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include <deque>
#include <memory>
#include <vector>

class QTcpSocket;

namespace parlance::loadgen {

struct LoadOptions
{
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 0;
    int connections = 64;
    // Requests per second, paced on a fixed schedule (open loop). 0: closed
    // loop, each connection sends its next request when the answer arrives.
    double rate = 0;
    double durationSeconds = 10;
    // After the schedule ends, how long answers may still arrive; requests
    // still unanswered then count as failed.
    double drainSeconds = 5;
    // > 0: connection i binds to the loopback address 127.0.0.(2 + i % N)
    // before connecting, so a server that limits per client address (login
    // throttling) sees N clients instead of one. Loopback targets only.
    int sourceAddresses = 0;
    // Complete HTTP/1.1 requests, sent round-robin.
    QList<QByteArray> requests;
};

struct LoadResult
{
    qint64 scheduled = 0;
    qint64 ok = 0; // 2xx and 3xx.
    qint64 httpErrors = 0; // 4xx and 5xx.
    qint64 failed = 0; // Connection lost, garbage, or never answered.
    double seconds = 0; // From the first request to the last answer.
    int maxBacklog = 0; // Most requests that were due but had no free connection.
    std::vector<qint64> latenciesNs; // Answered requests, from their scheduled time.
};

// N keep-alive connections on raw sockets. In open-loop mode each request
// has a scheduled send time (start + i / rate) and its latency is measured
// from that time, not from when a connection was free to send it: a server
// that stalls is charged for the requests queued behind the stall
// (no "coordinated omission", the flaw of closed-loop tools like wrk).
class LoadGenerator : public QObject
{
    Q_OBJECT

public:
    explicit LoadGenerator(LoadOptions options, QObject *parent = nullptr);
    ~LoadGenerator() override;

    // Connects every socket, then runs; finished() when done.
    void start();
    [[nodiscard]] const LoadResult &result() const { return m_result; }
    [[nodiscard]] QString errorText() const { return m_error; }

Q_SIGNALS:
    void finished();

private:
    struct Connection
    {
        QTcpSocket *socket = nullptr;
        HttpResponseReader reader;
        bool connected = false;
        bool busy = false;
        qint64 scheduledNs = 0;
    };

    void connectSocket(int index);
    void onConnected(int index);
    void onReadyRead(int index);
    void onSocketLost(int index);
    void begin();
    void tick();
    void dispatch();
    void send(int index, qint64 scheduledNs);
    void endSchedule();
    void complete();
    [[nodiscard]] qint64 now() const { return m_clock.nsecsElapsed(); }

    LoadOptions m_options;
    LoadResult m_result;
    std::vector<std::unique_ptr<Connection>> m_connections;
    std::vector<int> m_idle;
    std::deque<qint64> m_backlog; // Scheduled times of due, unsent requests.
    QElapsedTimer m_clock;
    QTimer m_ticker;
    QTimer m_deadline;
    qint64 m_startNs = 0;
    qint64 m_lastAnswerNs = 0;
    qint64 m_nextRequest = 0;
    qint64 m_inFlight = 0;
    int m_connectedCount = 0;
    bool m_running = false;
    bool m_scheduleOver = false;
    bool m_done = false;
    QString m_error;
};

} // namespace parlance::loadgen
