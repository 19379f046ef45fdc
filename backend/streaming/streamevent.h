#pragma once

#include <QJsonObject>
#include <QLatin1StringView>
#include <QString>
#include <QtGlobal>

#include <optional>

namespace parlance {

// One entry of a generation's log, as a subscriber reads it. `seq` starts at 1
// and grows by one per event; it is the SSE `id:` and what `Last-Event-ID`
// names on reconnect. Payloads by type:
//   meta   data {"model", "deployment", ...}: which deployment answers (may
//          appear again after a failover before the first delta)
//   delta  text: the new text (never the accumulated text)
//   usage  data: Usage JSON
//   error  data: ApiError JSON ({"code", "message", "retry_after"?})
//   done   data {"status": "complete" | "stopped" | "interrupted" | "error"};
//          always the last event of a finished log
struct StreamEvent
{
    enum class Type : quint8 { Meta, Delta, Usage, Error, Done };

    qint64 seq = 0;
    Type type = Type::Delta;
    QString text; // delta only
    QJsonObject data; // every other type

    // The SSE `event:` name: "meta", "delta", "usage", "error", "done".
    [[nodiscard]] static QLatin1StringView typeName(Type type);
    [[nodiscard]] static std::optional<Type> typeFromName(QStringView name);

    // The SSE `data:` payload: {"text": "..."} for a delta, `data` otherwise.
    [[nodiscard]] QJsonObject payload() const;

    [[nodiscard]] bool operator==(const StreamEvent &) const = default;
};

// How a generation ended; the `status` of the done event and of the stored
// message (Message::Status without `streaming`).
enum class StreamFinalStatus : quint8 { Complete, Stopped, Interrupted, Error };

[[nodiscard]] QLatin1StringView finalStatusName(StreamFinalStatus status);

} // namespace parlance
