#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>

class QTcpSocket;

namespace parlance::sim {

using HttpHeaders = QList<std::pair<QByteArray, QByteArray>>;

struct HttpRequest
{
    QByteArray method;
    QByteArray path; // without the query
    QHash<QByteArray, QByteArray> headers; // names lower-cased
    QByteArray body;

    [[nodiscard]] QByteArray header(const QByteArray &lowerName) const
    {
        return headers.value(lowerName);
    }
};

// One HTTP/1.1 connection on a raw socket. The simulator writes its own HTTP
// rather than using Qt HttpServer because its faults need what a server
// framework hides on purpose: a TCP reset in the middle of a chunked body,
// holding a request without any answer, and bytes that break the framing the
// client expects (docs/provider-sim.md, "Why a raw socket").
//
// Requests on a keep-alive connection are answered one at a time, in order.
class HttpConnection : public QObject
{
    Q_OBJECT
public:
    explicit HttpConnection(QTcpSocket *socket, QObject *parent = nullptr);
    ~HttpConnection() override;

    // A complete response with content-length.
    void sendResponse(int status, const HttpHeaders &headers, const QByteArray &body);
    // A response whose body follows in chunks (transfer-encoding: chunked).
    void beginStream(int status, const HttpHeaders &headers);
    void writeChunk(const QByteArray &data);
    // Writes the terminating zero-length chunk.
    void endStream();
    // Resets the TCP connection (RST): the client sees the body cut off
    // without its terminating chunk.
    void reset();

    [[nodiscard]] bool isOpen() const;
    [[nodiscard]] static QByteArray reasonPhrase(int status);

Q_SIGNALS:
    void requestReceived(const parlance::sim::HttpRequest &request);
    // The connection is gone (client left, reset, or closed after a response).
    void closed();

private:
    void onReadyRead();
    void parseNext();
    void finishResponse();
    void writeHead(int status, const HttpHeaders &headers, const QByteArray &framing);
    void failRequest(int status, const QByteArray &message);
    void hardReset();

    QPointer<QTcpSocket> m_socket;
    QByteArray m_buffer;
    bool m_busy = false; // a request is being answered; the next one waits
    bool m_keepAlive = true;
    bool m_closedEmitted = false;
    bool m_resetting = false;
    bool m_continueSent = false; // "100 Continue" already sent for the pending request
};

} // namespace parlance::sim
