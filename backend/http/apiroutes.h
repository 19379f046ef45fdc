#pragma once

#include "http/systemapi.h"

#include <chrono>
#include <memory>

namespace parlance {
class AccountService;
class ConversationService;
class HistoryPageCache;
class GenerationService;
class StreamRegistry;
} // namespace parlance

namespace parlance::http {

class Router;

// What the API classes need to register their routes. Registration must not
// dereference these (a test builds the table with nulls to compare it with
// the served OpenAPI document); handlers use them at request time.
struct ApiDependencies
{
    SystemApi::Options system;
    // Module services are added here as modules land (auth, conversations...).
    std::shared_ptr<ConversationService> conversations;
    // Null: history pages are never cached.
    std::shared_ptr<HistoryPageCache> historyPages;
    std::shared_ptr<AccountService> accounts;
    std::shared_ptr<GenerationService> generation;
    std::shared_ptr<StreamRegistry> streams;
    // SSE heartbeat comments / WebSocket pings on idle streams.
    std::chrono::milliseconds streamHeartbeat { 15'000 };
};

// The single place every API class registers its routes; main() and the
// OpenAPI completeness test both call it.
void registerApiRoutes(Router &router, const ApiDependencies &deps);

} // namespace parlance::http
