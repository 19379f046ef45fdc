#include "providers/openaicompatibleclient.h"

#include "providers/openaiprotocol.h"

using namespace Qt::StringLiterals;

namespace parlance {

Result<QJsonObject> OpenAiCompatibleClient::buildBody(const DeploymentEndpoint &endpoint,
                                                      const ProviderRequest &request) const
{
    return OpenAiProtocol::buildBody(endpoint, request);
}

QNetworkRequest
OpenAiCompatibleClient::buildNetworkRequest(const DeploymentEndpoint &endpoint) const
{
    QNetworkRequest request = baseRequest(OpenAiProtocol::endpointUrl(endpoint));
    if (!endpoint.apiKey.isEmpty())
        request.setRawHeader("authorization"_ba, "Bearer " + endpoint.apiKey.toUtf8());
    applyExtraHeaders(&request, endpoint);
    return request;
}

std::unique_ptr<StreamDecoder> OpenAiCompatibleClient::createDecoder() const
{
    return std::make_unique<OpenAiStreamDecoder>();
}

} // namespace parlance
