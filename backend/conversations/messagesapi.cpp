#include "contract/apipaths.h"
#include "conversations/conversationrequests.h"
#include "conversations/conversationsapi.h"
#include "conversations/conversationservice.h"
#include "http/requestcontext.h"
#include "http/router.h"

#include "domain/jsonwriter.h"

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

} // namespace

MessagesApi::MessagesApi(Service service)
    : m_service(std::move(service))
{ }

void MessagesApi::registerRoutes(Router &router) const
{
    const Service svc = m_service;

    router
        .add(Method::Get, api::ConversationMessages, Access::User,
             u"The selected branch, root first, windowed by before/after/limit; each message "
             u"with its sibling index and count"_s,
             [svc](RequestContext &ctx) {
                 auto query = requests::pathQuery(ctx.query());
                 if (!query)
                     return ctx.respondError(query.error());
                 ctx.runOnWorker([svc, user = ctx.user().userId, id = ctx.pathArg(),
                                  q = *query] { return svc->listMessages(user, id, q); },
                                 [&ctx](Result<MessagePage> page) {
                                     if (!page)
                                         return ctx.respondError(page.error());
                                     ctx.respondJsonText(200, pageJson(*page));
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
