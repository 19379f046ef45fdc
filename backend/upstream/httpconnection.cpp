#include "upstream/httpconnection.h"

#include "upstream/upstreamlog.h"

#include <QNetworkProxy>
#include <QPointer>
#include <QSslSocket>
#include <QTcpSocket>

using namespace Qt::StringLiterals;

namespace parlance {

HttpConnection::HttpConnection(HttpOrigin origin, const QSslConfiguration &tls,
                               qsizetype maxHeaderBytes, const QNetworkProxy &proxy,
                               QObject *parent)
    : QObject(parent)
    , m_origin(std::move(origin))
    , m_tls(tls)
    , m_proxy(proxy)
    , m_parser(maxHeaderBytes)
{ }

HttpConnection::~HttpConnection()
{
    close();
}

bool HttpConnection::isOpen() const
{
    return m_socket && !m_closed;
}

bool HttpConnection::isReusable() const
{
    return isOpen() && m_ready && !m_inFlight && m_parser.keepAlive()
        && m_socket->bytesAvailable() == 0;
}

bool HttpConnection::isWorthDraining() const
{
    // Complete counts too: the last bytes may have been parsed while the
    // caller was still handling them, before responseFinished().
    return isOpen() && m_inFlight && m_parser.headComplete()
        && m_parser.error() == HttpResponseParser::Error::None;
}

void HttpConnection::send(const HttpRequest &request)
{
    const bool plainProxy = m_proxy.type() == QNetworkProxy::HttpProxy && !m_origin.tls;
    QByteArray proxyAuthorization;
    if (plainProxy && !m_proxy.user().isEmpty())
        proxyAuthorization = "Basic "
            + QByteArray(m_proxy.user().toUtf8() + ':' + m_proxy.password().toUtf8()).toBase64();
    const QByteArray wireRequest = request.serialize(plainProxy, proxyAuthorization);
    Q_ASSERT(!m_inFlight);
    ++m_exchange;
    ++m_requestsSent;
    m_inFlight = true;
    m_discardBody = false;
    m_responseBytes = 0;
    m_parser.reset();
    m_pending = wireRequest;
    m_toWrite = wireRequest.size();
    if (!m_socket)
        openSocket();
    else if (m_ready)
        writePending();
}

void HttpConnection::openSocket()
{
    if (m_origin.tls) {
        auto *socket = new QSslSocket(this);
        // Only HTTP/1.1: this client speaks nothing else, so never let ALPN
        // pick h2. System CAs and peer verification come from m_tls; the
        // host name is both the SNI and the name verified.
        QSslConfiguration config = m_tls;
        config.setAllowedNextProtocols({ "http/1.1"_ba });
        socket->setSslConfiguration(config);
        connect(socket, &QSslSocket::encrypted, this, [this] {
            m_ready = true;
            writePending();
        });
        connect(socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
            QStringList texts;
            for (const QSslError &error : errors)
                texts.append(error.errorString());
            m_tlsErrors = texts.join(u"; "_s);
        });
        m_socket = socket;
    } else {
        m_socket = new QTcpSocket(this);
    }
    // Plain TCP runs unbuffered: reads land straight in our own buffer and a
    // write goes to the kernel at once, so an idle stream's socket keeps no
    // 16 KiB read and 32 KiB write chunk of its own (QRingBuffer keeps one of
    // each for reuse). TLS and SOCKS sockets buffer inside Qt either way.
    const QNetworkProxy::ProxyType proxyType = m_proxy.type();
    m_unbuffered = !m_origin.tls
        && (proxyType == QNetworkProxy::NoProxy || proxyType == QNetworkProxy::HttpProxy);
    // The pool resolved the proxy (http(s)_proxy, no_proxy) for the origin.
    // Through an HTTP proxy, https tunnels with CONNECT (Qt's socket does
    // it, on this thread) and plain http talks to the proxy itself.
    const bool plainProxy = m_proxy.type() == QNetworkProxy::HttpProxy && !m_origin.tls;
    m_socket->setProxy(plainProxy ? QNetworkProxy(QNetworkProxy::NoProxy) : m_proxy);
    connect(m_socket, &QAbstractSocket::connected, this, &HttpConnection::onConnected);
    connect(m_socket, &QIODevice::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QIODevice::bytesWritten, this, &HttpConnection::onBytesWritten);
    connect(m_socket, &QAbstractSocket::errorOccurred, this, &HttpConnection::onSocketClosed);
    connect(m_socket, &QAbstractSocket::disconnected, this, &HttpConnection::onSocketClosed);
    if (m_origin.tls) {
        // The name verified and sent as SNI is the origin's, given
        // explicitly so it never depends on how the socket gets there (a
        // proxy tunnel).
        static_cast<QSslSocket *>(m_socket)->connectToHostEncrypted(m_origin.host, m_origin.port,
                                                                    m_origin.host);
    } else {
        const QIODevice::OpenMode mode =
            m_unbuffered ? QIODevice::ReadWrite | QIODevice::Unbuffered : QIODevice::ReadWrite;
        if (plainProxy)
            m_socket->connectToHost(m_proxy.hostName(), m_proxy.port(), mode);
        else
            m_socket->connectToHost(m_origin.host, m_origin.port, mode);
    }
}

void HttpConnection::onConnected()
{
    // Small SSE chunks must not wait for an ACK (Nagle): see
    // docs/benchmarks-streaming.md for the 40 ms this cost the simulator.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (!m_origin.tls) {
        m_ready = true;
        writePending();
    }
}

