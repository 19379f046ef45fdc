#pragma once

#include "common/result.h"
#include "providers/providertypes.h"
#include "providers/streamdecoder.h"

#include <QJsonObject>
#include <QUrl>

namespace parlance {

// Anthropic's Messages dialect.
namespace AnthropicProtocol {

inline constexpr QLatin1StringView apiVersion { "2023-06-01" };

// {base}/messages; the base URL includes /v1.
[[nodiscard]] QUrl endpointUrl(const DeploymentEndpoint &endpoint);

// The streaming request body: system messages joined into the top-level
// `system`; consecutive messages of the same role merged into one (the API
// requires alternation); empty text parts dropped (the API rejects empty
// text blocks); max_tokens always present (the request's, else the
// endpoint's default). A lone text part is sent as a string, anything else
// as content blocks, images as base64 sources.
[[nodiscard]] Result<QJsonObject> buildBody(const DeploymentEndpoint &endpoint,
                                            const ProviderRequest &request);

} // namespace AnthropicProtocol

// Reads message_start ... message_stop. Usage is message_start's input (cache
// reads and writes added in, as Usage counts the whole prompt) with
// message_delta's output.
class AnthropicStreamDecoder final : public StreamDecoder
{
public:
    [[nodiscard]] StreamStep decode(const SseEvent &event) override;

private:
    Usage m_usage;
};

} // namespace parlance
