#include "providers/providerclient.h"

#include "providers/anthropicclient.h"
#include "providers/openaicompatibleclient.h"
#include "providers/providerstream.h"
#include "providers/streamdecoder.h"
#include "upstream/connectionpool.h"

#include <QCoreApplication>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace parlance {

ProviderClient::ProviderClient()
    : m_pool(std::make_unique<ConnectionPool>())
{ }

ProviderClient::~ProviderClient() = default;

std::unique_ptr<ProviderClient> ProviderClient::create(ProviderKind kind)
{
    switch (kind) {
    case ProviderKind::OpenAiCompatible:
        return std::make_unique<OpenAiCompatibleClient>();
    case ProviderKind::Anthropic:
        return std::make_unique<AnthropicClient>();
    }
    return nullptr;
}

ProviderStream *ProviderClient::stream(const DeploymentEndpoint &endpoint,
                                       const ProviderRequest &request, QObject *parent)
{
    auto *stream = new ProviderStream(createDecoder(), endpoint, parent);
    const Result<QJsonObject> body = buildBody(endpoint, request);
    if (!body) {
        ProviderOutcome outcome;
        outcome.kind = ProviderOutcome::Kind::Fatal;
        outcome.cause = ProviderOutcome::Cause::InvalidRequest;
        outcome.error = body.error();
        stream->failBeforeStart(std::move(outcome));
        return stream;
    }
    HttpRequest http = buildHttpRequest(endpoint);
    http.body = QJsonDocument(*body).toJson(QJsonDocument::Compact);
    stream->start(m_pool.get(), std::move(http));
    return stream;
}

int ProviderClient::connectionCount() const
{
    return m_pool->connectionCount();
}

qint64 ProviderClient::connectionsOpened() const
{
    return m_pool->connectionsOpened();
}

int ProviderClient::idleConnectionCount() const
{
    return m_pool->idleCount();
}

HttpRequest ProviderClient::baseRequest(const QUrl &url)
{
    // No redirects are followed (a 3xx is an error: a key must not travel
    // to another host), and there is no cache and no cookie jar: every
    // request stands alone.
    HttpRequest request;
    request.method = "POST"_ba;
    request.url = url;
    request.setHeader("content-type", "application/json"_ba);
    request.setHeader("accept", "text/event-stream"_ba);
    request.setHeader("user-agent",
                      QByteArray("parlanced/" + QCoreApplication::applicationVersion().toUtf8()));
    return request;
}

void ProviderClient::applyExtraHeaders(HttpRequest *request, const DeploymentEndpoint &endpoint)
{
    for (const auto &[name, value] : endpoint.extraHeaders)
        request->setHeader(name, value);
}

} // namespace parlance
