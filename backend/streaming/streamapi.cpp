#include "streaming/streamapi.h"

#include "auth/accesstokenservice.h"
#include "contract/apipaths.h"
#include "contract/errorcodes.h"
#include "conversations/conversationservice.h"
#include "http/httpruntime.h"
#include "http/requestcontext.h"
#include "http/router.h"
#include "streaming/ssefeed.h"
#include "streaming/streamregistry.h"

#include <QHttpServerResponder>
#include <QTcpSocket>

using namespace Qt::StringLiterals;
using namespace parlance::http;

namespace parlance {

namespace {

std::optional<StreamFinalStatus> finalStatusOf(Message::Status status)
{
    switch (status) {
    case Message::Status::Complete:
        return StreamFinalStatus::Complete;
    case Message::Status::Stopped:
        return StreamFinalStatus::Stopped;
    case Message::Status::Interrupted:
        return StreamFinalStatus::Interrupted;
    case Message::Status::Error:
        return StreamFinalStatus::Error;
    case Message::Status::Streaming:
        break;
    }
    return std::nullopt;
}

// The caller: a bearer header (checked by the router), else ?access_token=.
Result<QString> callerOf(RequestContext &ctx)
{
    if (ctx.principal())
        return ctx.principal()->userId;
    const QString token = ctx.queryValue(u"access_token"_s);
    if (!token.isEmpty() && ctx.runtime().accessTokens) {
        auto claims = ctx.runtime().accessTokens->verify(token);
        if (!claims)
            return claims.error();
        // The router only knows the header; recorded here, the access log
        // names the caller of a stream opened with a query token too.
        ctx.setPrincipal(Principal { claims->userId, claims->role });
        return claims->userId;
    }
    if (!ctx.header("authorization").isEmpty()) {
        return ApiError { QString(errc::InvalidToken), u"The access token is not valid."_s,
                          std::nullopt };
    }
    return ApiError { QString(errc::Unauthenticated),
                      u"This stream needs a bearer access token (header or access_token)."_s,
                      std::nullopt };
}

void startSse(RequestContext &ctx, std::shared_ptr<StreamLog> log, qint64 afterSeq,
              std::chrono::milliseconds heartbeat)
{
    auto responder = ctx.beginStreaming(200,
                                        { { "Content-Type", "text/event-stream; charset=utf-8" },
                                          { "Cache-Control", "no-cache, no-store" },
                                          // nginx: pass events through unbuffered.
                                          { "X-Accel-Buffering", "no" } });
    if (!responder)
        return; // the client left
    http::DetachedConnection *detached = ctx.detach(responder);
    auto *feed = detached ? new SseFeed(detached) : new SseFeed(std::move(responder));
    feed->setHeartbeatInterval(heartbeat);
    feed->start(std::move(log), afterSeq);
}

} // namespace

StreamApi::StreamApi(Options options)
    : m_options(std::move(options))
{ }

Result<qint64> StreamApi::parseLastEventId(const QString &text)
{
    if (text.trimmed().isEmpty())
        return qint64(0);
    bool ok = false;
    const qint64 value = text.trimmed().toLongLong(&ok);
    if (!ok || value < 0) {
        return ApiError { QString(errc::InvalidField),
                          u"Last-Event-ID must be an event id from this stream."_s, std::nullopt };
    }
    return value;
}

std::shared_ptr<StreamLog> StreamApi::replayOf(const Message &message, const QString &userId)
{
    auto log = std::make_shared<StreamLog>(
        StreamLog::Identity { message.id, message.conversationId, userId });
    QJsonObject meta { { u"model"_s, message.model }, { u"replay"_s, true } };
    if (!message.deployment.isEmpty())
        meta.insert(u"deployment"_s, message.deployment);
    log->appendMeta(meta);
    log->appendDelta(message.plainText());
    if (message.usage)
        log->appendUsage(message.usage->toJson());
    log->finish(finalStatusOf(message.status).value_or(StreamFinalStatus::Complete), message.error);
    return log;
}

void StreamApi::registerRoutes(Router &router) const
{
    const Options options = m_options;
    router
        .add(Method::Get, api::Stream, Access::Public,
             u"An answer's events as SSE (id = event seq; meta, delta, usage, error, done); "
             u"resume with Last-Event-ID or ?last_event_id=; auth by bearer header or "
             u"?access_token=; a WebSocket upgrade on this path streams the same events"_s,
             [options](RequestContext &ctx) {
                 auto user = callerOf(ctx);
                 if (!user)
                     return ctx.respondError(user.error());
                 QString lastEventText = QString::fromLatin1(ctx.header("last-event-id"));
                 if (lastEventText.isEmpty())
                     lastEventText = ctx.queryValue(u"last_event_id"_s);
                 auto after = parseLastEventId(lastEventText);
                 if (!after)
                     return ctx.respondError(after.error());
                 const QString id = ctx.pathArg();
                 if (auto log = options.registry->find(id, *user))
                     return startSse(ctx, std::move(log).value(), *after,
                                     options.heartbeatInterval);
                 // Not in memory (expired, or another node's): storage knows
                 // whether it ever existed for this user.
                 const bool resuming = !lastEventText.trimmed().isEmpty();
                 ctx.runOnWorker(
                     [svc = options.conversations, user = *user, id] {
                         return svc->getMessage(user, id);
                     },
                     [&ctx, user = *user, resuming,
                      heartbeat = options.heartbeatInterval](Result<Message> message) {
                         if (!message || message->role != Message::Role::Assistant)
                             return ctx.respondError(errc::NotFound, u"No such stream."_s);
                         if (resuming) {
                             return ctx.respondError(
                                 errc::StreamExpired,
                                 u"This stream is no longer available; load the message "
                                 u"instead."_s);
                         }
                         startSse(ctx, replayOf(*message, user), 0, heartbeat);
                     });
             })
        .paramNames = { u"message_id"_s };
}

} // namespace parlance
