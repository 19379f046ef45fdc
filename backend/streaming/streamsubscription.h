#pragma once

#include "generation/tickclock.h"
#include "streaming/streamlog.h"

#include <QList>
#include <QObject>

#include <chrono>
#include <functional>
#include <memory>

namespace parlance {

struct SubscriptionLimits
{
    // One read hands over at most this much; the transport writes it and
    // reads again, so no connection ever holds more than one batch of copies.
    int maxEventsPerRead = 256;
    qsizetype maxCharsPerRead = 16 * 1024;
    // Consecutive deltas go out as one event (carrying the last seq). Off
    // only for readers that need every event as appended (tests, debugging).
    bool coalesceDeltas = true;
    // Bytes the transport may have written but not yet flushed to the kernel
    // (QAbstractSocket::bytesToWrite). At or above it, read() hands out
    // nothing: a slow reader stays a cursor into the log, not a growing
    // buffer in the server.
    qint64 maxPendingBytes = 64 * 1024;
    // Held back by backpressure for this long without progress: the reader is
    // told to reconnect (it resumes from its Last-Event-ID, losing nothing),
    // which frees the connection of a client that stopped reading.
    std::chrono::milliseconds maxStall { 60'000 };
};

// One reader's cursor into a StreamLog. Owned and used by one thread (the
// connection's); the log may be written on another. The reader pulls:
//
//   auto sub = registry.subscribe(..., StreamSubscription::queuedWake(conn, [conn] { conn->pump();
//   })); void Conn::pump() {
//       for (;;) {
//           auto r = sub->read(socket->bytesToWrite());
//           switch (r.outcome) {
//           case Events: write r.events as SSE (id: seq); continue;
//           case Waiting: return;                  // woken on the next append
//           case Backpressure: return;             // pump again on bytesWritten
//           case Finished: close the response; return;
//           case Reconnect: close the response; return; // client resumes
//           }
//       }
//   }
class StreamSubscription
{
public:
    enum class Outcome {
        Events, // `events` holds the next batch; the cursor moved past it
        Waiting, // caught up with an open log; `wake` runs on the next append
        Backpressure, // too much unflushed; read again when bytes were written
        Finished, // every event including `done` was handed out
        Reconnect, // stalled longer than maxStall: close; the client resumes
    };
    struct ReadResult
    {
        Outcome outcome = Outcome::Waiting;
        QList<StreamEvent> events;
    };

    // Starts after `afterSeq` (0: from the beginning; a Last-Event-ID beyond
    // the log's end is clamped to it: nothing is replayed twice). `wake` may
    // be empty for a reader that polls.
    StreamSubscription(std::shared_ptr<StreamLog> log, qint64 afterSeq, std::function<void()> wake,
                       SubscriptionLimits limits = {}, TickClock clock = systemTickClock());
    ~StreamSubscription();
    StreamSubscription(const StreamSubscription &) = delete;
    StreamSubscription &operator=(const StreamSubscription &) = delete;

    // `pendingBytes`: what the transport still has buffered for this client.
    [[nodiscard]] ReadResult read(qint64 pendingBytes = 0);

    [[nodiscard]] qint64 lastSeq() const { return m_cursor; }
    [[nodiscard]] const StreamLog &log() const { return *m_log; }

    // A wake that posts `onWake` to `context`'s thread. `context` must outlive
    // the subscription (the connection object that owns it does); a queued
    // call still pending when `context` is deleted is dropped by Qt.
    [[nodiscard]] static std::function<void()> queuedWake(QObject *context,
                                                          std::function<void()> onWake);

private:
    const std::shared_ptr<StreamLog> m_log;
    const SubscriptionLimits m_limits;
    const TickClock m_clock;
    std::shared_ptr<StreamLog::Waiter> m_waiter;
    qint64 m_cursor = 0;
    std::optional<std::chrono::milliseconds> m_stalledSince;
};

} // namespace parlance
