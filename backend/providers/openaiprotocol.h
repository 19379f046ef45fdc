#pragma once

#include "common/result.h"
#include "providers/providertypes.h"
#include "providers/streamdecoder.h"

#include <QJsonObject>
#include <QUrl>

namespace parlance {

// OpenAI's chat completions dialect, as OpenAI, vLLM, llama.cpp's server,
// Ollama (/v1) and OpenRouter speak it.
namespace OpenAiProtocol {

// {base}/chat/completions; the base URL includes /v1.
[[nodiscard]] QUrl endpointUrl(const DeploymentEndpoint &endpoint);

// The streaming request body. A message without images sends its text as a
// string (what every compatible server accepts); a user message with images
// sends a content array of text and image_url parts, images as data URLs.
[[nodiscard]] Result<QJsonObject> buildBody(const DeploymentEndpoint &endpoint,
                                            const ProviderRequest &request);

} // namespace OpenAiProtocol

// Reads `data: {chat.completion.chunk}` events up to `data: [DONE]`.
class OpenAiStreamDecoder final : public StreamDecoder
{
public:
    [[nodiscard]] StreamStep decode(const SseEvent &event) override;
};

} // namespace parlance
