#include "http/requestcontext.h"

#include "common/workerpool.h"
#include "contract/errorcodes.h"
#include "http/accesslog.h"
#include "http/connectionguard.h"
#include "http/detachedconnection.h"
#include "http/httplog.h"
#include "http/httpruntime.h"

#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QThread>

using namespace Qt::StringLiterals;

namespace parlance::http {

bool isSaneRequestId(QByteArrayView id)
{
    if (id.isEmpty() || id.size() > 128)
        return false;
    for (const char c : id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '-' || c == '_' || c == '.';
        if (!ok)
            return false;
    }
    return true;
}

namespace {
QString newRequestId()
{
    quint64 words[2];
    QRandomGenerator::global()->fillRange(words);
    return QString::fromLatin1(
        QByteArray(reinterpret_cast<const char *>(words), sizeof(words)).toHex());
}

bool wantsClose(const RequestContext::Request &request)
{
    for (const auto &[name, value] : request.headers) {
        if (name.compare("connection", Qt::CaseInsensitive) == 0)
            return value.toLower().contains("close");
    }
    return false;
}
} // namespace

RequestContext::RequestContext(HttpRuntime &runtime, Request request,
                               QHttpServerResponder &&responder, QObject *connectionThreadObject)
    : m_runtime(runtime)
    , m_request(std::move(request))
    , m_responder(std::make_unique<QHttpServerResponder>(std::move(responder)))
    , m_socket(m_responder->socket())
    , m_threadObject(connectionThreadObject)
{
    m_elapsed.start();
    m_runtime.inFlight.fetch_add(1, std::memory_order_relaxed);
    const QByteArray clientId = header("x-request-id");
    m_requestId = isSaneRequestId(clientId) ? QString::fromLatin1(clientId) : newRequestId();
    m_closeAfter = wantsClose(m_request);
    if (auto *guard = ConnectionGuard::of(m_socket))
        guard->requestDispatched();
}

RequestContext::~RequestContext()
{
    if (!m_responded) {
        // Safe only on the connection's thread; the runOnWorker plumbing makes
        // sure the last reference is dropped there.
        qCWarning(lcHttp) << "handler for" << methodName(m_request.method) << m_request.path
                          << "did not answer";
        if (m_socket && QThread::currentThread() == m_socket->thread())
            respondError(errc::Internal, u"The server failed to answer this request."_s);
        else
            m_runtime.inFlight.fetch_sub(1, std::memory_order_relaxed);
    }
}

QString RequestContext::queryValue(const QString &name) const
{
    if (!m_request.query.hasQueryItem(name))
        return QString();
    return m_request.query.queryItemValue(name, QUrl::FullyDecoded);
}

QByteArray RequestContext::header(QByteArrayView name) const
{
    for (const auto &[key, value] : m_request.headers) {
        if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return QByteArray();
}

Result<QJsonObject> RequestContext::jsonObject() const
{
    const QByteArray type = header("content-type").trimmed().toLower();
    const qsizetype semicolon = type.indexOf(';');
    const QByteArray mime = (semicolon < 0 ? type : type.first(semicolon)).trimmed();
    if (mime != "application/json")
        return ApiError { QString(errc::UnsupportedMediaType),
                          u"The request body must be sent as application/json."_s,
                          {} };
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(m_request.body, &error);
    if (error.error != QJsonParseError::NoError)
        return ApiError { QString(errc::MalformedJson),
                          u"The request body is not valid JSON (at byte %1: %2)."_s.arg(
                              QString::number(error.offset), error.errorString()),
                          {} };
    if (!doc.isObject())
        return ApiError { QString(errc::MalformedJson),
                          u"The request body must be a JSON object."_s,
                          {} };
    return doc.object();
}

bool RequestContext::clientGone() const
{
    return !m_socket || m_socket->state() != QAbstractSocket::ConnectedState;
}

void RequestContext::addResponseHeader(QByteArray name, QByteArray value)
{
    m_responseHeaders.append({ std::move(name), std::move(value) });
}

void RequestContext::respondJson(int status, const QJsonObject &body)
{
    finish(status, QJsonDocument(body).toJson(QJsonDocument::Compact), "application/json");
}

void RequestContext::respondJson(int status, const QJsonArray &body)
{
    finish(status, QJsonDocument(body).toJson(QJsonDocument::Compact), "application/json");
}

void RequestContext::respondJsonText(int status, const QByteArray &body)
{
    finish(status, body, "application/json");
}

void RequestContext::respondError(const ApiError &error)
{
    if (error.retryAfterSeconds)
        addResponseHeader("Retry-After", QByteArray::number(*error.retryAfterSeconds));
    const int status = errc::httpStatusFor(QLatin1StringView(error.code.toLatin1()));
    if (status == 401)
        addResponseHeader("WWW-Authenticate", "Bearer");
    finish(status, QJsonDocument(error.toEnvelope()).toJson(QJsonDocument::Compact),
           "application/json");
}

void RequestContext::respondError(QLatin1StringView code, const QString &message)
{
    respondError(ApiError { QString(code), message, {} });
}

void RequestContext::respondEmpty(int status)
{
    finish(status, QByteArray(), QByteArray());
}

void RequestContext::respondBytes(int status, const QByteArray &body, const QByteArray &contentType)
{
    finish(status, body, contentType);
}

void RequestContext::respondOverloaded()
{
    respondError(
        ApiError { QString(errc::Overloaded), u"The server is busy; please retry shortly."_s, 1 });
}

void RequestContext::finish(int status, const QByteArray &body, const QByteArray &contentType)
{
    if (m_responded)
        return;
    m_responded = true;
    m_runtime.inFlight.fetch_sub(1, std::memory_order_relaxed);
    writeAccessLog(status, body.size());

    ConnectionGuard *guard = ConnectionGuard::of(m_socket);
    // The client left, or a limit already answered on this connection:
    // writing now would crash (freed socket) or corrupt the stream.
    if (clientGone() || (guard && guard->rejected()))
        return;
    const bool close = m_closeAfter || m_runtime.draining.load(std::memory_order_relaxed);
    QHttpServerResponder &out = *m_responder;
    out.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(status));
    if (!contentType.isEmpty())
        out.writeHeader("Content-Type", contentType);
    out.writeHeader("X-Request-Id", m_requestId.toLatin1());
    for (const auto &[name, value] : std::as_const(m_responseHeaders))
        out.writeHeader(name, value);
    if (close)
        out.writeHeader("Connection", "close");
    // RFC 9110 §8.6: no Content-Length on 204 and 304.
    if (status != 204 && status != 304)
        out.writeHeader("Content-Length", QByteArray::number(body.size()));
    out.writeBody(body);
    if (guard)
        guard->responseFinished(close);
}

std::unique_ptr<QHttpServerResponder>
RequestContext::beginStreaming(int status, const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    if (m_responded)
        return nullptr;
    m_responded = true;
    m_runtime.inFlight.fetch_sub(1, std::memory_order_relaxed);
    writeAccessLog(status, 0);
    ConnectionGuard *guard = ConnectionGuard::of(m_socket);
    if (clientGone() || (guard && guard->rejected()))
        return nullptr;
    QHttpServerResponder &out = *m_responder;
    out.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(status));
    out.writeHeader("X-Request-Id", m_requestId.toLatin1());
    for (const auto &[name, value] : headers)
        out.writeHeader(name, value);
    for (const auto &[name, value] : std::as_const(m_responseHeaders))
        out.writeHeader(name, value);
    out.writeHeader("Connection", "close");
    // The first writeBody() ends the head with its blank line; flush it now
    // so the client sees the stream open before the first event.
    out.writeBody(QByteArray());
    return std::move(m_responder);
}

