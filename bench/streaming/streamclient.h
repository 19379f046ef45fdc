#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QTcpSocket>

#include <functional>

namespace parlance::bench {

// Nanoseconds on one monotonic clock shared by every connection of the bench.
[[nodiscard]] qint64 nowNs();

// One HTTP/1.1 client connection on a raw QTcpSocket, for thousands of them in
// one event loop (QNetworkAccessManager would open six per host). It sends a
// request, parses the answer (Content-Length, chunked or until close) and, for
// text/event-stream answers, hands out every SSE event as it arrives. After a
// non-streaming answer the connection stays open for the next request
// (keep-alive), which the gateway flow uses for POST message, then GET stream.
class StreamConnection : public QObject
{
    Q_OBJECT

public:
    struct Handlers
    {
        // A whole non-streaming answer (or the end of a streaming one: body empty).
        std::function<void(int status, const QByteArray &body)> response;
        // One SSE event; `id` is -1 without an id line.
        std::function<void(const QByteArray &event, qint64 id, const QByteArray &data)> event;
        // The connection closed or failed (after or instead of an answer).
        std::function<void(const QString &error)> closed;
    };

    StreamConnection(Handlers handlers, QObject *parent = nullptr);

    // Connects from `source` (any port) unless it is null; the request goes out
    // once connected. Returns at once.
    void open(const QHostAddress &source, quint16 port, const QByteArray &request);
    // Sends another request on the open connection.
    void send(const QByteArray &request);
    void close();
    [[nodiscard]] bool isOpen() const
    {
        return m_socket.state() == QAbstractSocket::ConnectedState;
    }
    // When the last request's bytes were handed to the socket (nowNs()).
    [[nodiscard]] qint64 sentAtNs() const { return m_sentAt; }

private:
    void onReadyRead();
    void onDisconnected();
    void parse();
    bool parseHead();
    void body(const char *data, qsizetype size);
    void sseLines();
    void finishResponse();
    void fail(const QString &error);

    enum class State { Head, Chunked, Sized, UntilClose, Done };
    Handlers m_handlers;
    QTcpSocket m_socket;
    QByteArray m_pending; // Set before connected: written on connected().
    QByteArray m_buffer; // Unparsed bytes from the socket.
    QByteArray m_body; // Non-streaming body, or unfinished SSE text.
    State m_state = State::Head;
    int m_status = 0;
    bool m_sse = false;
    qint64 m_remaining = 0; // Of the current chunk or the sized body.
    bool m_chunkData = false;
    qint64 m_sentAt = 0;
    // The SSE event being read.
    QByteArray m_event;
    QByteArray m_data;
    qint64 m_id = -1;
    bool m_closedReported = false;
};

} // namespace parlance::bench
