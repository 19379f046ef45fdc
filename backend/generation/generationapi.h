#pragma once

#include <memory>

namespace parlance {

class GenerationService;

namespace http {
class Router;
}

// The routes that start, stop and describe generations:
//   POST  /conversations/<id>/messages  a user message, then its answer (201)
//   PATCH /messages/<id>                edit-and-resend: a sibling user message, then its answer
//   POST  /messages/<id>/regenerate     a new answer beside an assistant message (202)
//   POST  /messages/<id>/stop           stop the answer (partial text kept)
//   GET   /models                       the models the caller may use
// Every start answers {"message"?, "assistant_message_id", "stream_url"}; the
// answer itself streams from the stream URL (StreamApi). One generation per
// conversation: a second start while one runs is 409 generation_in_progress.
class GenerationApi
{
public:
    explicit GenerationApi(std::shared_ptr<GenerationService> service);
    void registerRoutes(http::Router &router) const;

private:
    std::shared_ptr<GenerationService> m_service;
};

// GET /api/v1/models (modelsapi.cpp).
void registerModelRoutes(http::Router &router, std::shared_ptr<GenerationService> service);
// GET /api/v1/user/usage (usageapi.cpp): the caller's usage records, summed.
void registerUsageRoutes(http::Router &router, std::shared_ptr<GenerationService> service);

} // namespace parlance
