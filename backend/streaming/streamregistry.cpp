#include "streaming/streamregistry.h"

#include "contract/errorcodes.h"
#include "streaming/streaminglog.h"

#include <QHash>

#include <deque>
#include <mutex>

using namespace Qt::StringLiterals;

namespace parlance {

struct StreamRegistry::State
{
    StreamRegistrySettings settings;
    TickClock clock;

    mutable std::mutex mutex;
    QHash<QString, std::shared_ptr<StreamLog>> logs; // by message id
    QHash<QString, QString> activeByConversation; // conversation id -> message id
    // Finished logs in the order they finished; the clock is monotonic, so
    // the front is always the oldest and expiry is O(expired).
    std::deque<std::pair<std::chrono::milliseconds, QString>> finished;

    void onFinished(const StreamLog::Identity &identity)
    {
        std::lock_guard guard(mutex);
        const auto it = activeByConversation.constFind(identity.conversationId);
        if (it != activeByConversation.cend() && *it == identity.messageId)
            activeByConversation.erase(it);
        finished.emplace_back(clock(), identity.messageId);
    }

    int collectExpiredLocked()
    {
        const auto now = clock();
        int dropped = 0;
        while (!finished.empty() && now - finished.front().first >= settings.retention) {
            logs.remove(finished.front().second);
            finished.pop_front();
            ++dropped;
        }
        return dropped;
    }

    std::shared_ptr<StreamLog> lookupLocked(const QString &messageId, const QString &userId) const
    {
        const auto log = logs.value(messageId);
        if (!log || userId.isEmpty() || log->identity().userId != userId)
            return nullptr;
        return log;
    }
};

namespace {

ApiError notFound()
{
    return ApiError { QString(errc::NotFound), u"No such stream."_s, std::nullopt };
}

} // namespace

StreamRegistry::StreamRegistry(StreamRegistrySettings settings, TickClock clock)
    : m_state(std::make_shared<State>())
{
    m_state->settings = settings;
    m_state->clock = std::move(clock);
}

StreamRegistry::~StreamRegistry() = default;

Result<std::shared_ptr<StreamLog>> StreamRegistry::start(StreamLog::Identity identity)
{
    if (identity.messageId.isEmpty() || identity.conversationId.isEmpty()
        || identity.userId.isEmpty()) {
        return ApiError { QString(errc::InvalidField),
                          u"A stream needs a message, a conversation and a user."_s, std::nullopt };
    }
    std::shared_ptr<StreamLog> log;
    {
        std::lock_guard guard(m_state->mutex);
        m_state->collectExpiredLocked();
        if (m_state->activeByConversation.contains(identity.conversationId)) {
            return ApiError { QString(errc::GenerationInProgress),
                              u"An answer is still being generated in this conversation; "
                              "wait for it or stop it first."_s,
                              std::nullopt };
        }
        if (m_state->logs.contains(identity.messageId)) {
            return ApiError { QString(errc::Conflict), u"This message already has a stream."_s,
                              std::nullopt };
        }
        log = std::make_shared<StreamLog>(identity);
        m_state->logs.insert(identity.messageId, log);
        m_state->activeByConversation.insert(identity.conversationId, identity.messageId);
    }
    // Outside the lock: a log finished at once calls back into the state.
    std::weak_ptr<State> weakState = m_state;
    StreamLog *raw = log.get();
    log->setFinishedHandler([weakState, raw] {
        if (const auto state = weakState.lock())
            state->onFinished(raw->identity());
    });
    qCDebug(lcStreaming) << "stream started" << identity.messageId;
    return log;
}

Result<std::shared_ptr<StreamLog>> StreamRegistry::find(const QString &messageId,
                                                        const QString &userId) const
{
    std::lock_guard guard(m_state->mutex);
    if (auto log = m_state->lookupLocked(messageId, userId))
        return log;
    return notFound();
}

Result<std::unique_ptr<StreamSubscription>>
StreamRegistry::subscribe(const QString &messageId, const QString &userId, qint64 afterSeq,
                          std::function<void()> wake, SubscriptionLimits limits) const
{
    auto log = find(messageId, userId);
    if (!log)
        return log.error();
    return std::make_unique<StreamSubscription>(std::move(log).value(), afterSeq, std::move(wake),
                                                limits, m_state->clock);
}

Status StreamRegistry::requestStop(const QString &messageId, const QString &userId)
{
    auto log = find(messageId, userId);
    if (!log)
        return log.error();
    log.value()->requestStop();
    return Done {};
}

std::optional<QString> StreamRegistry::activeMessage(const QString &conversationId,
                                                     const QString &userId) const
{
    std::lock_guard guard(m_state->mutex);
    const auto it = m_state->activeByConversation.constFind(conversationId);
    if (it == m_state->activeByConversation.cend() || !m_state->lookupLocked(*it, userId))
        return std::nullopt;
    return *it;
}

void StreamRegistry::discard(const QString &messageId)
{
    std::lock_guard guard(m_state->mutex);
    const auto log = m_state->logs.take(messageId);
    if (!log)
        return;
    const auto it = m_state->activeByConversation.constFind(log->identity().conversationId);
    if (it != m_state->activeByConversation.cend() && *it == messageId)
        m_state->activeByConversation.erase(it);
}

int StreamRegistry::collectExpired()
{
    std::lock_guard guard(m_state->mutex);
    return m_state->collectExpiredLocked();
}

qsizetype StreamRegistry::size() const
{
    std::lock_guard guard(m_state->mutex);
    return m_state->logs.size();
}

qsizetype StreamRegistry::activeCount() const
{
    std::lock_guard guard(m_state->mutex);
    return m_state->activeByConversation.size();
}

} // namespace parlance
