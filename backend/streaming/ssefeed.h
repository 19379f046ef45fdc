#pragma once

#include "streaming/streamfeed.h"

#include <QPointer>

#include <memory>

QT_BEGIN_NAMESPACE
class QHttpServerResponder;
class QTcpSocket;
QT_END_NAMESPACE

namespace parlance {

namespace http {
class DetachedConnection;
}

// A StreamFeed over an SSE response (text/event-stream): `id: <seq>`,
// `event: <type>`, `data: <json>` per event, ": ping" heartbeats, and a final
// `event: reconnect` with {"last_event_id": N} when backpressure gave up.
// A child of its connection, so it goes away with it. Over plain TCP that is a
// DetachedConnection (no Qt socket left); over TLS it is Qt's socket, guarded
// with a QPointer (writing after the client left crashes Qt 6.4).
class SseFeed : public StreamFeed
{
    Q_OBJECT
public:
    // `responder` has written the status line and headers.
    explicit SseFeed(std::unique_ptr<QHttpServerResponder> responder);
    // `connection` carries the body from here on.
    explicit SseFeed(http::DetachedConnection *connection);
    ~SseFeed() override;

protected:
    [[nodiscard]] bool isOpen() const override;
    [[nodiscard]] qint64 pendingBytes() const override;
    void writeEvents(const QList<StreamEvent> &events) override;
    void writeHeartbeat() override;
    void writeReconnect(qint64 lastSeq) override;
    void close() override;

private:
    void write(const QByteArray &bytes);

    std::unique_ptr<QHttpServerResponder> m_responder;
    QPointer<QTcpSocket> m_socket;
    QPointer<http::DetachedConnection> m_detached;
};

} // namespace parlance
