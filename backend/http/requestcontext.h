#pragma once

#include "common/result.h"
#include "domain/jsonreader.h"
#include "http/router.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QUrlQuery>

#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

QT_BEGIN_NAMESPACE
class QHttpServerResponder;
class QTcpSocket;
QT_END_NAMESPACE

namespace parlance::http {

struct HttpRuntime;

// The authenticated caller, from a verified bearer access token.
struct Principal
{
    QString userId;
    QString role;
    [[nodiscard]] bool isAdmin() const { return role == QLatin1StringView("admin"); }
};

// Everything a handler needs for one request: the request itself (copied out
// of Qt's per-connection request object, so it stays valid after the handler
// returns), the caller, and the ways to answer.
//
// Answer exactly once with respondJson / respondError / respondEmpty. Every
// respond* call is a no-op after the first and when the client has gone, so a
// late answer after a disconnect is safe. A context that is dropped without an
// answer sends 500 internal_error (a bug, logged).
//
// Thread rules: a context belongs to its connection's event-loop thread. Only
// the `work` part of runOnWorker runs elsewhere, and it must not touch the
// context.
class DetachedConnection;

class RequestContext : public std::enable_shared_from_this<RequestContext>
{
public:
    struct Request
    {
        Method method = Method::Get;
        QString path; // decoded path, no query
        QUrlQuery query;
        QList<std::pair<QByteArray, QByteArray>> headers;
        QByteArray body;
        QHostAddress peer;
    };

    RequestContext(HttpRuntime &runtime, Request request, QHttpServerResponder &&responder,
                   QObject *connectionThreadObject);
    ~RequestContext();
    RequestContext(const RequestContext &) = delete;
    RequestContext &operator=(const RequestContext &) = delete;

    // --- The request ---------------------------------------------------------
    [[nodiscard]] Method method() const { return m_request.method; }
    [[nodiscard]] const QString &path() const { return m_request.path; }
    // Values of the route template's "<arg>" placeholders, percent-decoded.
    [[nodiscard]] const QStringList &pathArgs() const { return m_pathArgs; }
    [[nodiscard]] QString pathArg(qsizetype index = 0) const { return m_pathArgs.value(index); }
    [[nodiscard]] const QUrlQuery &query() const { return m_request.query; }
    // Fully decoded; a null QString when absent.
    [[nodiscard]] QString queryValue(const QString &name) const;
    // First header with this name, case-insensitive; empty when absent.
    [[nodiscard]] QByteArray header(QByteArrayView name) const;
    [[nodiscard]] const QByteArray &body() const { return m_request.body; }
    [[nodiscard]] const QHostAddress &peerAddress() const { return m_request.peer; }
    [[nodiscard]] const QString &requestId() const { return m_requestId; }

    // The body as a JSON object: unsupported_media_type (415) unless the
    // Content-Type is application/json, malformed_json (400) when it does not
    // parse or is not an object.
    [[nodiscard]] Result<QJsonObject> jsonObject() const;
    // The body read into a domain type with its `static T readFrom(JsonReader&)`
    // (strict: missing_field / invalid_field name the field).
    template<typename T> [[nodiscard]] Result<T> readBody() const
    {
        const Result<QJsonObject> json = jsonObject();
        if (!json)
            return json.error();
        return readJson<T>(*json);
    }

    // --- The caller ----------------------------------------------------------
    // Set for User/Admin routes (always) and for public routes when a valid
    // bearer token came along.
    [[nodiscard]] const std::optional<Principal> &principal() const { return m_principal; }
    // The caller of a User/Admin route. Do not call on public routes.
    [[nodiscard]] const Principal &user() const { return *m_principal; }

    // --- Answering -----------------------------------------------------------
    // Extra response headers (Location, Cache-Control, ...) for the answer.
    void addResponseHeader(QByteArray name, QByteArray value);
    void respondJson(int status, const QJsonObject &body);
    void respondJson(int status, const QJsonArray &body);
    // Body already written as JSON text (domain/jsontext.h): the hot list
    // and history answers skip building a QJsonObject tree.
    void respondJsonText(int status, const QByteArray &body);
    // The error shape {"error":{...}} with status errc::httpStatusFor(code)
    // and Retry-After when retryAfterSeconds is set.
    void respondError(const ApiError &error);
    void respondError(QLatin1StringView code, const QString &message);
    // 204 by default.
    void respondEmpty(int status = 204);
    void respondBytes(int status, const QByteArray &body, const QByteArray &contentType);

