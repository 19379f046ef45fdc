#include "http/connectionguard.h"

#include "contract/errorcodes.h"
#include "domain/apierror.h"
#include "http/httplog.h"
#include "http/httpruntime.h"

#include <QJsonDocument>
#include <QSslSocket>
#include <QTcpSocket>

#include <sys/socket.h>

using namespace Qt::StringLiterals;

namespace parlance::http {

namespace {
// Long enough for a client to read the error after we half-close; short
// enough that refused connections cannot pile up.
constexpr int LingerMs = 2000;

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 400:
        return "Bad Request";
    case 408:
        return "Request Timeout";
    case 413:
        return "Payload Too Large";
    case 431:
        return "Request Header Fields Too Large";
    case 503:
        return "Service Unavailable";
    default:
        return "Error";
    }
}
} // namespace

ConnectionGuard::ConnectionGuard(QTcpSocket *socket, HttpRuntime &runtime, bool counted)
    : QObject(socket)
    , m_socket(socket)
    , m_runtime(runtime)
    , m_counted(counted)
{
    if (m_counted)
        m_runtime.connections.fetch_add(1, std::memory_order_relaxed);
    m_requestTimer.setSingleShot(true);
    m_idleTimer.setSingleShot(true);
    m_lingerTimer.setSingleShot(true);
    m_requestTimer.setInterval(m_runtime.limits.requestTimeout);
    m_idleTimer.setInterval(m_runtime.limits.idleTimeout);
    m_lingerTimer.setInterval(LingerMs);
    connect(&m_requestTimer, &QTimer::timeout, this, [this] {
        qCInfo(lcHttp) << "request timeout, closing connection from" << m_socket->peerAddress();
        reject(errc::RequestTimeout, u"The request took too long to arrive."_s);
    });
    connect(&m_idleTimer, &QTimer::timeout, this, [this] {
        if (m_socket)
            m_socket->disconnectFromHost();
    });
    connect(&m_lingerTimer, &QTimer::timeout, this, [this] {
        if (m_socket)
            m_socket->abort();
    });
    // Connected before QAbstractHttpServer connects its own handler (the
    // socket reaches it through nextPendingConnection after this), so this
    // runs first for every chunk of input.
    connect(socket, &QIODevice::readyRead, this, &ConnectionGuard::onReadyRead);
    updateIdleTimer();
}

ConnectionGuard::~ConnectionGuard()
{
    if (m_counted)
        m_runtime.connections.fetch_sub(1, std::memory_order_relaxed);
}

ConnectionGuard *ConnectionGuard::of(QTcpSocket *socket)
{
    return socket ? socket->findChild<ConnectionGuard *>(QString(), Qt::FindDirectChildrenOnly)
                  : nullptr;
}

void ConnectionGuard::onReadyRead()
{
    if (!m_socket)
        return;
    if (m_rejected) {
        // Lingering: discard whatever the client still sends.
        m_socket->readAll();
        return;
    }
    const QByteArray fresh = m_socket->peek(m_socket->bytesAvailable());
    scan(fresh.constData(), fresh.size());
}

void ConnectionGuard::scan(const char *data, qint64 size)
{
    const HttpLimits &limits = m_runtime.limits;
    qint64 i = 0;
    while (i < size && !m_rejected) {
        switch (m_phase) {
        case Phase::Head: {
            const char c = data[i++];
            // Qt's parser skips blank lines between requests; so do we, so
            // that a stray CRLF does not start the request clock.
            if (m_head.isEmpty() && (c == '\r' || c == '\n'))
                continue;
            if (m_head.isEmpty()) {
                m_idleTimer.stop();
                m_requestTimer.start();
            }
            m_head.append(c);
            if (m_head.size() > limits.maxHeaderBytes) {
                reject(
                    errc::HeadersTooLarge,
                    u"The request line and headers exceed %1 bytes."_s.arg(limits.maxHeaderBytes));
                return;
            }
            if (c == '\n' && (m_head.endsWith("\n\r\n") || m_head.endsWith("\n\n")))
                headerComplete();
            break;
        }
        case Phase::Body: {
            const qint64 take = std::min(m_bodyRemaining, size - i);
            m_bodyRemaining -= take;
            i += take;
            if (m_bodyRemaining == 0)
                requestOnWireComplete();
            break;
        }
        case Phase::BodyUntilDispatch:
            // Chunked framing is not tracked; the wire bytes are counted
            // (an upper bound of the decoded size) until Qt's parser has
            // the whole request and requestDispatched() resets the phase.
            m_bodySeen += size - i;
            i = size;
            if (m_bodySeen > limits.maxBodyBytes)
                reject(errc::PayloadTooLarge,
                       u"The request body exceeds %1 bytes."_s.arg(limits.maxBodyBytes));
            break;
        }
    }
}

