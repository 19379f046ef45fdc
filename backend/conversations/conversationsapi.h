#pragma once

#include <memory>

namespace parlance {

class ConversationService;
class HistoryPageCache;

namespace http {
class Router;
}

// The HTTP face of the conversation service: parse, call the service on a
// worker thread, map the result. The rules live in ConversationService; the
// body and query reading rules in conversationrequests.h. Every route is for
// signed-in users and scoped to the caller: another user's conversation,
// message or folder answers 404 not_found exactly like a missing one.
//
//   ConversationsApi  /conversations, /conversations/<id>, …/restore, /tags
//   MessagesApi       GET /conversations/<id>/messages, GET /messages/<id>
//                     (posting a message starts an answer: GenerationApi)
//   FoldersApi        /folders, /folders/<id>
class ConversationsApi
{
public:
    explicit ConversationsApi(std::shared_ptr<ConversationService> service);
    void registerRoutes(http::Router &router) const;

private:
    std::shared_ptr<ConversationService> m_service;
};

class MessagesApi
{
public:
    // `pages` may be null: every read walks the path.
    MessagesApi(std::shared_ptr<ConversationService> service,
                std::shared_ptr<HistoryPageCache> pages);
    void registerRoutes(http::Router &router) const;

private:
    std::shared_ptr<ConversationService> m_service;
    std::shared_ptr<HistoryPageCache> m_pages;
};

class FoldersApi
{
public:
    explicit FoldersApi(std::shared_ptr<ConversationService> service);
    void registerRoutes(http::Router &router) const;

private:
    std::shared_ptr<ConversationService> m_service;
};

// All three on one service.
void registerConversationRoutes(http::Router &router, std::shared_ptr<ConversationService> service,
                                std::shared_ptr<HistoryPageCache> historyPages = {});

} // namespace parlance