void HttpConnection::writePending()
{
    if (m_pending.isEmpty())
        return;
    m_socket->write(std::exchange(m_pending, QByteArray()));
    if (m_unbuffered) {
        // An unbuffered socket reports only what it had to queue through
        // bytesWritten(); what the kernel took at once is already sent.
        m_toWrite = m_socket->bytesToWrite();
        if (m_toWrite == 0 && m_inFlight)
            Q_EMIT requestWritten();
    }
}

void HttpConnection::onBytesWritten(qint64 bytes)
{
    if (!m_inFlight || m_toWrite <= 0)
        return;
    m_toWrite -= bytes;
    if (m_toWrite <= 0)
        Q_EMIT requestWritten();
}

void HttpConnection::onReadyRead()
{
    if (m_closed)
        return;
    bool atEnd = false;
    const QByteArray data = readAvailable(&atEnd);
    if (data.isEmpty()) {
        if (atEnd)
            onSocketClosed();
        return;
    }
    m_bytesReceived += data.size();
    if (!m_inFlight) {
        // Bytes nobody asked for: the connection's framing is lost.
        qCDebug(lcUpstream) << "unexpected bytes on an idle connection to" << m_origin.toString();
        close();
        Q_EMIT closed();
        return;
    }
    m_responseBytes += data.size();
    const QPointer<HttpConnection> self(this);
    const quint64 exchange = m_exchange;
    const auto stillOurs = [&] { return self && m_exchange == exchange && m_inFlight; };

    const bool hadHead = m_parser.headComplete();
    QByteArray body;
    const bool ok = m_parser.feed(data, &body);
    if (!hadHead && m_parser.headComplete()) {
        Q_EMIT headReceived(m_parser.head());
        if (!stillOurs())
            return;
    }
    if (!body.isEmpty() && !m_discardBody) {
        Q_EMIT bodyReceived(body);
        if (!stillOurs())
            return;
    }
    if (!ok) {
        const bool tooLarge = m_parser.error() == HttpResponseParser::Error::HeadersTooLarge;
        finishResponse(HttpError { tooLarge ? HttpError::Kind::HeadersTooLarge
                                            : HttpError::Kind::MalformedResponse,
                                   m_parser.errorString(), false });
    } else if (m_parser.isComplete()) {
        finishResponse(HttpError {});
    }
    if (atEnd && self && !m_closed)
        onSocketClosed();
}

QByteArray HttpConnection::readAvailable(bool *atEnd)
{
    // One read of everything the socket has, never a byte at a time.
    if (!m_unbuffered)
        return m_socket->readAll();
    // Unbuffered, a read goes to the kernel: read into a chunk until it comes
    // back short. The end of the stream (or an error) is -1 here, and Qt
    // emits no disconnected() for it, so the caller handles the close.
    QByteArray data;
    for (;;) {
        const qsizetype had = data.size();
        data.resize(had + ReadChunk);
        const qint64 got = m_socket->read(data.data() + had, ReadChunk);
        data.resize(had + std::max<qint64>(got, 0));
        if (got < 0)
            *atEnd = true;
        if (got < ReadChunk)
            break;
    }
    return data;
}

void HttpConnection::onSocketClosed()
{
    if (m_closed || !m_socket)
        return;
    // What arrived with the close is part of the response.
    if (m_socket->bytesAvailable() > 0) {
        const QPointer<HttpConnection> self(this);
        onReadyRead();
        if (!self || m_closed)
            return;
    }
    const HttpError error = socketError();
    const bool wasInFlight = m_inFlight;
    close();
    if (!wasInFlight) {
        Q_EMIT closed();
        return;
    }
    if (m_parser.finishAtEof()) {
        finishResponse(HttpError {}); // a body delimited by the close
        return;
    }
    finishResponse(error);
}

HttpError HttpConnection::socketError() const
{
    HttpError error;
    error.beforeResponse = m_responseBytes == 0;
    error.message = m_socket->errorString();
    switch (m_socket->error()) {
    case QAbstractSocket::ConnectionRefusedError:
        error.kind = HttpError::Kind::ConnectionRefused;
        break;
    case QAbstractSocket::HostNotFoundError:
        error.kind = HttpError::Kind::HostNotFound;
        break;
    case QAbstractSocket::SslHandshakeFailedError:
    case QAbstractSocket::SslInternalError:
    case QAbstractSocket::SslInvalidUserDataError:
        error.kind = HttpError::Kind::Tls;
        error.message = u"TLS: "_s + (m_tlsErrors.isEmpty() ? error.message : m_tlsErrors);
        break;
    case QAbstractSocket::RemoteHostClosedError:
    case QAbstractSocket::UnknownSocketError: // a plain disconnected()
        error.kind = HttpError::Kind::ConnectionClosed;
        error.message = error.beforeResponse ? u"connection closed before the response"_s
                                             : u"connection closed mid-response"_s;
        break;
    default:
        error.kind = HttpError::Kind::Network;
        break;
    }
    return error;
}

void HttpConnection::finishResponse(const HttpError &error)
{
    if (!m_inFlight)
        return;
    m_inFlight = false;
    if (!error.ok() || !m_parser.keepAlive())
        close();
    Q_EMIT responseFinished(error);
}

void HttpConnection::close()
{
    if (m_closed)
        return;
    m_closed = true;
    m_ready = false;
    if (m_socket) {
        disconnect(m_socket, nullptr, this, nullptr);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
}

} // namespace parlance
