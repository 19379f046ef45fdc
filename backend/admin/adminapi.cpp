#include "admin/adminapi.h"

#include "common/timestamp.h"
#include "contract/apipaths.h"
#include "generation/generationservice.h"
#include "generation/tickclock.h"
#include "http/requestcontext.h"
#include "http/router.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QUrl>

using namespace Qt::StringLiterals;
using namespace parlance::http;

namespace parlance {

namespace {

// What an operator needs to recognise a deployment. Built field by field
// rather than from Deployment::toRedactedJson(): extra header values may be
// credentials too, and a base URL may carry user:password.
QJsonObject deploymentJson(const Deployment &deployment, const QJsonObject &circuit)
{
    QJsonArray headerNames;
    for (auto it = deployment.extraHeaders.cbegin(); it != deployment.extraHeaders.cend(); ++it)
        headerNames.append(it.key());
    return QJsonObject {
        { u"name"_s, deployment.name },
        { u"provider"_s, Deployment::providerName(deployment.provider) },
        { u"base_url"_s, deployment.baseUrl.toString(QUrl::RemoveUserInfo) },
        { u"upstream_model"_s, deployment.upstreamModel },
        { u"api_key_set"_s, !deployment.apiKey.isEmpty() },
        { u"header_names"_s, headerNames },
        { u"circuit"_s, circuit },
    };
}

} // namespace

AdminApi::AdminApi(std::shared_ptr<GenerationService> generation)
    : m_generation(std::move(generation))
{ }

QJsonObject AdminApi::providersJson(const GenerationService &generation)
{
    const auto tickNow = systemTickClock()();
    const QDateTime wallNow = QDateTime::currentDateTimeUtc();
    QHash<QString, QJsonObject> circuits;
    for (const auto &[name, snapshot] : generation.breakerSnapshots())
        circuits.insert(name, snapshot.toJson(tickNow, wallNow));
    // A deployment that was never called has no breaker yet: it is closed.
    const QJsonObject untouched = CircuitBreaker::Snapshot {}.toJson(tickNow, wallNow);

    QJsonArray models;
    for (const ModelEntry &entry : generation.catalog().models()) {
        QJsonArray deployments;
        for (const Deployment &deployment : entry.deployments)
            deployments.append(
                deploymentJson(deployment, circuits.value(deployment.name, untouched)));
        models.append(QJsonObject { { u"id"_s, entry.id },
                                    { u"display_name"_s, entry.displayName },
                                    { u"is_demo"_s, entry.isDemo },
                                    { u"deployments"_s, deployments } });
    }
    return QJsonObject { { u"models"_s, models },
                         { u"generated_at"_s, timestamp::toIso(wallNow) } };
}

void AdminApi::registerRoutes(Router &router) const
{
    router.add(Method::Get, api::AdminProviders, Access::Admin,
               u"Admins: every model alias with its deployments (no keys) and each deployment's "
               u"circuit breaker state"_s,
               [svc = m_generation](RequestContext &ctx) {
                   // In memory and cheap (a few mutex-guarded copies): no worker.
                   ctx.respondJson(200, providersJson(*svc));
               });
}

} // namespace parlance
