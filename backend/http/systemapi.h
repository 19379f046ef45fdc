#pragma once

#include "common/result.h"

#include <functional>

namespace parlance::http {

class Router;

// Operational endpoints: GET /healthz (the process answers), GET /readyz (the
// readiness probe passes on a worker thread, so a stuck database shows as
// "not ready" rather than blocking the event loop), GET /api/v1/openapi.json
// (generated from the router at request time, so it includes every route
// registered before the server started).
class SystemApi
{
public:
    struct Options
    {
        // Runs on a worker; Done means ready. Typically pings the database.
        std::function<Status()> readinessProbe;
        QString version;
        // Test-only routes (--test-hooks / PARLANCE_TEST_HOOKS=1):
        // GET /api/v1/_test/sleep?ms=N blocks one worker for N ms (and prints
        // "test-hook: sleeping" on stderr when it starts), POST
        // /api/v1/_test/echo answers its JSON body, GET /api/v1/_test/whoami
        // (User) answers the caller, GET /api/v1/_test/admin (Admin) too.
        bool testHooks = false;
    };

    static void registerRoutes(Router &router, Options options);
};

} // namespace parlance::http
