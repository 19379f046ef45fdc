#include "responsesession.h"

#include "faults.h"

namespace parlance::sim {

ResponseSession::ResponseSession(HttpConnection *connection, std::unique_ptr<WireFormat> format,
                                 const Behaviour &behaviour, QStringList tokens, bool truncated,
                                 bool stream, SimStats *stats, QString deployment,
                                 SessionClock *clock)
    : QObject(connection)
    , m_connection(connection)
    , m_format(std::move(format))
    , m_behaviour(behaviour)
    , m_tokens(std::move(tokens))
    , m_truncated(truncated)
    , m_stream(stream)
    , m_stats(stats)
    , m_deployment(std::move(deployment))
    , m_pacer(clock)
{
    connect(connection, &HttpConnection::closed, this,
            [this] { endAs(SimStats::StreamEnd::ClientLeft); });
}

ResponseSession::~ResponseSession()
{
    endAs(SimStats::StreamEnd::ClientLeft);
}

void ResponseSession::endAs(SimStats::StreamEnd how)
{
    if (m_pacer)
        m_pacer->cancel(this);
    if (m_ended)
        return;
    m_ended = true;
    if (m_streamCounted)
        m_stats->streamEnded(m_deployment, how);
}

void ResponseSession::scheduleIn(qint64 ms, void (ResponseSession::*step)())
{
    if (!m_pacer)
        return;
    m_nextStep = step;
    m_pacer->schedule(this, ms);
}

void ResponseSession::clockDue()
{
    (this->*m_nextStep)();
}

void ResponseSession::start()
{
    m_clock.start();
    const FaultKind fault = m_behaviour.fault;
    // A stall before anything: no status line, no headers, nothing at all.
    if (fault == FaultKind::Stall && (m_behaviour.faultAfter == 0 || !m_stream)) {
        m_faultFired = true;
        m_stats->countFault(m_deployment, fault);
        if (m_behaviour.stallMs < 0)
            return; // until the client gives up
        m_pausedMs = m_behaviour.stallMs;
        scheduleIn(m_behaviour.stallMs,
                   m_stream ? &ResponseSession::startStream : &ResponseSession::replyComplete);
        return;
    }
    if (!m_stream) {
        // A non-streaming answer comes when the whole generation would be done.
        qint64 total = m_behaviour.ttftMs;
        if (fault == FaultKind::Drip)
            total += m_tokens.size() * qint64(m_behaviour.dripMs);
        else if (m_behaviour.tokensPerSecond > 0)
            total += qint64(m_tokens.size() * 1000.0 / m_behaviour.tokensPerSecond);
        if (fault == FaultKind::Disconnect)
            total = m_behaviour.ttftMs;
        scheduleIn(total, &ResponseSession::replyComplete);
        return;
    }
    startStream();
}

void ResponseSession::startStream()
{
    if (!m_connection)
        return;
    // Headers go out at once, as real providers send them when they accept
    // the request; the first event waits for the time to first token.
    m_connection->beginStream(200, m_format->streamHeaders());
    m_stats->countStatus(m_deployment, 200);
    m_stats->streamStarted(m_deployment);
    m_streamCounted = true;
    scheduleIn(m_pausedMs + m_behaviour.ttftMs - m_clock.elapsed(), &ResponseSession::openStream);
}

void ResponseSession::openStream()
{
    if (!m_connection)
        return;
    m_connection->writeChunk(m_format->streamOpen());
    pump();
}

qint64 ResponseSession::dueTimeOf(qsizetype tokenIndex) const
{
    const qint64 base = m_pausedMs + m_behaviour.ttftMs;
    if (m_behaviour.fault == FaultKind::Drip)
        return base + tokenIndex * qint64(m_behaviour.dripMs);
    if (m_behaviour.tokensPerSecond <= 0)
        return base;
    return base + qint64(tokenIndex * 1000.0 / m_behaviour.tokensPerSecond);
}

bool ResponseSession::fireFaultIfDue()
{
    const FaultKind fault = m_behaviour.fault;
    if (m_faultFired || !isMidStreamFault(fault))
        return true;
    const bool atEnd = m_sent >= m_tokens.size();
    if (m_sent < m_behaviour.faultAfter && !atEnd)
        return true;
    m_faultFired = true;
    m_stats->countFault(m_deployment, fault);
    switch (fault) {
    case FaultKind::Disconnect:
        endAs(SimStats::StreamEnd::Reset);
        m_connection->reset();
        return false;
    case FaultKind::ErrorEvent:
        m_connection->writeChunk(m_format->streamError());
        endAs(SimStats::StreamEnd::ErrorEvent);
        m_connection->endStream();
        deleteLater();
        return false;
    case FaultKind::Malformed:
        m_connection->writeChunk(m_format->malformedEvent());
        return true;
    case FaultKind::Stall:
        if (m_behaviour.stallMs >= 0) {
            m_pausedMs += m_behaviour.stallMs;
            scheduleIn(m_behaviour.stallMs, &ResponseSession::pump);
        }
        return false;
    default:
        return true;
    }
}

void ResponseSession::pump()
{
    if (!m_connection || m_ended)
        return;
    // Emit every chunk that is due now; then sleep until the next one.
    while (true) {
        if (!fireFaultIfDue())
            return;
        if (m_sent >= m_tokens.size()) {
            finishStream();
            return;
        }
        const qint64 wait = dueTimeOf(m_sent) - m_clock.elapsed();
        if (wait > 0) {
            scheduleIn(wait, &ResponseSession::pump);
            return;
        }
        qsizetype count = qMin<qsizetype>(m_behaviour.chunkTokens, m_tokens.size() - m_sent);
        // A chunk never straddles the token a fault waits for.
        if (!m_faultFired && isMidStreamFault(m_behaviour.fault) && m_sent < m_behaviour.faultAfter)
            count = qMin<qsizetype>(count, m_behaviour.faultAfter - m_sent);
        QString text;
        for (qsizetype i = 0; i < count; ++i)
            text += m_tokens.at(m_sent + i);
        m_connection->writeChunk(m_format->streamDelta(text));
        m_sent += count;
    }
}

void ResponseSession::finishStream()
{
    m_connection->writeChunk(m_format->streamClose(m_sent, m_truncated));
    endAs(SimStats::StreamEnd::Completed);
    m_connection->endStream();
    // Done: a keep-alive connection may carry many responses, so do not wait
    // for it to close before freeing this one.
    deleteLater();
}

void ResponseSession::replyComplete()
{
    if (!m_connection)
        return;
    const FaultKind fault = m_behaviour.fault;
    if (fault == FaultKind::Disconnect) {
        m_stats->countFault(m_deployment, fault);
        m_connection->reset();
        return;
    }
    if (fault == FaultKind::ErrorEvent) {
        // Without a stream there are no events: the failure is a 500.
        m_stats->countFault(m_deployment, fault);
        const Reply reply = m_format->error(ErrorKind::ServerError);
        m_stats->countStatus(m_deployment, reply.status);
        m_connection->sendResponse(reply.status, reply.headers, reply.body);
        deleteLater();
        return;
    }
    Reply reply = m_format->complete(m_tokens.join(QString()), m_tokens.size(), m_truncated);
    if (fault == FaultKind::Malformed) {
        m_stats->countFault(m_deployment, fault);
        reply.body.truncate(reply.body.size() / 2);
    }
    m_stats->countStatus(m_deployment, reply.status);
    m_connection->sendResponse(reply.status, reply.headers, reply.body);
    deleteLater();
}

} // namespace parlance::sim
