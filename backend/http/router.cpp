#include "http/router.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace parlance::http {

QLatin1StringView methodName(Method method)
{
    switch (method) {
    case Method::Get:
        return "GET"_L1;
    case Method::Post:
        return "POST"_L1;
    case Method::Put:
        return "PUT"_L1;
    case Method::Patch:
        return "PATCH"_L1;
    case Method::Delete:
        return "DELETE"_L1;
    case Method::Head:
        return "HEAD"_L1;
    case Method::Options:
        return "OPTIONS"_L1;
    case Method::Other:
        return "OTHER"_L1;
    }
    return "GET"_L1;
}

Route &Router::add(Method method, QLatin1StringView pathTemplate, Access access, QString summary,
                   Handler handler)
{
    Route route;
    route.method = method;
    route.path = pathTemplate;
    route.access = access;
    route.summary = std::move(summary);
    route.handler = std::move(handler);
    return add(std::move(route));
}

Route &Router::add(Route route)
{
    const qsizetype count = route.path.count(u"<arg>"_s);
    for (qsizetype i = route.paramNames.size(); i < count; ++i)
        route.paramNames.append(i == 0 ? u"id"_s : u"id"_s + QString::number(i + 1));
    if (route.tag.isEmpty()) {
        QStringView rest = route.path;
        if (rest.startsWith(u"/api/v1/"))
            rest = rest.mid(8);
        const QStringView first = rest.mid(rest.startsWith(u'/') ? 1 : 0).split(u'/').value(0);
        route.tag = first.isEmpty() ? u"system"_s : first.toString();
    }
    m_routes.append(std::move(route));
    return m_routes.last();
}

namespace {
// Matches one template against the path's segments; fills args on success.
bool matches(const QString &templ, const QList<QStringView> &segments, QStringList &args)
{
    const QList<QStringView> parts = QStringView(templ).split(u'/');
    if (parts.size() != segments.size())
        return false;
    QStringList out;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        if (parts[i] == u"<arg>") {
            if (segments[i].isEmpty())
                return false;
            out.append(QUrl::fromPercentEncoding(segments[i].toUtf8()));
        } else if (parts[i] != segments[i]) {
            return false;
        }
    }
    args = std::move(out);
    return true;
}
} // namespace

Router::Match Router::match(Method method, QStringView path) const
{
    Match result;
    // A linear scan: tens of routes, a few segment comparisons each, is cheaper
    // than building anything cleverer and keeps first-registered-wins obvious.
    const QList<QStringView> segments = path.split(u'/');
    for (const Route &route : m_routes) {
        QStringList args;
        if (!matches(route.path, segments, args))
            continue;
        if (route.method == method) {
            result.route = &route;
            result.args = std::move(args);
            result.allowed.clear();
            return result;
        }
        if (!result.allowed.contains(route.method))
            result.allowed.append(route.method);
    }
    return result;
}

} // namespace parlance::http
