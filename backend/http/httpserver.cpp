#include "http/httpserver.h"

#include "auth/accesstokenservice.h"
#include "contract/errorcodes.h"
#include "http/connectionguard.h"
#include "http/httpruntime.h"
#include "http/requestcontext.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QTcpSocket>
#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace parlance::http {

namespace {
Method toMethod(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return Method::Get;
    case QHttpServerRequest::Method::Post:
        return Method::Post;
    case QHttpServerRequest::Method::Put:
        return Method::Put;
    case QHttpServerRequest::Method::Patch:
        return Method::Patch;
    case QHttpServerRequest::Method::Delete:
        return Method::Delete;
    case QHttpServerRequest::Method::Head:
        return Method::Head;
    case QHttpServerRequest::Method::Options:
        return Method::Options;
    default:
        return Method::Other;
    }
}

// The bearer token of the Authorization header; empty when there is none.
QStringView bearerToken(const QByteArray &header, QString &storage)
{
    static constexpr QByteArrayView scheme("bearer ");
    if (header.size() <= scheme.size()
        || QByteArrayView(header).first(scheme.size()).compare(scheme, Qt::CaseInsensitive) != 0)
        return {};
    storage = QString::fromLatin1(header.sliced(scheme.size()).trimmed());
    return storage;
}
} // namespace

HttpServer::HttpServer(HttpRuntime &runtime, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_runtime(runtime)
{
    // Connecting the signal is what makes Qt accept upgrades at all.
    if (m_runtime.webSocketHandler) {
        connect(this, &QAbstractHttpServer::newWebSocketConnection, this, [this] {
            while (hasPendingWebSocketConnections()) {
                if (QWebSocket *socket = nextPendingWebSocketConnection().release())
                    m_runtime.webSocketHandler(socket);
            }
        });
    }
}

bool HttpServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    if (ConnectionGuard *guard = ConnectionGuard::of(socket); guard && guard->rejected())
        return true;
    // Qt 6.4 asks handleRequest() about an "Upgrade: websocket" request and,
    // when it returns true, hands the socket to its QWebSocketServer. Answer
    // nothing here: the WebSocket handler authenticates on the open socket.
    if (m_runtime.webSocketHandler
        && request.value("upgrade").compare("websocket", Qt::CaseInsensitive) == 0) {
        return true;
    }
    RequestContext::Request copy;
    copy.method = toMethod(request.method());
    copy.path = request.url().path(QUrl::FullyEncoded);
    copy.query = request.query();
    copy.headers = request.headers();
    copy.body = request.body();
    copy.peer = request.remoteAddress();
    auto ctx = std::make_shared<RequestContext>(m_runtime, std::move(copy),
                                                makeResponder(request, socket), this);
    dispatch(m_runtime, *ctx);
    return true;
}

void HttpServer::missingHandler(const QHttpServerRequest &, QTcpSocket *)
{
    // Unreachable: handleRequest() takes every request.
}

void dispatch(HttpRuntime &runtime, RequestContext &ctx)
{
    const Router::Match match = runtime.router.match(ctx.method(), ctx.path());
    if (!match.route) {
        if (match.allowed.isEmpty()) {
            ctx.respondError(errc::NotFound, u"No such endpoint."_s);
            return;
        }
        QByteArray allow;
        for (const Method method : match.allowed)
            allow += (allow.isEmpty() ? "" : ", ") + QByteArray(methodName(method).data());
        ctx.addResponseHeader("Allow", allow);
        ctx.respondError(errc::MethodNotAllowed,
                         u"This endpoint accepts %1."_s.arg(QString::fromLatin1(allow)));
        return;
    }
    const Route &route = *match.route;
    ctx.setPathArgs(match.args);

    QString storage;
    const QStringView token = bearerToken(ctx.header("authorization"), storage);
    if (!token.isEmpty() && runtime.accessTokens) {
        const Result<AccessClaims> claims = runtime.accessTokens->verify(token);
        if (claims) {
            ctx.setPrincipal(Principal { claims->userId, claims->role });
        } else if (route.access != Access::Public) {
            ctx.respondError(claims.error());
            return;
        }
    }
    if (route.access != Access::Public && !ctx.principal()) {
        ctx.respondError(errc::Unauthenticated, u"This endpoint needs a bearer access token."_s);
        return;
    }
    if (route.access == Access::Admin && !ctx.principal()->isAdmin()) {
        ctx.respondError(errc::Forbidden, u"This endpoint is for administrators."_s);
        return;
    }
    route.handler(ctx);
}

} // namespace parlance::http
