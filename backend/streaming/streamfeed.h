#pragma once

#include "streaming/streamsubscription.h"

#include <QObject>
#include <QTimer>

#include <chrono>
#include <memory>

namespace parlance {

// One client following one StreamLog over some transport (SSE, WebSocket).
// Pulls from its StreamSubscription whenever the log has news or the
// transport drained, writes what it got, and closes when the log is
// finished. The generation never waits for it: closing the client only
// drops this cursor (docs/streaming.md). Lives on the connection's thread.
class StreamFeed : public QObject
{
    Q_OBJECT
public:
    // Heartbeats keep proxies from timing out an idle stream (DESIGN.md §3);
    // --stream-heartbeat changes the interval.
    static constexpr std::chrono::milliseconds DefaultHeartbeatInterval { 15'000 };

    ~StreamFeed() override;

    // Before start(): how often an idle stream gets a heartbeat.
    void setHeartbeatInterval(std::chrono::milliseconds interval);

    // Subscribes after `afterSeq` and starts pumping.
    void start(std::shared_ptr<StreamLog> log, qint64 afterSeq, SubscriptionLimits limits = {});

protected:
    explicit StreamFeed(QObject *parent);

    // Transport hooks.
    [[nodiscard]] virtual bool isOpen() const = 0;
    [[nodiscard]] virtual qint64 pendingBytes() const = 0;
    virtual void writeEvents(const QList<StreamEvent> &events) = 0;
    virtual void writeHeartbeat() = 0;
    // Backpressure held the client back too long: tell it to reconnect
    // after `lastSeq` (it resumes without loss), then close.
    virtual void writeReconnect(qint64 lastSeq) = 0;
    // Everything was delivered (or the client is told to reconnect): end.
    virtual void close() = 0;

    // Call when the transport has flushed bytes.
    void pump();

private:
    std::unique_ptr<StreamSubscription> m_subscription;
    QTimer m_heartbeat;
    bool m_closed = false;
};

} // namespace parlance
