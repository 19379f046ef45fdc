#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace parlance {

// One dispatched Server-Sent Event, as the WHATWG "dispatch the event" step
// produces it.
struct SseEvent
{
    // The `event` field; "message" when the block set none or set it empty.
    QString type = QStringLiteral("message");
    // The `data` lines of the block joined with '\n' (no trailing '\n').
    QString data;
    // The last event ID string at dispatch time: it persists across events
    // until an `id` field changes it, exactly as EventSource.lastEventId.
    QString id;
    // A valid `retry` field seen in this event's block, in milliseconds. The
    // parser applies retry immediately (SseParser::reconnectionTimeMs()), also
    // for blocks that dispatch nothing; this copy is for convenience.
    std::optional<int> retryMs;

    [[nodiscard]] bool operator==(const SseEvent &) const = default;

    // Wire bytes for this event; see SseWriter::appendEvent for the rules and
    // the errors (a line break in `type` or `id`, NUL in `id`, negative retry).
    [[nodiscard]] Result<QByteArray> serialize() const;
};

} // namespace parlance