void ConnectionGuard::headerComplete()
{
    qint64 contentLength = -1;
    bool chunked = false;
    bool badLength = false;
    const QList<QByteArray> lines = m_head.split('\n');
    for (qsizetype n = 1; n < lines.size(); ++n) {
        const QByteArray &line = lines[n];
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.first(colon).trimmed().toLower();
        const QByteArray value = line.sliced(colon + 1).trimmed();
        if (name == "content-length") {
            bool ok = false;
            const qint64 parsed = value.toLongLong(&ok);
            // Two different lengths are a request-smuggling signature.
            if (!ok || parsed < 0 || (contentLength >= 0 && parsed != contentLength))
                badLength = true;
            contentLength = parsed;
        } else if (name == "transfer-encoding") {
            chunked = chunked || value.toLower().contains("chunked");
        }
    }
    m_head.clear();
    if (badLength || (chunked && contentLength >= 0)) {
        reject(errc::InvalidField, u"The Content-Length header is invalid."_s);
        return;
    }
    if (contentLength > m_runtime.limits.maxBodyBytes) {
        reject(errc::PayloadTooLarge,
               u"The request body exceeds %1 bytes."_s.arg(m_runtime.limits.maxBodyBytes));
        return;
    }
    if (chunked) {
        m_phase = Phase::BodyUntilDispatch;
        m_bodySeen = 0;
    } else if (contentLength > 0) {
        m_phase = Phase::Body;
        m_bodyRemaining = contentLength;
    } else {
        requestOnWireComplete();
    }
}

void ConnectionGuard::requestOnWireComplete()
{
    m_phase = Phase::Head;
    m_requestTimer.stop();
}

void ConnectionGuard::requestDispatched()
{
    ++m_inFlight;
    if (m_phase == Phase::BodyUntilDispatch)
        requestOnWireComplete();
    m_idleTimer.stop();
}

void ConnectionGuard::responseFinished(bool close)
{
    if (m_inFlight > 0)
        --m_inFlight;
    if (!m_socket || m_rejected)
        return;
    if (close || m_closeWhenIdle) {
        m_socket->disconnectFromHost();
        return;
    }
    updateIdleTimer();
}

void ConnectionGuard::updateIdleTimer()
{
    if (m_inFlight == 0 && m_phase == Phase::Head && m_head.isEmpty())
        m_idleTimer.start();
}

void ConnectionGuard::closeIfIdle()
{
    m_closeWhenIdle = true;
    if (m_socket && m_inFlight == 0 && m_phase == Phase::Head && m_head.isEmpty())
        m_socket->disconnectFromHost();
}

void ConnectionGuard::reject(QLatin1StringView code, const QString &message,
                             std::optional<int> retryAfter)
{
    if (m_rejected || !m_socket)
        return;
    m_rejected = true;
    m_requestTimer.stop();
    m_idleTimer.stop();
    // Qt's parser must not see another byte: it would otherwise go on
    // buffering an oversized body or hand a half-read request to a handler.
    QObject::disconnect(m_socket, &QIODevice::readyRead, nullptr, nullptr);
    connect(m_socket, &QIODevice::readyRead, this, &ConnectionGuard::onReadyRead);
    if (m_socket->isTransactionStarted())
        m_socket->commitTransaction();
    m_socket->readAll();

    const int status = errc::httpStatusFor(code);
    const QByteArray body = QJsonDocument(ApiError { code, message, retryAfter }.toEnvelope())
                                .toJson(QJsonDocument::Compact);
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status)
        + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size())
        + "\r\nConnection: close\r\n";
    if (retryAfter)
        response += "Retry-After: " + QByteArray::number(*retryAfter) + "\r\n";
    response += "\r\n" + body;
    m_socket->write(response);
    qCDebug(lcHttp) << "rejected connection from" << m_socket->peerAddress() << code;
    lingerAfterFlush();
}

void ConnectionGuard::lingerAfterFlush()
{
    m_lingerTimer.start();
    if (qobject_cast<QSslSocket *>(m_socket)) {
        m_socket->disconnectFromHost();
        return;
    }
    auto halfClose = [this] {
        if (m_socket && m_socket->bytesToWrite() == 0 && m_socket->socketDescriptor() >= 0)
            ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
    };
    m_socket->flush();
    if (m_socket->bytesToWrite() == 0)
        halfClose();
    else
        connect(m_socket, &QIODevice::bytesWritten, this, halfClose);
}

} // namespace parlance::http
