#include "streaming/streamfeed.h"

#include "streaming/streaminglog.h"

namespace parlance {

StreamFeed::StreamFeed(QObject *parent)
    : QObject(parent)
{
    m_heartbeat.setInterval(DefaultHeartbeatInterval);
    connect(&m_heartbeat, &QTimer::timeout, this, [this] {
        if (!m_closed && isOpen() && pendingBytes() == 0)
            writeHeartbeat();
    });
}

StreamFeed::~StreamFeed() = default;

void StreamFeed::setHeartbeatInterval(std::chrono::milliseconds interval)
{
    m_heartbeat.setInterval(interval);
}

void StreamFeed::start(std::shared_ptr<StreamLog> log, qint64 afterSeq, SubscriptionLimits limits)
{
    m_subscription = std::make_unique<StreamSubscription>(
        std::move(log), afterSeq, StreamSubscription::queuedWake(this, [this] { pump(); }), limits);
    m_heartbeat.start();
    pump();
}

void StreamFeed::pump()
{
    if (m_closed || !m_subscription)
        return;
    if (!isOpen()) {
        // The client left: drop the cursor; the generation goes on.
        m_closed = true;
        m_heartbeat.stop();
        m_subscription.reset();
        return;
    }
    for (;;) {
        auto result = m_subscription->read(pendingBytes());
        switch (result.outcome) {
        case StreamSubscription::Outcome::Events:
            writeEvents(result.events);
            continue;
        case StreamSubscription::Outcome::Waiting:
        case StreamSubscription::Outcome::Backpressure:
            return;
        case StreamSubscription::Outcome::Reconnect:
            qCInfo(lcStreaming) << "slow reader told to reconnect after"
                                << m_subscription->lastSeq();
            writeReconnect(m_subscription->lastSeq());
            [[fallthrough]];
        case StreamSubscription::Outcome::Finished:
            m_closed = true;
            m_heartbeat.stop();
            m_subscription.reset();
            close();
            return;
        }
    }
}

} // namespace parlance
