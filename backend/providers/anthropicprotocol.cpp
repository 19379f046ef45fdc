#include "providers/anthropicprotocol.h"

#include "contract/errorcodes.h"
#include "providers/requestcommon.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

QJsonArray contentBlocks(const ProviderMessage &message)
{
    QJsonArray blocks;
    for (const ProviderContentPart &part : message.parts) {
        if (part.isText()) {
            if (!part.text.isEmpty())
                blocks.append(QJsonObject { { u"type"_s, u"text"_s }, { u"text"_s, part.text } });
        } else {
            blocks.append(QJsonObject {
                { u"type"_s, u"image"_s },
                { u"source"_s,
                  QJsonObject { { u"type"_s, u"base64"_s },
                                { u"media_type"_s, part.mimeType },
                                { u"data"_s, QString::fromLatin1(part.data.toBase64()) } } } });
        }
    }
    return blocks;
}

// Reads the three input counters Anthropic reports separately.
void readInput(const QJsonObject &usage, Usage *out)
{
    if (!usage.contains("input_tokens"_L1))
        return;
    const qint64 cacheRead = usage.value("cache_read_input_tokens"_L1).toInteger();
    const qint64 cacheWrite = usage.value("cache_creation_input_tokens"_L1).toInteger();
    out->inputTokens = usage.value("input_tokens"_L1).toInteger() + cacheRead + cacheWrite;
    out->cachedTokens = cacheRead;
}

} // namespace

QUrl AnthropicProtocol::endpointUrl(const DeploymentEndpoint &endpoint)
{
    return RequestCommon::endpointUrl(endpoint.baseUrl, u"messages");
}

Result<QJsonObject> AnthropicProtocol::buildBody(const DeploymentEndpoint &endpoint,
                                                 const ProviderRequest &request)
{
    if (const Status valid = RequestCommon::validate(request); !valid)
        return valid.error();
    QStringList system;
    QList<std::pair<QString, QJsonArray>> turns; // role, blocks
    for (const ProviderMessage &message : request.messages) {
        if (message.role == Message::Role::System) {
            const QString text = RequestCommon::joinedText(message);
            if (!text.isEmpty())
                system.append(text);
            continue;
        }
        const QJsonArray blocks = contentBlocks(message);
        if (blocks.isEmpty())
            continue;
        const QString role = message.role == Message::Role::Assistant ? u"assistant"_s : u"user"_s;
        if (!turns.isEmpty() && turns.last().first == role) {
            for (const QJsonValue &block : blocks)
                turns.last().second.append(block);
        } else {
            turns.append({ role, blocks });
        }
    }
    if (turns.isEmpty())
        return ApiError { QString(errc::InvalidField), u"no user or assistant content to send"_s,
                          std::nullopt };
    QJsonArray messages;
    for (const auto &[role, blocks] : std::as_const(turns)) {
        const bool loneText = blocks.size() == 1
            && blocks.first().toObject().value("type"_L1).toString() == "text"_L1;
        const QJsonValue content = loneText
            ? QJsonValue(blocks.first().toObject().value("text"_L1).toString())
            : QJsonValue(blocks);
        messages.append(QJsonObject { { u"role"_s, role }, { u"content"_s, content } });
    }
    QJsonObject body {
        { u"model"_s, endpoint.upstreamModel },
        { u"max_tokens"_s,
          request.maxOutputTokens.value_or(std::max(1, endpoint.defaultMaxTokens)) },
        { u"messages"_s, messages },
        { u"stream"_s, true },
    };
    if (!system.isEmpty())
        body.insert(u"system"_s, system.join(u"\n\n"_s));
    if (request.temperature)
        body.insert(u"temperature"_s, *request.temperature);
    return body;
}

StreamStep AnthropicStreamDecoder::decode(const SseEvent &event)
{
    StreamStep step;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(event.data.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        step.malformed = true;
        return step;
    }
    const QJsonObject data = document.object();
    // The event name and the data's type agree; trust the event name and
    // fall back to the type for proxies that drop `event:` lines.
    const QString type = event.type == "message"_L1 ? data.value("type"_L1).toString() : event.type;
    if (type == "content_block_delta"_L1) {
        const QJsonObject delta = data.value("delta"_L1).toObject();
        // thinking_delta, input_json_delta and signature_delta are not text.
        if (delta.value("type"_L1).toString() == "text_delta"_L1)
            step.text = delta.value("text"_L1).toString();
    } else if (type == "content_block_start"_L1) {
        const QJsonObject block = data.value("content_block"_L1).toObject();
        if (block.value("type"_L1).toString() == "text"_L1)
            step.text = block.value("text"_L1).toString();
    } else if (type == "message_start"_L1) {
        readInput(data.value("message"_L1).toObject().value("usage"_L1).toObject(), &m_usage);
    } else if (type == "message_delta"_L1) {
        step.finishReason = data.value("delta"_L1).toObject().value("stop_reason"_L1).toString();
        const QJsonObject usage = data.value("usage"_L1).toObject();
        readInput(usage, &m_usage);
        if (usage.contains("output_tokens"_L1)) {
            m_usage.outputTokens = usage.value("output_tokens"_L1).toInteger();
            step.usage = m_usage;
        }
    } else if (type == "message_stop"_L1) {
        step.terminator = true;
    } else if (type == "error"_L1) {
        step.error = parseUpstreamError(data);
    }
    // ping, content_block_stop and event types added later carry nothing.
    return step;
}

} // namespace parlance
