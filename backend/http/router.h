#pragma once

#include <QLatin1StringView>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace parlance::http {

class RequestContext;

// The methods routes can be registered for. Head, Options and Other only
// describe incoming requests (answered 405 by the router for now).
enum class Method { Get, Post, Put, Patch, Delete, Head, Options, Other };

// Who may call a route. Anything but Public needs a valid bearer access token;
// Admin also needs the "admin" role.
enum class Access { Public, User, Admin };

[[nodiscard]] QLatin1StringView methodName(Method method);

// A handler parses the request, calls a service (on the worker pool when it
// touches the database or burns CPU) and answers through the context exactly
// once. It runs on the event-loop thread of the connection, possibly on
// several threads at once, so whatever it captures must be thread-safe.
using Handler = std::function<void(RequestContext &)>;

struct Route
{
    Method method = Method::Get;
    // A template from contract/apipaths.h; "<arg>" matches one path segment.
    QString path;
    Access access = Access::Public;
    // One line for the OpenAPI document.
    QString summary;
    Handler handler;
    // OpenAPI names of the "<arg>" placeholders, in order; default "id",
    // "id2", ...
    QStringList paramNames;
    // OpenAPI tag (groups routes); default: the first segment after /api/v1.
    QString tag;
};

// The route table. Built once at start-up, read-only afterwards (so every
// event-loop thread reads it without locks). Each API class registers its
// routes: `router.add(Method::Get, api::Conversation, Access::User,
// u"Get a conversation"_s, [svc](RequestContext &ctx) { ... });`
class Router
{
public:
    // Returns the stored route so a caller can set paramNames or tag.
    Route &add(Method method, QLatin1StringView pathTemplate, Access access, QString summary,
               Handler handler);
    Route &add(Route route);

    struct Match
    {
        const Route *route = nullptr; // null: not found or method not allowed
        QStringList args; // percent-decoded values of the placeholders
        QList<Method> allowed; // when the path matched but not the method
    };
    [[nodiscard]] Match match(Method method, QStringView path) const;

    [[nodiscard]] const QList<Route> &routes() const { return m_routes; }

private:
    QList<Route> m_routes;
};

} // namespace parlance::http
