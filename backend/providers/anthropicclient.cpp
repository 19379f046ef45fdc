#include "providers/anthropicclient.h"

#include "providers/anthropicprotocol.h"

using namespace Qt::StringLiterals;

namespace parlance {

Result<QJsonObject> AnthropicClient::buildBody(const DeploymentEndpoint &endpoint,
                                               const ProviderRequest &request) const
{
    return AnthropicProtocol::buildBody(endpoint, request);
}

HttpRequest AnthropicClient::buildHttpRequest(const DeploymentEndpoint &endpoint) const
{
    HttpRequest request = baseRequest(AnthropicProtocol::endpointUrl(endpoint));
    if (!endpoint.apiKey.isEmpty())
        request.setHeader("x-api-key"_ba, endpoint.apiKey.toUtf8());
    request.setHeader(
        "anthropic-version"_ba,
        QByteArray(AnthropicProtocol::apiVersion.data(), AnthropicProtocol::apiVersion.size()));
    applyExtraHeaders(&request, endpoint);
    return request;
}

std::unique_ptr<StreamDecoder> AnthropicClient::createDecoder() const
{
    return std::make_unique<AnthropicStreamDecoder>();
}

} // namespace parlance
