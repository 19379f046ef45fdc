#pragma once

#include "upstream/httperror.h"
#include "upstream/httprequest.h"
#include "upstream/httpresponseparser.h"

#include <QAbstractSocket>
#include <QNetworkProxy>
#include <QObject>
#include <QSslConfiguration>

class QTcpSocket;

namespace parlance {

// One HTTP/1.1 connection (plain TCP or TLS) on the thread that made it,
// carrying one request at a time. It reads everything the socket has in one
// call and hands the decoded body on as it arrives. Owned by a
// ConnectionPool; an HttpExchange drives it while it is leased.
//
// Signals for a request, in order: requestWritten(), headReceived(),
// bodyReceived()*, responseFinished(error) exactly once (error.ok() when the
// response was read to its end). closed() means the server closed it while
// no request was in flight.
class HttpConnection : public QObject
{
    Q_OBJECT

public:
    // `proxy`: NoProxy, or an HTTP proxy (https goes through a CONNECT
    // tunnel, http is sent to the proxy with the full URL as the target).
    HttpConnection(HttpOrigin origin, const QSslConfiguration &tls, qsizetype maxHeaderBytes,
                   const QNetworkProxy &proxy = QNetworkProxy(QNetworkProxy::NoProxy),
                   QObject *parent = nullptr);
    ~HttpConnection() override;

    [[nodiscard]] const HttpOrigin &origin() const { return m_origin; }

    // Sends one request (validated), connecting first if needed. Only when
    // no request is in flight.
    void send(const HttpRequest &request);
    // Drops body bytes from now on (the caller lost interest, but reading
    // the rest keeps the connection reusable).
    void discardBody() { m_discardBody = true; }
    // Closes the socket; no signal follows.
    void close();

    [[nodiscard]] bool isOpen() const;
    [[nodiscard]] bool inFlight() const { return m_inFlight; }
    // Open, idle, reusable: the last response was read to its end and both
    // sides allow keep-alive.
    [[nodiscard]] bool isReusable() const;
    // A response is in flight whose head allows keep-alive so far (worth
    // draining rather than closing).
    [[nodiscard]] bool isWorthDraining() const;
    [[nodiscard]] int requestsSent() const { return m_requestsSent; }
    // Raw bytes of the current (or last) response read so far.
    [[nodiscard]] qint64 responseBytes() const { return m_responseBytes; }
    // Raw bytes read from the socket over the connection's life.
    [[nodiscard]] qint64 bytesReceived() const { return m_bytesReceived; }

Q_SIGNALS:
    void requestWritten();
    void headReceived(const parlance::HttpResponseHead &head);
    void bodyReceived(const QByteArray &data);
    void responseFinished(const parlance::HttpError &error);
    void closed();

private:
    void openSocket();
    void onConnected();
    void onReadyRead();
    void onBytesWritten(qint64 bytes);
    void onSocketClosed();
    void writePending();
    void finishResponse(const HttpError &error);
    [[nodiscard]] HttpError socketError() const;

    HttpOrigin m_origin;
    QSslConfiguration m_tls;
    QNetworkProxy m_proxy;
    QTcpSocket *m_socket = nullptr;
    static constexpr qint64 ReadChunk = 16 * 1024;
    [[nodiscard]] QByteArray readAvailable(bool *atEnd);

    HttpResponseParser m_parser;
    QByteArray m_pending; // the request, until the socket is ready
    QString m_tlsErrors;
    qint64 m_toWrite = 0;
    qint64 m_bytesReceived = 0;
    qint64 m_responseBytes = 0;
    quint64 m_exchange = 0; // bumps per request, so stale work stops
    int m_requestsSent = 0;
    bool m_ready = false; // connected (and encrypted)
    bool m_unbuffered = false; // plain TCP: see openSocket()
    bool m_closed = false;
    bool m_inFlight = false;
    bool m_discardBody = false;
};

} // namespace parlance
