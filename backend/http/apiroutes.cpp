#include "http/apiroutes.h"

#include "auth/authapi.h"
#include "conversations/conversationsapi.h"
#include "generation/generationapi.h"
#include "streaming/streamapi.h"
#include "http/router.h"

namespace parlance::http {

void registerApiRoutes(Router &router, const ApiDependencies &deps)
{
    SystemApi::registerRoutes(router, deps.system);
    // Module APIs: e.g. ConversationsApi(deps.conversations).registerRoutes(router);
    registerConversationRoutes(router, deps.conversations);
    AuthApi(deps.accounts).registerRoutes(router);
    GenerationApi(deps.generation).registerRoutes(router);
    registerModelRoutes(router, deps.generation);
    StreamApi({ deps.streams, deps.conversations, {} }).registerRoutes(router);
}

} // namespace parlance::http
