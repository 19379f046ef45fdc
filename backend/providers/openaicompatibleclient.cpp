#include "providers/openaicompatibleclient.h"

#include "providers/openaiprotocol.h"

using namespace Qt::StringLiterals;

namespace parlance {

Result<QJsonObject> OpenAiCompatibleClient::buildBody(const DeploymentEndpoint &endpoint,
                                                      const ProviderRequest &request) const
{
    return OpenAiProtocol::buildBody(endpoint, request);
}

HttpRequest OpenAiCompatibleClient::buildHttpRequest(const DeploymentEndpoint &endpoint) const
{
    HttpRequest request = baseRequest(OpenAiProtocol::endpointUrl(endpoint));
    if (!endpoint.apiKey.isEmpty())
        request.setHeader("authorization"_ba, "Bearer " + endpoint.apiKey.toUtf8());
    applyExtraHeaders(&request, endpoint);
    return request;
}

std::unique_ptr<StreamDecoder> OpenAiCompatibleClient::createDecoder() const
{
    return std::make_unique<OpenAiStreamDecoder>();
}

} // namespace parlance
