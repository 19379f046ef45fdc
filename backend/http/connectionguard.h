#pragma once

#include <QByteArray>
#include <QLatin1StringView>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>

QT_BEGIN_NAMESPACE
class QTcpSocket;
QT_END_NAMESPACE

namespace parlance::http {

struct HttpRuntime;

// Watches one client connection and enforces the limits Qt HttpServer 6.4
// lacks. It is attached before Qt's own readyRead handler, so it sees every
// byte first: it frames requests on the wire (headers, then Content-Length
// bytes or chunked bytes) in parallel with Qt's parser and
//  - answers 431 headers_too_large when the head exceeds maxHeaderBytes,
//  - answers 413 payload_too_large as soon as a Content-Length (or the bytes of
//    a chunked body) exceed maxBodyBytes, before the body is read,
//  - answers 408 request_timeout and closes when one request takes longer than
//    requestTimeout to arrive (slowloris),
//  - closes a keep-alive connection idle for idleTimeout,
//  - counts open connections for the per-process cap.
// A rejection detaches Qt's parser from the socket, writes the error with
// "Connection: close", half-closes and drains input briefly ("lingering
// close"), so the client reads the answer instead of a reset.
// Lives as a child of the socket, on the socket's thread.
class ConnectionGuard : public QObject
{
    Q_OBJECT
public:
    // counted: false for connections refused at the cap (they don't count).
    ConnectionGuard(QTcpSocket *socket, HttpRuntime &runtime, bool counted = true);
    ~ConnectionGuard() override;

    [[nodiscard]] static ConnectionGuard *of(QTcpSocket *socket);

    // Qt's parser produced a complete request for the handler.
    void requestDispatched();
    // The handler's answer has been written. close: the connection ends.
    void responseFinished(bool close);
    // Writes an error answer and closes (see class comment). Also used for
    // the connection cap with code `overloaded`.
    void reject(QLatin1StringView code, const QString &message,
                std::optional<int> retryAfter = std::nullopt);
    // Shutdown: closes now if nothing is in progress; otherwise the
    // connection closes after its current answer.
    void closeIfIdle();

    [[nodiscard]] bool rejected() const { return m_rejected; }

private:
    void onReadyRead();
    void scan(const char *data, qint64 size);
    void headerComplete();
    void requestOnWireComplete();
    void updateIdleTimer();
    void lingerAfterFlush();

    enum class Phase { Head, Body, BodyUntilDispatch };

    QPointer<QTcpSocket> m_socket;
    HttpRuntime &m_runtime;
    bool m_counted;
    Phase m_phase = Phase::Head;
    QByteArray m_head; // request line and headers of the current request
    qint64 m_bodyRemaining = 0; // Phase::Body
    qint64 m_bodySeen = 0; // Phase::BodyUntilDispatch
    int m_inFlight = 0; // dispatched, not yet answered
    bool m_rejected = false;
    bool m_closeWhenIdle = false;
    QTimer m_requestTimer;
    QTimer m_idleTimer;
    QTimer m_lingerTimer;
};

} // namespace parlance::http
