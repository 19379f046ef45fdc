#pragma once

#include "httpconnection.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace parlance::sim {

struct Deployment;

// What the simulator needs from a chat request, whatever the provider.
struct ChatRequest
{
    QString model;
    bool stream = false;
    bool includeUsage = false; // OpenAI stream_options.include_usage
    int maxTokens = -1; // -1: no limit given
    QStringList messageTexts; // every message (and system prompt), for prompt tokens
    QString lastUserText;
};

// A complete HTTP answer.
struct Reply
{
    int status = 200;
    HttpHeaders headers;
    QByteArray body;
};

enum class ErrorKind {
    MissingKey,
    InvalidKey,
    BadRequest,
    ModelNotFound,
    UnknownPath,
    RateLimit,
    ServerError,
    Overloaded,
};

// One provider's wire format: its request rules, its errors, its stream
// events and its complete response. One instance serves one request and
// keeps that response's id, model and prompt usage.
class WireFormat
{
public:
    virtual ~WireFormat() = default;

    // The provider's answer to missing or wrong credentials, if any.
    [[nodiscard]] virtual std::optional<Reply> checkAuth(const HttpRequest &request,
                                                         const Deployment &deployment) const = 0;
    // Validates the body the way the provider does; on failure `error` is the
    // message the provider's 400 would carry.
    [[nodiscard]] virtual bool parseRequest(const QJsonObject &body, ChatRequest *out,
                                            QString *error) const = 0;
    [[nodiscard]] virtual Reply error(ErrorKind kind, const QString &detail = {}) const = 0;
    [[nodiscard]] virtual Reply models(const QStringList &ids) const = 0;

    // Fixes the response's identity before any event is written.
    virtual void begin(const ChatRequest &request, qint64 promptTokens) = 0;
    [[nodiscard]] virtual HttpHeaders streamHeaders() const = 0;
    // Events before the first token (OpenAI: the role chunk; Anthropic:
    // message_start, content_block_start, ping).
    [[nodiscard]] virtual QByteArray streamOpen() const = 0;
    [[nodiscard]] virtual QByteArray streamDelta(const QString &text) const = 0;
    // Events after the last token, including the terminator.
    [[nodiscard]] virtual QByteArray streamClose(qint64 completionTokens, bool truncated) const = 0;
    // An error reported inside a stream that already answered 200.
    [[nodiscard]] virtual QByteArray streamError() const = 0;
    // A data line whose JSON is cut off.
    [[nodiscard]] virtual QByteArray malformedEvent() const = 0;
    // The non-streaming response.
    [[nodiscard]] virtual Reply complete(const QString &text, qint64 completionTokens,
                                         bool truncated) const = 0;
};

// Text of a message's content: a string, or the text parts of a list of
// content blocks (both providers accept both shapes).
[[nodiscard]] QString contentText(const QJsonValue &content);
// A random id in the providers' alphabet (letters and digits).
[[nodiscard]] QByteArray randomId(int length);

} // namespace parlance::sim
