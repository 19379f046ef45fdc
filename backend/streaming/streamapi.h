#pragma once

#include "common/result.h"
#include "domain/message.h"
#include "streaming/streamfeed.h"
#include "streaming/streamlog.h"

#include <QStringList>

#include <functional>
#include <memory>

QT_BEGIN_NAMESPACE
class QWebSocket;
QT_END_NAMESPACE

namespace parlance {

class AccessTokenService;
class ConversationService;
class StreamRegistry;
class WorkerPool;

namespace http {
class Router;
}

// GET /api/v1/stream/<message_id>: an answer's events as SSE, or over a
// WebSocket when the request upgrades (same path, or .../ws). See
// docs/streaming.md ("Delivery"):
//  - auth: bearer header, or ?access_token= (EventSource and browser
//    WebSockets cannot set headers), or for WebSockets a first message
//    {"access_token": "..."}; another user's stream is 404 like a missing one;
//  - resume: Last-Event-ID header or ?last_event_id= (or "last_event_id" in
//    the WebSocket's first message) continues after that seq, no gap, no
//    duplicate;
//  - a log that expired: the stored message is replayed (meta, delta, usage,
//    error?, done) when no Last-Event-ID was sent, else 410 stream_expired.
class StreamApi
{
public:
    struct Options
    {
        std::shared_ptr<StreamRegistry> registry;
        std::shared_ptr<ConversationService> conversations;
        // Browser origins allowed to open the WebSocket besides the server's
        // own (Origin host == Host header). Requests without Origin (not a
        // browser) are allowed: they authenticate with a token anyway.
        QStringList allowedOrigins;
        // Idle streams get a heartbeat (SSE comment, WebSocket ping) this often.
        std::chrono::milliseconds heartbeatInterval = StreamFeed::DefaultHeartbeatInterval;
    };

    explicit StreamApi(Options options);
    void registerRoutes(http::Router &router) const;

    // For HttpRuntime::webSocketHandler.
    [[nodiscard]] std::function<void(QWebSocket *)>
    webSocketHandler(std::shared_ptr<const AccessTokenService> tokens, WorkerPool *workers) const;

    // The finished log a stored assistant message replays as.
    [[nodiscard]] static std::shared_ptr<StreamLog> replayOf(const Message &message,
                                                             const QString &userId);
    // "12" -> 12; empty -> 0; anything else invalid_field.
    [[nodiscard]] static Result<qint64> parseLastEventId(const QString &text);

private:
    Options m_options;
};

} // namespace parlance
