#pragma once

#include "streaming/streamfeed.h"

#include <QPointer>

QT_BEGIN_NAMESPACE
class QWebSocket;
QT_END_NAMESPACE

namespace parlance {

// A StreamFeed over a WebSocket: one text frame per event,
// {"id": seq, "event": type, "data": payload}; heartbeats are pings; a
// {"event": "reconnect", "data": {"last_event_id": N}} frame before closing
// when backpressure gave up. A child of the socket.
class WebSocketFeed : public StreamFeed
{
    Q_OBJECT
public:
    explicit WebSocketFeed(QWebSocket *socket);
    ~WebSocketFeed() override;

protected:
    [[nodiscard]] bool isOpen() const override;
    [[nodiscard]] qint64 pendingBytes() const override;
    void writeEvents(const QList<StreamEvent> &events) override;
    void writeHeartbeat() override;
    void writeReconnect(qint64 lastSeq) override;
    void close() override;

private:
    QPointer<QWebSocket> m_socket;
};

} // namespace parlance
