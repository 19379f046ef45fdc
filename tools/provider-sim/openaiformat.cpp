#include "openaiformat.h"

#include "behaviour.h"
#include "jsonwriter.h"

#include <QDateTime>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace parlance::sim {

namespace {

const QByteArray fingerprint = json::string(u"fp_parlancesim"_s);

QByteArray errorBody(const QString &message, const char *type, const QByteArray &code)
{
    return json::object({ { "error",
                            json::object({ { "message", json::string(message) },
                                           { "type", json::string(QLatin1StringView(type)) },
                                           { "param", json::null() },
                                           { "code", code } }) } });
}

// Shows only the ends of a key, as OpenAI does, so a log of the simulator's
// answers never holds a whole key.
QString maskKey(const QString &key)
{
    if (key.size() <= 8)
        return u"***"_s;
    return key.left(4) + u"*****"_s + key.right(4);
}

} // namespace

std::optional<Reply> OpenAiFormat::checkAuth(const HttpRequest &request,
                                             const Deployment &deployment) const
{
    const QByteArray authorization = request.header("authorization"_ba);
    if (!authorization.startsWith("Bearer ") || authorization.mid(7).trimmed().isEmpty())
        return error(ErrorKind::MissingKey);
    const QString key = QString::fromUtf8(authorization.mid(7).trimmed());
    if (!deployment.keys.isEmpty() && !deployment.keys.contains(key))
        return error(ErrorKind::InvalidKey, maskKey(key));
    return std::nullopt;
}

bool OpenAiFormat::parseRequest(const QJsonObject &body, ChatRequest *out, QString *error) const
{
    if (!body.value("model"_L1).isString() || body.value("model"_L1).toString().isEmpty()) {
        *error = u"you must provide a model parameter"_s;
        return false;
    }
    const QJsonValue messages = body.value("messages"_L1);
    if (!messages.isArray() || messages.toArray().isEmpty()) {
        *error = u"[] is too short - 'messages'"_s;
        return false;
    }
    out->model = body.value("model"_L1).toString();
    out->stream = body.value("stream"_L1).toBool(false);
    out->includeUsage = out->stream
        && body.value("stream_options"_L1).toObject().value("include_usage"_L1).toBool(false);
    // max_completion_tokens replaced max_tokens; both are still accepted.
    const QJsonValue limit = body.contains("max_completion_tokens"_L1)
        ? body.value("max_completion_tokens"_L1)
        : body.value("max_tokens"_L1);
    if (!limit.isUndefined() && !limit.isNull()) {
        if (!limit.isDouble() || limit.toInt(-1) < 1) {
            *error = u"Invalid 'max_tokens': expected a positive integer."_s;
            return false;
        }
        out->maxTokens = limit.toInt();
    }
    for (const QJsonValue &value : messages.toArray()) {
        const QJsonObject message = value.toObject();
        if (!message.value("role"_L1).isString()) {
            *error = u"Missing required parameter: 'messages[].role'."_s;
            return false;
        }
        const QString text = contentText(message.value("content"_L1));
        out->messageTexts.append(text);
        if (message.value("role"_L1).toString() == "user"_L1)
            out->lastUserText = text;
    }
    return true;
}

Reply OpenAiFormat::error(ErrorKind kind, const QString &detail) const
{
    Reply reply;
    reply.headers = baseHeaders("application/json"_ba);
    switch (kind) {
    case ErrorKind::MissingKey:
        reply.status = 401;
        reply.body = errorBody(
            u"You didn't provide an API key. You need to provide your API key in an "
            "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."_s,
            "invalid_request_error", json::null());
        break;
    case ErrorKind::InvalidKey:
        reply.status = 401;
        reply.body = errorBody(u"Incorrect API key provided: %1."_s.arg(detail),
                               "invalid_request_error", json::string(u"invalid_api_key"_s));
        break;
    case ErrorKind::BadRequest:
        reply.status = 400;
        reply.body = errorBody(detail, "invalid_request_error", json::null());
        break;
    case ErrorKind::ModelNotFound:
        reply.status = 404;
        reply.body = errorBody(
            u"The model `%1` does not exist or you do not have access to it."_s.arg(detail),
            "invalid_request_error", json::string(u"model_not_found"_s));
        break;
    case ErrorKind::UnknownPath:
        reply.status = 404;
        reply.body =
            errorBody(u"Invalid URL (%1)"_s.arg(detail), "invalid_request_error", json::null());
        break;
    case ErrorKind::RateLimit:
        reply.status = 429;
        reply.body = errorBody(u"Rate limit reached for requests (simulated). Please try again "
                               "in %1s."_s.arg(detail),
                               "requests", json::string(u"rate_limit_exceeded"_s));
        break;
    case ErrorKind::ServerError:
        reply.status = 500;
        reply.body = errorBody(u"The server had an error while processing your request. Sorry "
                               "about that!"_s,
                               "server_error", json::null());
        break;
    case ErrorKind::Overloaded:
        reply.status = 503;
        reply.body = errorBody(u"The engine is currently overloaded, please try again later."_s,
                               "server_error", json::null());
        break;
    }
    reply.body += '\n';
    return reply;
}