    // A streamed answer (SSE): writes the status line, the headers given
    // plus X-Request-Id and "Connection: close" (the body ends when the
    // connection does), counts the request as answered (access log, in-flight
    // count), and hands over the responder for writeBody() per event. Null
    // when the client already left. The caller guards the socket with a
    // QPointer and, at the end, calls ConnectionGuard::responseFinished(true).
    [[nodiscard]] std::unique_ptr<QHttpServerResponder>
    beginStreaming(int status, const QList<std::pair<QByteArray, QByteArray>> &headers);
    // After beginStreaming(): moves a plain-TCP connection out of Qt
    // HttpServer into a DetachedConnection (see there) and consumes the
    // responder. Null, with the responder left as it was, when the connection
    // must stay with Qt (TLS, unread input) or PARLANCE_SSE_DETACH=0.
    [[nodiscard]] DetachedConnection *detach(std::unique_ptr<QHttpServerResponder> &responder);

    [[nodiscard]] bool hasResponded() const { return m_responded; }
    // True once the client has disconnected; work may stop early.
    [[nodiscard]] bool clientGone() const;

    // --- Blocking work -------------------------------------------------------
    // Runs `work()` on the worker pool, then `done(result)` (or `done()` when
    // work returns void) back on this connection's thread. The context stays
    // alive until `done` has returned, so `done` may capture `&ctx` (the
    // context) by reference. `work` must not touch the context: copy what it
    // needs (path args, body fields, user id) into its captures.
    // When the queue is full the client gets 503 overloaded and neither runs.
    // If the client leaves meanwhile, `done` still runs and its answer is
    // dropped.
    template<typename Work, typename Done> void runOnWorker(Work work, Done done)
    {
        using R = std::invoke_result_t<Work &>;
        auto self = shared_from_this();
        const bool queued = submitToWorker(
            [self = std::move(self), work = std::move(work), done = std::move(done)]() mutable {
                RequestContext *ctx = self.get();
                if constexpr (std::is_void_v<R>) {
                    work();
                    // Moving self into the callback means the last reference is
                    // dropped on the connection thread, never on the worker.
                    ctx->postToConnectionThread(
                        [self = std::move(self), done = std::move(done)]() mutable { done(); });
                } else {
                    auto result = std::make_shared<R>(work());
                    ctx->postToConnectionThread([self = std::move(self), done = std::move(done),
                                                 result]() mutable { done(std::move(*result)); });
                }
            });
        if (!queued)
            respondOverloaded();
    }

    // --- Used by the HTTP layer ----------------------------------------------
    void setPathArgs(QStringList args) { m_pathArgs = std::move(args); }
    void setPrincipal(std::optional<Principal> principal) { m_principal = std::move(principal); }
    [[nodiscard]] HttpRuntime &runtime() const { return m_runtime; }

private:
    [[nodiscard]] bool submitToWorker(std::function<void()> job);
    void postToConnectionThread(std::function<void()> callback);
    void respondOverloaded();
    void finish(int status, const QByteArray &body, const QByteArray &contentType);
    void writeAccessLog(int status, qint64 bytes) const;

    HttpRuntime &m_runtime;
    Request m_request;
    std::unique_ptr<QHttpServerResponder> m_responder;
    QPointer<QTcpSocket> m_socket;
    QPointer<QObject> m_threadObject;
    QStringList m_pathArgs;
    std::optional<Principal> m_principal;
    QString m_requestId;
    QList<std::pair<QByteArray, QByteArray>> m_responseHeaders;
    QElapsedTimer m_elapsed;
    bool m_responded = false;
    bool m_closeAfter = false;
};

// A sane client request id: 1-128 chars of [A-Za-z0-9._-].
[[nodiscard]] bool isSaneRequestId(QByteArrayView id);

} // namespace parlance::http
