#include "providers/openaiprotocol.h"

#include "providers/requestcommon.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

QString roleName(Message::Role role)
{
    switch (role) {
    case Message::Role::System:
        return u"system"_s;
    case Message::Role::User:
        return u"user"_s;
    case Message::Role::Assistant:
        return u"assistant"_s;
    }
    return u"user"_s;
}

QJsonValue messageContent(const ProviderMessage &message)
{
    if (!message.hasImages())
        return RequestCommon::joinedText(message);
    QJsonArray parts;
    for (const ProviderContentPart &part : message.parts) {
        if (part.isText()) {
            if (!part.text.isEmpty())
                parts.append(QJsonObject { { u"type"_s, u"text"_s }, { u"text"_s, part.text } });
        } else {
            parts.append(QJsonObject {
                { u"type"_s, u"image_url"_s },
                { u"image_url"_s, QJsonObject { { u"url"_s, RequestCommon::dataUrl(part) } } } });
        }
    }
    return parts;
}

} // namespace

QUrl OpenAiProtocol::endpointUrl(const DeploymentEndpoint &endpoint)
{
    return RequestCommon::endpointUrl(endpoint.baseUrl, u"chat/completions");
}

Result<QJsonObject> OpenAiProtocol::buildBody(const DeploymentEndpoint &endpoint,
                                              const ProviderRequest &request)
{
    if (const Status valid = RequestCommon::validate(request); !valid)
        return valid.error();
    QJsonArray messages;
    for (const ProviderMessage &message : request.messages) {
        messages.append(QJsonObject { { u"role"_s, roleName(message.role) },
                                      { u"content"_s, messageContent(message) } });
    }
    QJsonObject body { { u"model"_s, endpoint.upstreamModel },
                       { u"messages"_s, messages },
                       { u"stream"_s, true } };
    if (endpoint.streamUsage)
        body.insert(u"stream_options"_s, QJsonObject { { u"include_usage"_s, true } });
    if (request.maxOutputTokens)
        body.insert(endpoint.maxTokensField.isEmpty() ? u"max_tokens"_s : endpoint.maxTokensField,
                    *request.maxOutputTokens);
    if (request.temperature)
        body.insert(u"temperature"_s, *request.temperature);
    return body;
}

StreamStep OpenAiStreamDecoder::decode(const SseEvent &event)
{
    StreamStep step;
    if (QStringView(event.data).trimmed() == "[DONE]"_L1) {
        step.terminator = true;
        return step;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(event.data.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        step.malformed = true;
        return step;
    }
    const QJsonObject chunk = document.object();
    if (chunk.contains("error"_L1)) {
        step.error = parseUpstreamError(chunk);
        return step;
    }
    const QJsonValue usage = chunk.value("usage"_L1);
    if (usage.isObject()) {
        const QJsonObject object = usage.toObject();
        Usage reported;
        reported.inputTokens = object.value("prompt_tokens"_L1).toInteger();
        reported.outputTokens = object.value("completion_tokens"_L1).toInteger();
        reported.cachedTokens = object.value("prompt_tokens_details"_L1)
                                    .toObject()
                                    .value("cached_tokens"_L1)
                                    .toInteger();
        step.usage = reported;
    }
    const QJsonArray choices = chunk.value("choices"_L1).toArray();
    if (!choices.isEmpty()) {
        const QJsonObject choice = choices.first().toObject();
        step.text = choice.value("delta"_L1).toObject().value("content"_L1).toString();
        step.finishReason = choice.value("finish_reason"_L1).toString();
    }
    return step;
}

} // namespace parlance
