#include "anthropicformat.h"

#include "behaviour.h"
#include "jsonwriter.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace parlance::sim {

namespace {

QByteArray errorBody(const char *type, const QString &message)
{
    return json::object({ { "type", json::string(u"error"_s) },
                          { "error",
                            json::object({ { "type", json::string(QLatin1StringView(type)) },
                                           { "message", json::string(message) } }) } });
}

QByteArray event(const char *name, const QByteArray &data)
{
    return QByteArray("event: ") + name + "\ndata: " + data + "\n\n";
}

QByteArray stopReason(bool truncated)
{
    return json::string(truncated ? u"max_tokens"_s : u"end_turn"_s);
}

} // namespace

std::optional<Reply> AnthropicFormat::checkAuth(const HttpRequest &request,
                                                const Deployment &deployment) const
{
    const QByteArray key = request.header("x-api-key"_ba).trimmed();
    if (key.isEmpty())
        return error(ErrorKind::MissingKey);
    if (!deployment.keys.isEmpty() && !deployment.keys.contains(QString::fromUtf8(key)))
        return error(ErrorKind::InvalidKey);
    if (request.header("anthropic-version"_ba).isEmpty())
        return error(ErrorKind::BadRequest, u"anthropic-version: header is required"_s);
    return std::nullopt;
}

bool AnthropicFormat::parseRequest(const QJsonObject &body, ChatRequest *out, QString *error) const
{
    if (!body.value("model"_L1).isString() || body.value("model"_L1).toString().isEmpty()) {
        *error = u"model: Field required"_s;
        return false;
    }
    const QJsonValue maxTokens = body.value("max_tokens"_L1);
    if (maxTokens.isUndefined()) {
        *error = u"max_tokens: Field required"_s;
        return false;
    }
    if (!maxTokens.isDouble() || maxTokens.toInt(-1) < 1) {
        *error = u"max_tokens: Input should be a valid integer greater than 0"_s;
        return false;
    }
    const QJsonValue messages = body.value("messages"_L1);
    if (!messages.isArray()) {
        *error = u"messages: Field required"_s;
        return false;
    }
    if (messages.toArray().isEmpty()) {
        *error = u"messages: at least one message is required"_s;
        return false;
    }
    out->model = body.value("model"_L1).toString();
    out->stream = body.value("stream"_L1).toBool(false);
    out->maxTokens = maxTokens.toInt();
    // The system prompt is a top-level field here, not a message; it costs
    // prompt tokens all the same.
    if (body.contains("system"_L1))
        out->messageTexts.append(contentText(body.value("system"_L1)));
    for (const QJsonValue &value : messages.toArray()) {
        const QJsonObject message = value.toObject();
        const QString role = message.value("role"_L1).toString();
        if (role != "user"_L1 && role != "assistant"_L1) {
            *error = u"messages: roles must be 'user' or 'assistant'"_s;
            return false;
        }
        const QString text = contentText(message.value("content"_L1));
        out->messageTexts.append(text);
        if (role == "user"_L1)
            out->lastUserText = text;
    }
    return true;
}

Reply AnthropicFormat::error(ErrorKind kind, const QString &detail) const
{
    Reply reply;
    reply.headers = baseHeaders("application/json"_ba);
    switch (kind) {
    case ErrorKind::MissingKey:
        reply.status = 401;
        reply.body = errorBody("authentication_error", u"x-api-key header is required"_s);
        break;
    case ErrorKind::InvalidKey:
        reply.status = 401;
        reply.body = errorBody("authentication_error", u"invalid x-api-key"_s);
        break;
    case ErrorKind::BadRequest:
        reply.status = 400;
        reply.body = errorBody("invalid_request_error", detail);
        break;
    case ErrorKind::ModelNotFound:
        reply.status = 404;
        reply.body = errorBody("not_found_error", u"model: %1"_s.arg(detail));
        break;
    case ErrorKind::UnknownPath:
        reply.status = 404;
        reply.body = errorBody("not_found_error", u"Not found"_s);
        break;
    case ErrorKind::RateLimit:
        reply.status = 429;
        reply.body = errorBody("rate_limit_error",
                               u"Number of requests has exceeded your per-minute rate limit "
                               "(simulated)."_s);
        break;
    case ErrorKind::ServerError:
        reply.status = 500;
        reply.body = errorBody("api_error", u"Internal server error"_s);
        break;
    case ErrorKind::Overloaded:
        reply.status = 529;
        reply.body = errorBody("overloaded_error", u"Overloaded"_s);
        break;
    }
    return reply;
}

