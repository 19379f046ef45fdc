#pragma once

#include "providers/providerclient.h"

namespace parlance {

// OpenAI, vLLM, llama.cpp server, Ollama's /v1 and OpenRouter:
// POST {base}/chat/completions with `Authorization: Bearer <key>` (omitted
// when the key is empty), `stream: true` and stream_options.include_usage.
class OpenAiCompatibleClient final : public ProviderClient
{
public:
    [[nodiscard]] ProviderKind kind() const override { return ProviderKind::OpenAiCompatible; }
    [[nodiscard]] Result<QJsonObject> buildBody(const DeploymentEndpoint &endpoint,
                                                const ProviderRequest &request) const override;
    [[nodiscard]] HttpRequest buildHttpRequest(const DeploymentEndpoint &endpoint) const override;

protected:
    [[nodiscard]] std::unique_ptr<StreamDecoder> createDecoder() const override;
};

} // namespace parlance
