#pragma once

#include <QAbstractHttpServer>

namespace parlance::http {

struct HttpRuntime;
class RequestContext;

// One per event-loop thread. Qt's QHttpServer routing is bypassed: every
// request comes here whole, becomes a RequestContext and goes through our
// Router, which gives 404/405 with Allow, path arguments, auth and one error
// shape for everything.
class HttpServer : public QAbstractHttpServer
{
    Q_OBJECT
public:
    explicit HttpServer(HttpRuntime &runtime, QObject *parent = nullptr);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    HttpRuntime &m_runtime;
};

// Routes one request: 404 / 405, authentication, then the handler.
void dispatch(HttpRuntime &runtime, RequestContext &ctx);

} // namespace parlance::http
