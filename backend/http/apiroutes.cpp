#include "http/apiroutes.h"

#include "admin/adminapi.h"
#include "auth/authapi.h"
#include "conversations/conversationsapi.h"
#include "generation/generationapi.h"
#include "http/router.h"
#include "streaming/streamapi.h"

namespace parlance::http {

void registerApiRoutes(Router &router, const ApiDependencies &deps)
{
    SystemApi::registerRoutes(router, deps.system);
    // Module APIs: e.g. ConversationsApi(deps.conversations).registerRoutes(router);
    registerConversationRoutes(router, deps.conversations, deps.historyPages);
    AuthApi(deps.accounts).registerRoutes(router);
    GenerationApi(deps.generation).registerRoutes(router);
    registerModelRoutes(router, deps.generation);
    registerUsageRoutes(router, deps.generation);
    StreamApi({ deps.streams, deps.conversations, {}, deps.streamHeartbeat })
        .registerRoutes(router);
    AdminApi(deps.generation).registerRoutes(router);
}

} // namespace parlance::http
