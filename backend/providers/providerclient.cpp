#include "providers/providerclient.h"

#include "providers/anthropicclient.h"
#include "providers/openaicompatibleclient.h"
#include "providers/providerstream.h"
#include "providers/streamdecoder.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QNetworkAccessManager>

using namespace Qt::StringLiterals;

namespace parlance {

ProviderClient::ProviderClient() = default;

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
    stream->start(managerFor(stream), buildNetworkRequest(endpoint),
                  QJsonDocument(*body).toJson(QJsonDocument::Compact));
    return stream;
}

QNetworkAccessManager *ProviderClient::managerFor(ProviderStream *stream)
{
    Manager *chosen = nullptr;
    for (Manager &entry : m_managers) {
        entry.streams.removeIf(
            [](const QPointer<ProviderStream> &s) { return s.isNull() || s->isFinished(); });
        if (!chosen && entry.streams.size() < streamsPerManager)
            chosen = &entry;
    }
    if (!chosen) {
        Manager entry;
        entry.manager = std::make_unique<QNetworkAccessManager>();
        // A key must never follow a redirect to another host; 3xx is an error.
        entry.manager->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
        m_managers.push_back(std::move(entry));
        chosen = &m_managers.back();
    }
    chosen->streams.append(stream);
    return chosen->manager.get();
}

QNetworkRequest ProviderClient::baseRequest(const QUrl &url)
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
    request.setRawHeader("accept"_ba, "text/event-stream"_ba);
    request.setHeader(QNetworkRequest::UserAgentHeader,
                      QByteArray("parlanced/" + QCoreApplication::applicationVersion().toUtf8()));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    // No cache, no cookies: every request stands alone.
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    return request;
}

void ProviderClient::applyExtraHeaders(QNetworkRequest *request, const DeploymentEndpoint &endpoint)
{
    for (const auto &[name, value] : endpoint.extraHeaders)
        request->setRawHeader(name, value);
}

} // namespace parlance