Reply AnthropicFormat::models(const QStringList &ids) const
{
    QList<QByteArray> data;
    for (const QString &id : ids) {
        data.append(json::object({ { "type", json::string(u"model"_s) },
                                   { "id", json::string(id) },
                                   { "display_name", json::string(id) },
                                   { "created_at", json::string(u"2025-01-01T00:00:00Z"_s) } }));
    }
    const QByteArray first = ids.isEmpty() ? json::null() : json::string(ids.first());
    const QByteArray last = ids.isEmpty() ? json::null() : json::string(ids.last());
    return { 200, baseHeaders("application/json"_ba),
             json::object({ { "data", json::arrayOf(data) },
                            { "has_more", "false"_ba },
                            { "first_id", first },
                            { "last_id", last } }) };
}

void AnthropicFormat::begin(const ChatRequest &request, qint64 promptTokens)
{
    m_id = "msg_01" + randomId(22);
    m_model = request.model;
    m_promptTokens = promptTokens;
}

HttpHeaders AnthropicFormat::baseHeaders(const QByteArray &contentType) const
{
    return { { "content-type"_ba, contentType }, { "request-id"_ba, m_requestId } };
}

HttpHeaders AnthropicFormat::streamHeaders() const
{
    HttpHeaders headers = baseHeaders("text/event-stream; charset=utf-8"_ba);
    headers.append({ "cache-control"_ba, "no-cache"_ba });
    return headers;
}

QByteArray AnthropicFormat::streamOpen() const
{
    // message_start reports the prompt and, as the real API does, one output token.
    const QByteArray message =
        json::object({ { "id", json::string(QLatin1StringView(m_id)) },
                       { "type", json::string(u"message"_s) },
                       { "role", json::string(u"assistant"_s) },
                       { "model", json::string(m_model) },
                       { "content", "[]"_ba },
                       { "stop_reason", json::null() },
                       { "stop_sequence", json::null() },
                       { "usage",
                         json::object({ { "input_tokens", json::number(m_promptTokens) },
                                        { "output_tokens", json::number(1) } }) } });
    return event("message_start",
                 json::object(
                     { { "type", json::string(u"message_start"_s) }, { "message", message } }))
        + event("content_block_start",
                json::object({ { "type", json::string(u"content_block_start"_s) },
                               { "index", json::number(0) },
                               { "content_block",
                                 json::object({ { "type", json::string(u"text"_s) },
                                                { "text", json::string(u""_s) } }) } }))
        + event("ping", json::object({ { "type", json::string(u"ping"_s) } }));
}

QByteArray AnthropicFormat::streamDelta(const QString &text) const
{
    return event("content_block_delta",
                 json::object({ { "type", json::string(u"content_block_delta"_s) },
                                { "index", json::number(0) },
                                { "delta",
                                  json::object({ { "type", json::string(u"text_delta"_s) },
                                                 { "text", json::string(text) } }) } }));
}

QByteArray AnthropicFormat::streamClose(qint64 completionTokens, bool truncated) const
{
    return event("content_block_stop",
                 json::object({ { "type", json::string(u"content_block_stop"_s) },
                                { "index", json::number(0) } }))
        + event("message_delta",
                json::object(
                    { { "type", json::string(u"message_delta"_s) },
                      { "delta",
                        json::object({ { "stop_reason", stopReason(truncated) },
                                       { "stop_sequence", json::null() } }) },
                      { "usage",
                        json::object({ { "output_tokens", json::number(completionTokens) } }) } }))
        + event("message_stop", json::object({ { "type", json::string(u"message_stop"_s) } }));
}

QByteArray AnthropicFormat::streamError() const
{
    return event("error", errorBody("overloaded_error", u"Overloaded"_s));
}

QByteArray AnthropicFormat::malformedEvent() const
{
    return "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
           "\"delta\":{\"type\":\"text_delta\",\"text\":\"\n\n"_ba;
}

Reply AnthropicFormat::complete(const QString &text, qint64 completionTokens, bool truncated) const
{
    const QByteArray body =
        json::object({ { "id", json::string(QLatin1StringView(m_id)) },
                       { "type", json::string(u"message"_s) },
                       { "role", json::string(u"assistant"_s) },
                       { "model", json::string(m_model) },
                       { "content",
                         json::array({ json::object({ { "type", json::string(u"text"_s) },
                                                      { "text", json::string(text) } }) }) },
                       { "stop_reason", stopReason(truncated) },
                       { "stop_sequence", json::null() },
                       { "usage",
                         json::object({ { "input_tokens", json::number(m_promptTokens) },
                                        { "output_tokens", json::number(completionTokens) } }) } });
    return { 200, baseHeaders("application/json"_ba), body };
}

} // namespace parlance::sim
