#include "streaming/websocketfeed.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace parlance {

WebSocketFeed::WebSocketFeed(QWebSocket *socket)
    : StreamFeed(socket)
    , m_socket(socket)
{
    connect(socket, &QWebSocket::bytesWritten, this, [this] { pump(); });
    connect(socket, &QWebSocket::disconnected, this, [this] { pump(); });
}

WebSocketFeed::~WebSocketFeed() = default;

bool WebSocketFeed::isOpen() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

qint64 WebSocketFeed::pendingBytes() const
{
    return m_socket ? m_socket->bytesToWrite() : 0;
}

void WebSocketFeed::writeEvents(const QList<StreamEvent> &events)
{
    if (!isOpen())
        return;
    for (const StreamEvent &event : events) {
        const QJsonObject frame { { u"id"_s, event.seq },
                                  { u"event"_s, StreamEvent::typeName(event.type) },
                                  { u"data"_s, event.payload() } };
        m_socket->sendTextMessage(
            QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
    }
}

void WebSocketFeed::writeHeartbeat()
{
    if (isOpen())
        m_socket->ping();
}

void WebSocketFeed::writeReconnect(qint64 lastSeq)
{
    if (!isOpen())
        return;
    const QJsonObject frame { { u"event"_s, u"reconnect"_s },
                              { u"data"_s, QJsonObject { { u"last_event_id"_s, lastSeq } } } };
    m_socket->sendTextMessage(
        QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
}

void WebSocketFeed::close()
{
    if (m_socket)
        m_socket->close(QWebSocketProtocol::CloseCodeNormal, u"done"_s);
}

} // namespace parlance
