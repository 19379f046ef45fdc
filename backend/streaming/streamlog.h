#pragma once

#include "domain/apierror.h"
#include "streaming/streamevent.h"

#include <QJsonObject>
#include <QList>
#include <QReadWriteLock>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace parlance {

// The append-only event log of ONE generation (one assistant message). See
// docs/streaming.md for the whole design.
//
// Threads: a StreamLog is not a QObject and has no thread affinity. One
// generation writes (appendX, finish) from its event-loop thread; any number of
// readers on other threads read with eventsAfter() under a shared lock. Readers
// are never pushed data: a reader registers a Waiter whose `wake` function the
// writer calls (outside every lock) when something new arrives and the reader
// had asked to be woken. The transport makes `wake` post a queued call to the
// connection's thread (see StreamSubscription::queuedWake), so a slow reader
// costs the writer one flag test per append, and at most one notification is
// ever in flight per reader.
//
// Memory: deltas are kept as (offset, length) into one accumulated text, so a
// long message is stored once, not once per event; other events keep their
// small JSON object. About 24 bytes per delta plus the text itself.
class StreamLog
{
public:
    struct Identity
    {
        QString messageId;
        QString conversationId;
        QString userId;
    };

    // A reader's doorbell. `wake` runs on the writer's thread, must be cheap,
    // and must neither append to this log nor destroy its own subscription
    // (a queued call to the reader's thread does neither).
    struct Waiter
    {
        std::mutex mutex; // held while `wake` runs; see removeWaiter()
        std::function<void()> wake;
        std::atomic<bool> armed { false };
    };

    explicit StreamLog(Identity identity);
    StreamLog(const StreamLog &) = delete;
    StreamLog &operator=(const StreamLog &) = delete;

    [[nodiscard]] const Identity &identity() const { return m_identity; }

    // Writer side. Each returns the new event's seq, or 0 when the log is
    // already finished (nothing is appended then). An empty delta appends
    // nothing and returns the current last seq.
    qint64 appendMeta(const QJsonObject &data);
    qint64 appendDelta(QStringView text);
    qint64 appendUsage(const QJsonObject &usage);
    // Ends the log: an `error` event when `error` is given, then `done` with
    // the status. Returns the seq of `done`, or 0 if it was finished before.
    qint64 finish(StreamFinalStatus status, const std::optional<ApiError> &error = std::nullopt);

    // Reader side, any thread. Events with seq > afterSeq, oldest first, at
    // most `maxEvents` of them, stopping once their delta text reaches
    // `maxChars` (at least one event is returned when there is one, so a
    // huge delta cannot wedge a reader). With `coalesceDeltas`, consecutive
    // deltas come back as one delta carrying the last one's seq: resuming
    // after that seq is still exact, and a reader far behind catches up in a
    // few large writes instead of thousands of small ones.
    [[nodiscard]] QList<StreamEvent> eventsAfter(qint64 afterSeq, int maxEvents,
                                                 qsizetype maxChars = -1,
                                                 bool coalesceDeltas = false) const;

    [[nodiscard]] qint64 lastSeq() const { return m_lastSeq.load(); }
    [[nodiscard]] bool isFinished() const { return m_finished.load(); }
    [[nodiscard]] std::optional<StreamFinalStatus> finalStatus() const;
    [[nodiscard]] std::optional<ApiError> finalError() const;
    // The text so far (a deep copy: sharing would make the next append copy
    // the whole text). For persistence when the generation ends.
    [[nodiscard]] QString text() const;
    [[nodiscard]] qsizetype textLength() const;
    // Approximate heap bytes held by events and text, for admin and tests.
    [[nodiscard]] qsizetype memoryBytes() const;

    // Stop: any thread may ask; the generation polls stopRequested() or is
    // told through the handler (called once, on the requesting thread; the
    // generation makes it a queued call to itself). Setting the handler after
    // a stop was requested calls it at once.
    void requestStop();
    [[nodiscard]] bool stopRequested() const { return m_stopRequested.load(); }
    void setStopHandler(std::function<void()> handler);

    // Readers' doorbells. A reader sets `armed` when caught up, then
    // re-checks lastSeq() to close the race with an append in between; the
    // next append (or finish) disarms it and calls `wake` once. After
    // removeWaiter() returns, its wake is not running and never will.
    [[nodiscard]] std::shared_ptr<Waiter> addWaiter(std::function<void()> wake);
    void removeWaiter(const std::shared_ptr<Waiter> &waiter);
    [[nodiscard]] qsizetype waiterCount() const;

    // For StreamRegistry: called once, on the writer's thread, after finish.
    void setFinishedHandler(std::function<void()> handler);

private:
    struct Entry
    {
        qsizetype offset = 0; // deltas: into m_text
        qsizetype length = 0;
        QJsonObject data; // other types
        StreamEvent::Type type = StreamEvent::Type::Delta;
    };

    qint64 append(Entry entry, QStringView text);
    [[nodiscard]] StreamEvent toEvent(qsizetype index) const;
    void wakeReaders();

    const Identity m_identity;

    mutable QReadWriteLock m_lock; // guards m_entries, m_text, m_final*
    std::vector<Entry> m_entries; // m_entries[i] has seq i + 1
    QString m_text;
    std::optional<StreamFinalStatus> m_finalStatus;
    std::optional<ApiError> m_finalError;
    std::atomic<qint64> m_lastSeq { 0 };
    std::atomic<bool> m_finished { false };

    mutable std::mutex m_waitersMutex;
    std::vector<std::shared_ptr<Waiter>> m_waiters;

    std::mutex m_handlersMutex;
    std::atomic<bool> m_stopRequested { false };
    std::function<void()> m_stopHandler;
    std::function<void()> m_finishedHandler;
    // Set (under m_handlersMutex) once finish() has begun: a finished
    // handler registered from then on runs at once.
    bool m_finishing = false;
};

} // namespace parlance
