#include "conversations/conversationsapi.h"

#include "contract/apipaths.h"
#include "conversations/conversationrequests.h"
#include "conversations/conversationservice.h"
#include "domain/jsonwriter.h"
#include "http/requestcontext.h"
#include "http/router.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;
using namespace parlance::http;

namespace parlance {

namespace {

using Service = std::shared_ptr<ConversationService>;

QByteArray pageJson(const ConversationPage &page)
{
    // ~330 bytes per conversation as the API writes them.
    JsonText out(64 + page.items.size() * 384);
    out.beginObject().key("conversations"_L1).beginArray();
    for (const Conversation &c : page.items)
        c.writeJson(out);
    out.endArray().key("next_cursor"_L1);
    if (page.nextCursor.isEmpty())
        out.null();
    else
        out.string(page.nextCursor);
    return out.endObject().take();
}

// The done-callback that answers a Result<Conversation>.
auto answerConversation(RequestContext &ctx, int status)
{
    return [&ctx, status](Result<Conversation> result) {
        if (!result)
            return ctx.respondError(result.error());
        if (status == 201) {
            ctx.addResponseHeader("Location", api::path(api::Conversation, result->id).toUtf8());
        }
        ctx.respondJsonText(status, toJsonText(*result));
    };
}

} // namespace

ConversationsApi::ConversationsApi(Service service)
    : m_service(std::move(service))
{ }

void ConversationsApi::registerRoutes(Router &router) const
{
    const Service svc = m_service;

    router.add(Method::Post, api::Conversations, Access::User, u"Create a conversation"_s,
               [svc](RequestContext &ctx) {
                   auto json = ctx.jsonObject();
                   if (!json)
                       return ctx.respondError(json.error());
                   auto draft = requests::conversationDraft(*json);
                   if (!draft)
                       return ctx.respondError(draft.error());
                   ctx.runOnWorker([svc, user = ctx.user().userId,
                                    d = *draft] { return svc->createConversation(user, d); },
                                   answerConversation(ctx, 201));
               });

    router.add(Method::Get, api::Conversations, Access::User,
               u"List conversations, newest activity first (cursor paginated, filtered)"_s,
               [svc](RequestContext &ctx) {
                   auto filter = requests::conversationFilter(ctx.query());
                   if (!filter)
                       return ctx.respondError(filter.error());
                   ctx.runOnWorker([svc, user = ctx.user().userId,
                                    f = *filter] { return svc->listConversations(user, f); },
                                   [&ctx](Result<ConversationPage> page) {
                                       if (!page)
                                           return ctx.respondError(page.error());
                                       ctx.respondJsonText(200, pageJson(*page));
                                   });
               });

    router
        .add(Method::Get, api::Conversation, Access::User,
             u"Get a conversation (also one in the trash)"_s,
             [svc](RequestContext &ctx) {
                 ctx.runOnWorker([svc, user = ctx.user().userId,
                                  id = ctx.pathArg()] { return svc->getConversation(user, id); },
                                 answerConversation(ctx, 200));
             })
        .paramNames = { u"conversation_id"_s };

    router
        .add(Method::Patch, api::Conversation, Access::User,
             u"Update title, folder, tags, pinned, archived, model, system prompt, or the "
             u"selected branch (selected_message_id)"_s,
             [svc](RequestContext &ctx) {
                 auto json = ctx.jsonObject();
                 if (!json)
                     return ctx.respondError(json.error());
                 auto changes = requests::conversationChanges(*json);
                 if (!changes)
                     return ctx.respondError(changes.error());
                 ctx.runOnWorker([svc, user = ctx.user().userId, id = ctx.pathArg(),
                                  c = *changes] { return svc->updateConversation(user, id, c); },
                                 answerConversation(ctx, 200));
             })
        .paramNames = { u"conversation_id"_s };

    router
        .add(Method::Delete, api::Conversation, Access::User,
             u"Move a conversation to the trash (restorable for 30 days)"_s,
             [svc](RequestContext &ctx) {
                 ctx.runOnWorker([svc, user = ctx.user().userId,
                                  id = ctx.pathArg()] { return svc->deleteConversation(user, id); },
                                 [&ctx](Status status) {
                                     if (!status)
                                         return ctx.respondError(status.error());
                                     ctx.respondEmpty();
                                 });
             })
        .paramNames = { u"conversation_id"_s };

    router
        .add(Method::Post, api::ConversationRestore, Access::User,
             u"Restore a conversation from the trash"_s,
             [svc](RequestContext &ctx) {
                 ctx.runOnWorker(
                     [svc, user = ctx.user().userId, id = ctx.pathArg()] {
                         return svc->restoreConversation(user, id);
                     },
                     answerConversation(ctx, 200));
             })
        .paramNames = { u"conversation_id"_s };

    router
        .add(Method::Get, api::Tags, Access::User,
             u"The caller's tags with how many conversations carry each"_s,
             [svc](RequestContext &ctx) {
                 ctx.runOnWorker([svc, user = ctx.user().userId] { return svc->listTags(user); },
                                 [&ctx](Result<QList<TagCount>> tags) {
                                     if (!tags)
                                         return ctx.respondError(tags.error());
                                     QJsonArray items;
                                     for (const TagCount &t : *tags)
                                         items.append(QJsonObject { { u"tag"_s, t.tag },
                                                                    { u"count"_s, t.count } });
                                     ctx.respondJson(200, QJsonObject { { u"tags"_s, items } });
                                 });
             })
        .tag = u"conversations"_s;
}

void registerConversationRoutes(Router &router, std::shared_ptr<ConversationService> service,
                                std::shared_ptr<HistoryPageCache> historyPages)
{
    ConversationsApi(service).registerRoutes(router);
    MessagesApi(service, std::move(historyPages)).registerRoutes(router);
    FoldersApi(std::move(service)).registerRoutes(router);
}

} // namespace parlance