Reply OpenAiFormat::models(const QStringList &ids) const
{
    QList<QByteArray> data;
    for (const QString &id : ids) {
        data.append(json::object({ { "id", json::string(id) },
                                   { "object", json::string(u"model"_s) },
                                   { "created", json::number(1700000000) },
                                   { "owned_by", json::string(u"parlance-sim"_s) } }));
    }
    return { 200, baseHeaders("application/json"_ba),
             json::object(
                 { { "object", json::string(u"list"_s) }, { "data", json::arrayOf(data) } }) };
}

void OpenAiFormat::begin(const ChatRequest &request, qint64 promptTokens)
{
    m_id = "chatcmpl-" + randomId(29);
    m_model = request.model;
    m_created = QDateTime::currentSecsSinceEpoch();
    m_promptTokens = promptTokens;
    m_includeUsage = request.includeUsage;
}

HttpHeaders OpenAiFormat::baseHeaders(const QByteArray &contentType) const
{
    return { { "content-type"_ba, contentType },
             { "x-request-id"_ba, m_requestId },
             { "openai-processing-ms"_ba, "1"_ba } };
}

HttpHeaders OpenAiFormat::streamHeaders() const
{
    HttpHeaders headers = baseHeaders("text/event-stream; charset=utf-8"_ba);
    headers.append({ "cache-control"_ba, "no-cache, must-revalidate"_ba });
    return headers;
}

QByteArray OpenAiFormat::usage(qint64 completionTokens) const
{
    return json::object({ { "prompt_tokens", json::number(m_promptTokens) },
                          { "completion_tokens", json::number(completionTokens) },
                          { "total_tokens", json::number(m_promptTokens + completionTokens) } });
}

QByteArray OpenAiFormat::chunk(const QByteArray &choices, const QByteArray &usageJson) const
{
    const QByteArray base = json::object({ { "id", json::string(QLatin1StringView(m_id)) },
                                           { "object", json::string(u"chat.completion.chunk"_s) },
                                           { "created", json::number(m_created) },
                                           { "model", json::string(m_model) },
                                           { "system_fingerprint", fingerprint },
                                           { "choices", choices } });
    if (!m_includeUsage)
        return "data: " + base + "\n\n";
    // With include_usage every chunk has a usage field: null until the last.
    return "data: " + base.chopped(1) + ",\"usage\":" + usageJson + "}\n\n";
}

QByteArray OpenAiFormat::streamOpen() const
{
    const QByteArray delta = json::object({ { "role", json::string(u"assistant"_s) },
                                            { "content", json::string(u""_s) },
                                            { "refusal", json::null() } });
    return chunk(json::array({ json::object({ { "index", json::number(0) },
                                              { "delta", delta },
                                              { "logprobs", json::null() },
                                              { "finish_reason", json::null() } }) }),
                 json::null());
}

QByteArray OpenAiFormat::streamDelta(const QString &text) const
{
    return chunk(json::array({ json::object(
                     { { "index", json::number(0) },
                       { "delta", json::object({ { "content", json::string(text) } }) },
                       { "logprobs", json::null() },
                       { "finish_reason", json::null() } }) }),
                 json::null());
}

QByteArray OpenAiFormat::streamClose(qint64 completionTokens, bool truncated) const
{
    QByteArray out =
        chunk(json::array({ json::object(
                  { { "index", json::number(0) },
                    { "delta", "{}"_ba },
                    { "logprobs", json::null() },
                    { "finish_reason", json::string(truncated ? u"length"_s : u"stop"_s) } }) }),
              json::null());
    if (m_includeUsage)
        out += chunk("[]"_ba, usage(completionTokens));
    return out + "data: [DONE]\n\n";
}

QByteArray OpenAiFormat::streamError() const
{
    // What OpenAI sends when generation fails after the 200: an error object
    // on a data line, and no [DONE].
    return "data: "
        + errorBody(u"The server had an error while processing your request. Sorry about that!"_s,
                    "server_error", json::null())
        + "\n\n";
}

QByteArray OpenAiFormat::malformedEvent() const
{
    return "data: {\"id\":\"" + m_id
        + "\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{"
          "\"content\":\"\n\n";
}

Reply OpenAiFormat::complete(const QString &text, qint64 completionTokens, bool truncated) const
{
    const QByteArray message = json::object({ { "role", json::string(u"assistant"_s) },
                                              { "content", json::string(text) },
                                              { "refusal", json::null() } });
    const QByteArray choice =
        json::object({ { "index", json::number(0) },
                       { "message", message },
                       { "logprobs", json::null() },
                       { "finish_reason", json::string(truncated ? u"length"_s : u"stop"_s) } });
    const QByteArray body = json::object({ { "id", json::string(QLatin1StringView(m_id)) },
                                           { "object", json::string(u"chat.completion"_s) },
                                           { "created", json::number(m_created) },
                                           { "model", json::string(m_model) },
                                           { "choices", json::array({ choice }) },
                                           { "usage", usage(completionTokens) },
                                           { "system_fingerprint", fingerprint } });
    return { 200, baseHeaders("application/json"_ba), body };
}

} // namespace parlance::sim
