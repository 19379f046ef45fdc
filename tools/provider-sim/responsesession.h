#pragma once

#include "behaviour.h"
#include "httpconnection.h"
#include "sessionclock.h"
#include "simstats.h"
#include "wireformat.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <memory>

namespace parlance::sim {

// Plays one response out over time: time to first token, pacing, chunking,
// and the faults that happen inside a response (stall, disconnect,
// malformed event, drip, error event). Status faults never get here.
// Lives as a child of its connection, so it dies when the client leaves.
// Paced by the thread's SessionClock.
class ResponseSession : public QObject, private SessionClock::Client
{
    Q_OBJECT
public:
    ResponseSession(HttpConnection *connection, std::unique_ptr<WireFormat> format,
                    const Behaviour &behaviour, QStringList tokens, bool truncated, bool stream,
                    SimStats *stats, QString deployment, SessionClock *clock);
    ~ResponseSession() override;

    void start();

private:
    void startStream();
    void openStream();
    void pump();
    // Fires the mid-stream fault if it is due; false when the response ends
    // or pauses here.
    [[nodiscard]] bool fireFaultIfDue();
    void finishStream();
    void replyComplete();
    void scheduleIn(qint64 ms, void (ResponseSession::*step)());
    void clockDue() override;
    [[nodiscard]] qint64 dueTimeOf(qsizetype tokenIndex) const;
    void endAs(SimStats::StreamEnd how);

    QPointer<HttpConnection> m_connection;
    std::unique_ptr<WireFormat> m_format;
    Behaviour m_behaviour;
    QStringList m_tokens;
    bool m_truncated;
    bool m_stream;
    SimStats *m_stats;
    QString m_deployment;

    QPointer<SessionClock> m_pacer;
    void (ResponseSession::*m_nextStep)() = nullptr;
    QElapsedTimer m_clock;
    qint64 m_pausedMs = 0; // time spent in a mid-stream stall, excluded from pacing
    qsizetype m_sent = 0;
    bool m_faultFired = false;
    bool m_streamCounted = false;
    bool m_ended = false;
};

} // namespace parlance::sim