DetachedConnection *RequestContext::detach(std::unique_ptr<QHttpServerResponder> &responder)
{
    static const bool enabled = qEnvironmentVariable("PARLANCE_SSE_DETACH") != u"0"_s;
    if (!enabled || !responder)
        return nullptr;
    DetachedConnection *connection = DetachedConnection::take(responder->socket(), m_runtime);
    if (connection)
        responder.reset();
    return connection;
}

void RequestContext::writeAccessLog(int status, qint64 bytes) const
{
    if (!m_runtime.accessLog)
        return;
    AccessLog::Entry entry;
    entry.requestId = m_requestId;
    entry.userId = m_principal ? m_principal->userId : QString();
    entry.method = methodName(m_request.method);
    entry.path = m_request.path;
    entry.status = status;
    entry.durationMs = double(m_elapsed.nsecsElapsed()) / 1e6;
    entry.bytes = bytes;
    // Read once per thread: an event-loop thread's name is set before it
    // starts and never changes.
    static thread_local const QString threadName = QThread::currentThread()->objectName();
    entry.thread = threadName;
    m_runtime.accessLog->write(entry);
}

bool RequestContext::submitToWorker(std::function<void()> job)
{
    return m_runtime.workers && m_runtime.workers->submit(std::move(job));
}

void RequestContext::postToConnectionThread(std::function<void()> callback)
{
    // The per-thread server object outlives every request (shutdown waits for
    // in-flight requests before it is destroyed), so the call is delivered.
    QMetaObject::invokeMethod(m_threadObject, std::move(callback), Qt::QueuedConnection);
}

} // namespace parlance::http
