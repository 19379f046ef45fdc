#include "streaming/ssefeed.h"

#include "domain/jsontext.h"
#include "http/connectionguard.h"
#include "http/detachedconnection.h"
#include "sse/ssewriter.h"

#include <QHttpServerResponder>
#include <QJsonValue>
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
    // One token per call at full speed: the payload is written as JSON text
    // straight into the frame (no QJsonObject, no UTF-16 round trip).
    QByteArray out;
    for (const StreamEvent &event : events) {
        JsonText json(event.type == StreamEvent::Type::Delta ? event.text.size() + 16 : 64);
        if (event.type == StreamEvent::Type::Delta)
            json.beginObject().key("text"_L1).string(event.text).endObject();
        else
            json.value(event.data);
        SseWriter::appendJsonEvent(out, event.seq, StreamEvent::typeName(event.type), json.text());
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
