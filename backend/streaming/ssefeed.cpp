#include "streaming/ssefeed.h"

#include "http/connectionguard.h"
#include "http/detachedconnection.h"
#include "sse/ssewriter.h"

#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QTcpSocket>

using namespace Qt::StringLiterals;

namespace parlance {

SseFeed::SseFeed(std::unique_ptr<QHttpServerResponder> responder)
    : StreamFeed(responder->socket())
    , m_responder(std::move(responder))
    , m_socket(m_responder->socket())
{
    connect(m_socket, &QIODevice::bytesWritten, this, [this] { pump(); });
    connect(m_socket, &QAbstractSocket::disconnected, this, [this] { pump(); });
}

SseFeed::SseFeed(http::DetachedConnection *connection)
    : StreamFeed(connection)
    , m_detached(connection)
{
    connect(connection, &http::DetachedConnection::drained, this, [this] { pump(); });
    connect(connection, &http::DetachedConnection::closed, this, [this] { pump(); });
}

SseFeed::~SseFeed() = default;

bool SseFeed::isOpen() const
{
    if (m_detached)
        return m_detached->isOpen();
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

qint64 SseFeed::pendingBytes() const
{
    if (m_detached)
        return m_detached->pendingBytes();
    return m_socket ? m_socket->bytesToWrite() : 0;
}

void SseFeed::write(const QByteArray &bytes)
{
    if (!isOpen())
        return;
    if (m_detached)
        m_detached->write(bytes);
    else
        m_responder->writeBody(bytes);
}

void SseFeed::writeEvents(const QList<StreamEvent> &events)
{
    QByteArray out;
    for (const StreamEvent &event : events) {
        SseEvent sse;
        sse.id = QString::number(event.seq);
        sse.type = StreamEvent::typeName(event.type);
        sse.data = QString::fromUtf8(QJsonDocument(event.payload()).toJson(QJsonDocument::Compact));
        // Ids are digits and types our own names: nothing to refuse.
        (void)SseWriter::appendEvent(out, sse);
    }
    write(out);
}

void SseFeed::writeHeartbeat()
{
    write(SseWriter::heartbeat());
}

void SseFeed::writeReconnect(qint64 lastSeq)
{
    SseEvent sse;
    sse.type = u"reconnect"_s;
    sse.data = u"{\"last_event_id\":%1}"_s.arg(lastSeq);
    QByteArray out;
    (void)SseWriter::appendEvent(out, sse);
    write(out);
}

void SseFeed::close()
{
    if (m_detached) {
        m_detached->closeAfterFlush();
        return;
    }
    if (!m_socket)
        return;
    // Flushes what is queued, then closes: the end of the body.
    if (auto *guard = http::ConnectionGuard::of(m_socket))
        guard->responseFinished(true);
    else
        m_socket->disconnectFromHost();
}

} // namespace parlance
