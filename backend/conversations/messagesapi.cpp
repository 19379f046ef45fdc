#include "contract/apipaths.h"
#include "conversations/conversationrequests.h"
#include "conversations/conversationsapi.h"
#include "conversations/conversationservice.h"
#include "conversations/historypagecache.h"
#include "domain/jsonwriter.h"
#include "http/requestcontext.h"
#include "http/router.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;
using namespace parlance::http;

namespace parlance {

namespace {

using Service = std::shared_ptr<ConversationService>;

QByteArray pageJson(const MessagePage &page)
{
    qsizetype textSize = 0;
    for (const Message &m : page.items) {
        for (const ContentPart &part : m.content)
            textSize += part.text.size();
    }
    JsonText out(64 + page.items.size() * 512 + textSize + textSize / 8);
    out.beginObject().key("messages"_L1).beginArray();
    for (const Message &m : page.items)
        m.writeJson(out);
    out.endArray();
    out.key("has_more_before"_L1).boolean(page.hasMoreBefore);
    out.key("has_more_after"_L1).boolean(page.hasMoreAfter);
    return out.endObject().take();
}

// A message with the ids of its siblings, oldest first, so a client can
// switch to the previous or next one with PATCH selected_message_id.
struct MessageWithSiblings
{
    Message message;
    QStringList siblingIds;
};

// The body of one history page: from the cache when the conversation's head
// is unchanged, else read, written and kept.
Result<QByteArray> historyPage(ConversationService &service, HistoryPageCache *pages,
                               const QString &userId, const QString &conversationId,
                               const PathQuery &query)
{
    if (!pages) {
        auto page = service.listMessages(userId, conversationId, query);
        if (!page)
            return page.error();
        return pageJson(*page);
    }
    auto head = service.messagePathHead(userId, conversationId);
    if (!head)
        return head.error();
    const QByteArray key = HistoryPageCache::key(userId, conversationId, *head, query);
    if (auto body = pages->find(key))
        return std::move(*body);
    auto page = service.listMessages(userId, conversationId, query, *head);
    if (!page)
        return page.error();
    QByteArray body = pageJson(*page);
    pages->insert(key, body);
    return body;
}

} // namespace

MessagesApi::MessagesApi(Service service, std::shared_ptr<HistoryPageCache> pages)
    : m_service(std::move(service))
    , m_pages(std::move(pages))
{ }

void MessagesApi::registerRoutes(Router &router) const
{
    const Service svc = m_service;
    const std::shared_ptr<HistoryPageCache> pages = m_pages;

    router
        .add(Method::Get, api::ConversationMessages, Access::User,
             u"The selected branch, root first, windowed by before/after/limit; each message "
             u"with its sibling index and count"_s,
             [svc, pages](RequestContext &ctx) {
                 auto query = requests::pathQuery(ctx.query());
                 if (!query)
                     return ctx.respondError(query.error());
                 // The body is written on the worker, off the connection thread.
                 ctx.runOnWorker(
                     [svc, pages, user = ctx.user().userId, id = ctx.pathArg(), q = *query] {
                         return historyPage(*svc, pages.get(), user, id, q);
                     },
                     [&ctx](Result<QByteArray> body) {
                         if (!body)
                             return ctx.respondError(body.error());
                         ctx.respondJsonText(200, *body);
                     });
             })
        .paramNames = { u"conversation_id"_s };

    // POST .../messages (store the user message AND start its answer) belongs
    // to GenerationApi (backend/generation).

    router
        .add(Method::Get, api::Message, Access::User,
             u"One message, with its sibling index and count and the ids of its siblings"_s,
             [svc](RequestContext &ctx) {
                 ctx.runOnWorker(
                     [svc, user = ctx.user().userId,
                      id = ctx.pathArg()]() -> Result<MessageWithSiblings> {
                         auto message = svc->getMessage(user, id);
                         if (!message)
                             return message.error();
                         auto siblings = svc->messageSiblings(user, id);
                         if (!siblings)
                             return siblings.error();
                         return MessageWithSiblings { *message, *siblings };
                     },
                     [&ctx](Result<MessageWithSiblings> found) {
                         if (!found)
                             return ctx.respondError(found.error());
                         QJsonObject json = found->message.toJson();
                         json.insert(u"sibling_ids"_s,
                                     QJsonArray::fromStringList(found->siblingIds));
                         ctx.respondJson(200, json);
                     });
             })
        .paramNames = { u"message_id"_s };
}

} // namespace parlance
