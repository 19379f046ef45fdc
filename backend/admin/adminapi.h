#pragma once

#include <QJsonObject>

#include <memory>

namespace parlance {

class GenerationService;

namespace http {
class Router;
}

// Admin-only routes (Access::Admin). GET /api/v1/admin/providers: every model
// alias with its deployments (name, provider kind, base URL, upstream model,
// whether a key is set, never the key itself nor extra header values) and
// each deployment's circuit breaker (docs/streaming.md, "Admin view").
class AdminApi
{
public:
    explicit AdminApi(std::shared_ptr<GenerationService> generation);
    void registerRoutes(http::Router &router) const;

    // The body of GET /api/v1/admin/providers, for the route and unit tests.
    [[nodiscard]] static QJsonObject providersJson(const GenerationService &generation);

private:
    std::shared_ptr<GenerationService> m_generation;
};

} // namespace parlance
