#pragma once

#include "common/result.h"
#include "generation/tickclock.h"
#include "streaming/streamlog.h"
#include "streaming/streamsubscription.h"

#include <chrono>
#include <memory>
#include <optional>

namespace parlance {

struct StreamRegistrySettings
{
    // How long a finished log stays for late subscribers and reconnects.
    // After that subscribe() answers stream_expired-worthy not_found and the
    // stream API serves the stored message instead (docs/streaming.md).
    std::chrono::milliseconds retention { 5 * 60 * 1000 };
};

// Message id -> StreamLog for this node. Thread-safe (one mutex; every call
// is a hash lookup). Rules:
//  - at most one open log per conversation: a second start() is refused with
//    generation_in_progress (409), never queued, so a double-clicked "send"
//    cannot produce two answers;
//  - every lookup checks the owner; another user's message looks exactly like
//    an unknown one (not_found), so ids cannot be probed;
//  - a finished log is kept `retention` long, then forgotten by
//    collectExpired() (the server calls it from a timer; start() also calls
//    it). Subscribers still attached keep their log alive until they leave.
class StreamRegistry
{
public:
    explicit StreamRegistry(StreamRegistrySettings settings = {},
                            TickClock clock = systemTickClock());
    ~StreamRegistry();
    StreamRegistry(const StreamRegistry &) = delete;
    StreamRegistry &operator=(const StreamRegistry &) = delete;

    // A new open log. generation_in_progress when the conversation has one
    // open; conflict when the message id is already known; invalid_field for
    // an empty id.
    [[nodiscard]] Result<std::shared_ptr<StreamLog>> start(StreamLog::Identity identity);

    // not_found for unknown, expired, or someone else's messages.
    [[nodiscard]] Result<std::shared_ptr<StreamLog>> find(const QString &messageId,
                                                          const QString &userId) const;
    [[nodiscard]] Result<std::unique_ptr<StreamSubscription>>
    subscribe(const QString &messageId, const QString &userId, qint64 afterSeq,
              std::function<void()> wake, SubscriptionLimits limits = {}) const;

    // Asks the generation to stop. Stopping a finished generation is not an
    // error (the click raced the end). not_found as for find().
    [[nodiscard]] Status requestStop(const QString &messageId, const QString &userId);

    // The message id of the conversation's open generation, if any (for
    // "stop" by conversation and for the conversation view).
    [[nodiscard]] std::optional<QString> activeMessage(const QString &conversationId,
                                                       const QString &userId) const;

    // Forgets a log at once, open or not, and frees its conversation: for a
    // generation reserved with start() whose set-up then failed (unknown
    // conversation, invalid message), so nothing of it stays visible.
    void discard(const QString &messageId);

    // Forgets finished logs older than the retention; returns how many.
    int collectExpired();

    [[nodiscard]] qsizetype size() const;
    [[nodiscard]] qsizetype activeCount() const;

private:
    struct State;
    std::shared_ptr<State> m_state;
};

} // namespace parlance
