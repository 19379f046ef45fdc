#pragma once

#include <QJsonObject>
#include <QString>

namespace parlance::http {

class Router;

// An OpenAPI 3.0 document generated from the route table, so it cannot miss a
// route: every (path, method) with its summary, tag, path parameters, whether
// a bearer token is needed (and the 401/403 that come with it), and the one
// error schema every failure uses.
[[nodiscard]] QJsonObject openApiDocument(const Router &router, const QString &version);

// "/api/v1/conversations/<arg>" -> "/api/v1/conversations/{id}".
[[nodiscard]] QString openApiPath(const QString &templ, const QStringList &paramNames);

} // namespace parlance::http
