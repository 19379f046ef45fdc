#include "http/systemapi.h"

#include "contract/apipaths.h"
#include "contract/errorcodes.h"
#include "http/openapi.h"
#include "http/requestcontext.h"
#include "http/router.h"

#include <QThread>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace parlance::http {

void SystemApi::registerRoutes(Router &router, Options options)
{
    router
        .add(Method::Get, api::Healthz, Access::Public, u"Liveness: the process answers"_s,
             [](RequestContext &ctx) {
                 ctx.respondJson(200, QJsonObject { { u"status"_s, u"ok"_s } });
             })
        .tag = u"system"_s;

    auto probe = options.readinessProbe;
    router
        .add(Method::Get, api::Readyz, Access::Public,
             u"Readiness: dependencies (database) answer"_s,
             [probe](RequestContext &ctx) {
                 ctx.runOnWorker(
                     [probe]() -> Status { return probe ? probe() : Status(Done {}); },
                     [&ctx](Status status) {
                         if (status) {
                             ctx.respondJson(200, QJsonObject { { u"status"_s, u"ready"_s } });
                             return;
                         }
                         ctx.respondError(ApiError { QString(errc::Unavailable),
                                                     u"Not ready: "_s + status.error().message,
                                                     5 });
                     });
             })
        .tag = u"system"_s;

    // The router is complete before any request arrives, so reading it here
    // is safe; the document is rebuilt per request (cheap, rarely fetched).
    const Router *table = &router;
    const QString version = options.version;
    router
        .add(Method::Get, api::OpenApi, Access::Public,
             u"This OpenAPI document, generated from the route table"_s,
             [table, version](RequestContext &ctx) {
                 ctx.respondJson(200, openApiDocument(*table, version));
             })
        .tag = u"system"_s;

    if (options.testHooks) {
        router
            .add(Method::Get, "/api/v1/_test/sleep"_L1, Access::Public,
                 u"Test hook: occupy one worker for ?ms=N milliseconds"_s,
                 [](RequestContext &ctx) {
                     const int ms = std::clamp(ctx.queryValue(u"ms"_s).toInt(), 0, 30'000);
                     ctx.runOnWorker(
                         [ms] {
                             // Tests wait for this line to know the job has started.
                             std::fprintf(stderr, "test-hook: sleeping %d ms\n", ms);
                             std::fflush(stderr);
                             QThread::msleep(ulong(ms));
                         },
                         [&ctx, ms] {
                             ctx.respondJson(200, QJsonObject { { u"slept_ms"_s, ms } });
                         });
                 })
            .tag = u"test"_s;
        router
            .add(Method::Post, "/api/v1/_test/echo"_L1, Access::Public,
                 u"Test hook: answer the JSON object body"_s,
                 [](RequestContext &ctx) {
                     const Result<QJsonObject> body = ctx.jsonObject();
                     if (!body)
                         return ctx.respondError(body.error());
                     ctx.respondJson(200, *body);
                 })
            .tag = u"test"_s;
        router
            .add(Method::Get, "/api/v1/_test/whoami"_L1, Access::User,
                 u"Test hook: the authenticated caller"_s,
                 [](RequestContext &ctx) {
                     ctx.respondJson(200,
                                     QJsonObject { { u"user_id"_s, ctx.user().userId },
                                                   { u"role"_s, ctx.user().role } });
                 })
            .tag = u"test"_s;
        router
            .add(Method::Get, "/api/v1/_test/admin"_L1, Access::Admin,
                 u"Test hook: admins only (403 forbidden for users)"_s,
                 [](RequestContext &ctx) {
                     ctx.respondJson(200, QJsonObject { { u"user_id"_s, ctx.user().userId } });
                 })
            .tag = u"test"_s;
    }
}

} // namespace parlance::http
