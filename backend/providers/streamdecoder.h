#pragma once

#include "domain/usage.h"
#include "sse/sseevent.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace parlance {

// An error as the upstream described it, in either dialect.
struct UpstreamErrorInfo
{
    QString type; // invalid_request_error, overloaded_error, server_error, ...
    QString code; // OpenAI's `code`: context_length_exceeded, invalid_api_key, ...
    QString message;
};

// What one SSE event meant.
struct StreamStep
{
    QString text; // Text to append; empty when the event carried none.
    QString finishReason; // stop, length, end_turn, max_tokens, ...
    std::optional<Usage> usage; // Final usage, when this event completed it.
    std::optional<UpstreamErrorInfo> error; // An in-stream error event.
    bool terminator = false; // [DONE] or message_stop.
    bool malformed = false; // The event could not be understood.
};

// One dialect's reading of a stream's SSE events, in order. One decoder serves
// one stream (it may keep state, such as Anthropic's input tokens from
// message_start).
class StreamDecoder
{
public:
    virtual ~StreamDecoder() = default;
    [[nodiscard]] virtual StreamStep decode(const SseEvent &event) = 0;
};

// The error object of either dialect, whole body or inner object:
//   OpenAI     {"error": {"message", "type", "code"}}
//   Anthropic  {"type": "error", "error": {"type", "message"}}
//   vLLM (old) {"object": "error", "message", "type", "code"}
//   Ollama     {"error": "message"}
// A body that is not JSON becomes the message (the caller sanitises it).
[[nodiscard]] UpstreamErrorInfo parseUpstreamError(const QByteArray &body);
[[nodiscard]] UpstreamErrorInfo parseUpstreamError(const QJsonObject &object);

} // namespace parlance
