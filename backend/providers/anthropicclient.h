#pragma once

#include "providers/providerclient.h"

namespace parlance {

// Anthropic's Messages API: POST {base}/messages with `x-api-key` and
// `anthropic-version: 2023-06-01` (an extra header may override the version
// or add `anthropic-beta`).
class AnthropicClient final : public ProviderClient
{
public:
    [[nodiscard]] ProviderKind kind() const override { return ProviderKind::Anthropic; }
    [[nodiscard]] Result<QJsonObject> buildBody(const DeploymentEndpoint &endpoint,
                                                const ProviderRequest &request) const override;
    [[nodiscard]] HttpRequest buildHttpRequest(const DeploymentEndpoint &endpoint) const override;

protected:
    [[nodiscard]] std::unique_ptr<StreamDecoder> createDecoder() const override;
};

} // namespace parlance
