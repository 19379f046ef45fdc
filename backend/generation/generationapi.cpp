#include "generation/generationapi.h"

#include "contract/apipaths.h"
#include "contract/errorcodes.h"
#include "conversations/conversationrequests.h"
#include "generation/generationservice.h"
#include "http/requestcontext.h"
#include "http/router.h"
#include "streaming/streamregistry.h"

using namespace Qt::StringLiterals;
using namespace parlance::http;

namespace parlance {

namespace {

using Service = std::shared_ptr<GenerationService>;

// The answer of every route that starts a generation (already launched on
// the worker that prepared it: GenerationService::startNewMessage and
// launchPrepared).
void started(RequestContext &ctx, Result<StartedTurn> turn, int status)
{
    if (!turn)
        return ctx.respondError(turn.error());
    // message_id names what stream_url streams, as in the API table of the
    // design; assistant_message_id says the same unambiguously beside the
    // user message.
    QJsonObject body { { u"message_id"_s, turn->assistantMessageId },
                       { u"assistant_message_id"_s, turn->assistantMessageId },
                       { u"stream_url"_s, api::path(api::Stream, turn->assistantMessageId) },
                       { u"model"_s, turn->modelId } };
    if (turn->userMessage) {
        body.insert(u"message"_s, turn->userMessage->toJson());
        ctx.addResponseHeader("Location", api::path(api::Message, turn->userMessage->id).toUtf8());
    }
    ctx.respondJson(status, body);
}

} // namespace

GenerationApi::GenerationApi(Service service)
    : m_service(std::move(service))
{ }

void GenerationApi::registerRoutes(Router &router) const
{
    const Service svc = m_service;

    router
        .add(Method::Post, api::ConversationMessages, Access::User,
             u"Post a user message (under the selected leaf, or under parent_id) and start its "
             u"answer; the answer streams from stream_url"_s,
             [svc](RequestContext &ctx) {
                 auto json = ctx.jsonObject();
                 if (!json)
                     return ctx.respondError(json.error());
                 auto draft = requests::messageDraft(*json);
                 if (!draft)
                     return ctx.respondError(draft.error());
                 ctx.runOnWorker(
                     [svc, user = ctx.user().userId, id = ctx.pathArg(), d = *draft] {
                         return svc->startNewMessage(user, id, d);
                     },
                     [&ctx](Result<StartedTurn> turn) { started(ctx, std::move(turn), 201); });
             })
        .paramNames = { u"conversation_id"_s };

    router
        .add(Method::Patch, api::Message, Access::User,
             u"Edit a user message and resend: a new sibling with the new content, then its "
             u"answer (nothing is overwritten)"_s,
             [svc](RequestContext &ctx) {
                 auto json = ctx.jsonObject();
                 if (!json)
                     return ctx.respondError(json.error());
                 auto draft = requests::messageDraft(*json);
                 if (!draft)
                     return ctx.respondError(draft.error());
                 ctx.runOnWorker(
                     [svc, user = ctx.user().userId, id = ctx.pathArg(), d = *draft] {
                         return svc->launchPrepared(svc->prepareEdit(user, id, d.content));
                     },
                     [&ctx](Result<StartedTurn> turn) { started(ctx, std::move(turn), 201); });
             })
        .paramNames = { u"message_id"_s };

    router
        .add(Method::Post, api::MessageRegenerate, Access::User,
             u"A new answer beside this assistant message (a sibling; the old one stays)"_s,
             [svc](RequestContext &ctx) {
                 ctx.runOnWorker(
                     [svc, user = ctx.user().userId, id = ctx.pathArg()] {
                         return svc->launchPrepared(svc->prepareRegenerate(user, id));
                     },
                     [&ctx](Result<StartedTurn> turn) { started(ctx, std::move(turn), 202); });
             })
        .paramNames = { u"message_id"_s };

    router
        .add(Method::Post, api::MessageStop, Access::User,
             u"Stop the answer being generated; its text so far is kept (status stopped)"_s,
             [svc](RequestContext &ctx) {
                 const QString user = ctx.user().userId;
                 const QString id = ctx.pathArg();
                 if (auto log = svc->registry().find(id, user)) {
                     const bool finished = (*log)->isFinished();
                     (*log)->requestStop();
                     return ctx.respondJson(
                         finished ? 200 : 202,
                         QJsonObject { { u"message_id"_s, id }, { u"stopping"_s, !finished } });
                 }
                 // Not streaming here (any more): stopping a finished answer
                 // is not an error.
                 ctx.runOnWorker(
                     [svc, user, id] { return svc->conversations().getMessage(user, id); },
                     [&ctx, id](Result<Message> message) {
                         if (!message)
                             return ctx.respondError(message.error());
                         ctx.respondJson(
                             200,
                             QJsonObject { { u"message_id"_s, id }, { u"stopping"_s, false } });
                     });
             })
        .paramNames = { u"message_id"_s };
}

} // namespace parlance
