#include "httpconnection.h"

#include <QDateTime>
#include <QLocale>
#include <QTcpSocket>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

using namespace Qt::StringLiterals;

namespace parlance::sim {

namespace {

constexpr qsizetype maxHeaderBytes = 64 * 1024;
constexpr qsizetype maxBodyBytes = 32 * 1024 * 1024;

QByteArray httpDate()
{
    return QLocale::c()
        .toString(QDateTime::currentDateTimeUtc(), u"ddd, dd MMM yyyy hh:mm:ss 'GMT'"_s)
        .toLatin1();
}

} // namespace

HttpConnection::HttpConnection(QTcpSocket *socket, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
{
    socket->setParent(this);
    // Real providers' servers (nginx, Go's net/http, Envoy) turn Nagle off.
    // Left on, a chunk written while the headers are still unacknowledged
    // waits for the client's delayed ACK (40 ms on Linux) on every reused
    // keep-alive connection: that showed up as ~20 ms of "gateway" TTFT.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(socket, &QTcpSocket::disconnected, this, [this] {
        if (!m_closedEmitted) {
            m_closedEmitted = true;
            Q_EMIT closed();
        }
        deleteLater();
    });
}

HttpConnection::~HttpConnection() = default;

bool HttpConnection::isOpen() const
{
    return m_socket && !m_resetting && m_socket->state() == QAbstractSocket::ConnectedState;
}

QByteArray HttpConnection::reasonPhrase(int status)
{
    switch (status) {
    case 100:
        return "Continue"_ba;
    case 200:
        return "OK"_ba;
    case 400:
        return "Bad Request"_ba;
    case 401:
        return "Unauthorized"_ba;
    case 404:
        return "Not Found"_ba;
    case 405:
        return "Method Not Allowed"_ba;
    case 411:
        return "Length Required"_ba;
    case 413:
        return "Payload Too Large"_ba;
    case 429:
        return "Too Many Requests"_ba;
    case 431:
        return "Request Header Fields Too Large"_ba;
    case 500:
        return "Internal Server Error"_ba;
    case 503:
        return "Service Unavailable"_ba;
    case 529:
        return "Overloaded"_ba;
    default:
        return "Unknown"_ba;
    }
}

void HttpConnection::onReadyRead()
{
    m_buffer += m_socket->readAll();
    parseNext();
}

void HttpConnection::parseNext()
{
    if (m_busy || !isOpen())
        return;
    const qsizetype headerEnd = m_buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0) {
        if (m_buffer.size() > maxHeaderBytes)
            failRequest(431, "request headers too large"_ba);
        return;
    }
    const QList<QByteArray> lines = m_buffer.left(headerEnd).split('\n');
    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine.at(2).startsWith("HTTP/1.")) {
        failRequest(400, "malformed request line"_ba);
        return;
    }
    HttpRequest request;
    request.method = requestLine.at(0);
    const QByteArray target = requestLine.at(1);
    request.path = target.left(target.indexOf('?') < 0 ? target.size() : target.indexOf('?'));
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0) {
            failRequest(400, "malformed header line"_ba);
            return;
        }
        request.headers.insert(line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed());
    }
    if (!request.header("transfer-encoding"_ba).isEmpty()) {
        // Chunked request bodies: no provider client we test sends them.
        failRequest(411, "send the body with content-length"_ba);
        return;
    }
    bool ok = true;
    const QByteArray lengthText = request.header("content-length"_ba);
    const qlonglong length = lengthText.isEmpty() ? 0 : lengthText.toLongLong(&ok);
    if (!ok || length < 0 || length > maxBodyBytes) {
        failRequest(413, "bad or too large content-length"_ba);
        return;
    }
    const qsizetype bodyStart = headerEnd + 4;
    if (m_buffer.size() - bodyStart < length) {
        // curl asks before sending a large body; answer so it goes on.
        if (!m_continueSent
            && request.header("expect"_ba).compare("100-continue", Qt::CaseInsensitive) == 0) {
            m_continueSent = true;
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        }
        return;
    }
    request.body = m_buffer.mid(bodyStart, length);
    m_buffer.remove(0, bodyStart + length);
    m_continueSent = false;

    const QByteArray connection = request.header("connection"_ba).toLower();
    m_keepAlive =
        requestLine.at(2) == "HTTP/1.1" ? connection != "close" : connection == "keep-alive";
    m_busy = true;
    Q_EMIT requestReceived(request);
}

void HttpConnection::writeHead(int status, const HttpHeaders &headers, const QByteArray &framing)
{
    QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status)
        + "\r\ndate: " + httpDate() + "\r\n";
    for (const auto &[name, value] : headers)
        head += name + ": " + value + "\r\n";
    head += framing;
    head += m_keepAlive ? "connection: keep-alive\r\n\r\n"_ba : "connection: close\r\n\r\n"_ba;
    m_socket->write(head);
}

void HttpConnection::sendResponse(int status, const HttpHeaders &headers, const QByteArray &body)
{
    if (!isOpen())
        return;
    writeHead(status, headers, "content-length: " + QByteArray::number(body.size()) + "\r\n");
    m_socket->write(body);
    finishResponse();
}

void HttpConnection::beginStream(int status, const HttpHeaders &headers)
{
    if (isOpen())
        writeHead(status, headers, "transfer-encoding: chunked\r\n"_ba);
}

void HttpConnection::writeChunk(const QByteArray &data)
{
    if (!isOpen() || data.isEmpty())
        return;
    m_socket->write(QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n");
    // Hand the token to the kernel now: left to the write notifier, each one
    // costs two epoll_ctl calls and an extra loop pass, and at thousands of
    // streams the simulator, not the gateway, would set the pace.
    m_socket->flush();
}

void HttpConnection::endStream()
{
    if (!isOpen())
        return;
    m_socket->write("0\r\n\r\n");
    finishResponse();
}

void HttpConnection::reset()
{
    if (!m_socket || m_resetting)
        return;
    m_resetting = true;
    // What was written must reach the client first: the fault is "the
    // connection died after N tokens", not "N tokens lost in our buffer".
    m_socket->flush();
    if (m_socket->bytesToWrite() > 0) {
        connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
            if (m_socket && m_socket->bytesToWrite() == 0)
                hardReset();
        });
        return;
    }
    hardReset();
}

void HttpConnection::hardReset()
{
    if (!m_socket)
        return;
#ifdef Q_OS_UNIX
    // Linger with a zero timeout turns close() into a TCP reset, which is
    // what a crashed upstream or a dropped load-balancer connection looks like.
    const linger hard { 1, 0 };
    ::setsockopt(static_cast<int>(m_socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &hard,
                 sizeof hard);
#endif
    m_socket->abort();
    if (!m_closedEmitted) {
        m_closedEmitted = true;
        Q_EMIT closed();
    }
    deleteLater();
}

void HttpConnection::finishResponse()
{
    m_busy = false;
    if (!m_keepAlive) {
        m_socket->disconnectFromHost();
        return;
    }
    // Queued: the next pipelined request is answered after this call returns.
    QMetaObject::invokeMethod(this, &HttpConnection::parseNext, Qt::QueuedConnection);
}

void HttpConnection::failRequest(int status, const QByteArray &message)
{
    m_keepAlive = false;
    m_buffer.clear();
    sendResponse(status, { { "content-type"_ba, "text/plain"_ba } }, message + '\n');
}

} // namespace parlance::sim
