#include "contract/apipaths.h"
#include "generation/generationapi.h"
#include "generation/generationservice.h"
#include "http/requestcontext.h"
#include "http/router.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;
using namespace parlance::http;

namespace parlance {

void registerModelRoutes(Router &router, std::shared_ptr<GenerationService> service)
{
    router.add(
        Method::Get, api::Models, Access::User,
        u"The models the caller may use (ModelInfo); is_demo marks the simulated demo "
        u"model"_s,
        [svc = std::move(service)](RequestContext &ctx) {
            // Tiers arrive with quotas; until then every model is offered.
            const ModelCatalog &catalog = svc->catalog();
            QJsonArray models;
            for (const ModelEntry &entry : catalog.models()) {
                QJsonObject json = entry.toModelInfo().toJson();
                if (!entry.description.isEmpty())
                    json.insert(u"description"_s, entry.description);
                json.insert(u"capabilities"_s, QJsonArray::fromStringList(entry.capabilities));
                models.append(json);
            }
            ctx.respondJson(200,
                            QJsonObject { { u"models"_s, models },
                                          { u"default_model"_s, catalog.defaultModelId() } });
        });
}

} // namespace parlance
