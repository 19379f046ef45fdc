#pragma once

#include "common/result.h"
#include "sse/sseevent.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QLatin1StringView>
#include <QStringView>

namespace parlance {

// Produces text/event-stream bytes that SseParser (and any browser) reads back
// exactly. Stateless, so one server writes many streams with it.
//
// Line breaks in `id` or `type` (and NUL in `id`) are refused with
// `invalid_field` rather than stripped: they would end the field and let the
// rest of the value inject fields or whole events into the stream, and a
// silently altered id would resume a reconnecting client at the wrong place.
// Data is never refused: each line of it becomes its own `data:` line, so
// "\r\n", "\r" and "\n" all come back as "\n" (the spec's normal form).
class SseWriter
{
public:
    // Appends "id: …\nevent: …\nretry: …\ndata: …\n…\n\n". An empty id
    // writes no id line (the receiver keeps the previous one); a type that is
    // empty or "message" writes no event line. On error `out` is unchanged.
    [[nodiscard]] static Status appendEvent(QByteArray &out, const SseEvent &event);
    [[nodiscard]] static Result<QByteArray> event(const SseEvent &event);
    // The server's hot path, one call per streamed token: "id: <id>\nevent:
    // <type>\ndata: <json>\n\n" with no checks and no UTF-16 round trip.
    // `type` must be a valid event name and `json` compact JSON (one line,
    // as JsonText writes it); appendEvent() gives the same bytes for them.
    static void appendJsonEvent(QByteArray &out, qint64 id, QLatin1StringView type,
                                QByteArrayView json);

    // One ":" line per line of `text`, then a blank line. Comments dispatch
    // nothing; keep-alives use them so proxies see traffic.
    static void appendComment(QByteArray &out, QStringView text);
    [[nodiscard]] static QByteArray comment(QStringView text);
    // ": ping\n\n", the heartbeat the server sends every 15 s.
    [[nodiscard]] static QByteArray heartbeat();

    // "retry: <ms>\n\n": sets the client's reconnection time without an event.
    [[nodiscard]] static Result<QByteArray> retry(int ms);

    // Why a value cannot be written as an `id` / `event` field, or an empty
    // string when it can.
    [[nodiscard]] static QString idProblem(QStringView id);
    [[nodiscard]] static QString typeProblem(QStringView type);
};

} // namespace parlance
