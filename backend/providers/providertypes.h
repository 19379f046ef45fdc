#pragma once

#include "domain/message.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QUrl>

#include <optional>
#include <utility>

namespace parlance {

// The wire dialect a deployment speaks.
enum class ProviderKind {
    // POST {base}/chat/completions: OpenAI, vLLM, llama.cpp server, Ollama's
    // /v1, OpenRouter, the simulator's /v1.
    OpenAiCompatible,
    // POST {base}/messages: Anthropic's Messages API.
    Anthropic,
};

[[nodiscard]] QLatin1StringView providerKindName(ProviderKind kind);
[[nodiscard]] std::optional<ProviderKind> providerKindFromName(QStringView name);

using HeaderList = QList<std::pair<QByteArray, QByteArray>>;

// Where and how to reach one upstream deployment. The orchestrator fills it
// from the model catalog; the provider layer never reads config itself.
struct DeploymentEndpoint
{
    ProviderKind kind = ProviderKind::OpenAiCompatible;
    // For logs and errors only (never the key).
    QString name;
    // The API root INCLUDING the version segment, without the endpoint:
    // https://api.openai.com/v1, http://127.0.0.1:11434/v1,
    // https://api.anthropic.com/v1. The client appends /chat/completions or
    // /messages. A trailing slash is tolerated.
    QUrl baseUrl;
    // Sent as `Authorization: Bearer` (OpenAI-compatible) or `x-api-key`
    // (Anthropic). Empty: no auth header (llama.cpp and Ollama need none).
    QString apiKey;
    // The model name the upstream knows (`gpt-4o-2024-08-06`, a vLLM path...).
    QString upstreamModel;
    // Added to every request, after ours (OpenRouter's HTTP-Referer/X-Title,
    // anthropic-beta, an organisation header). A name we set ourselves
    // (content-type, auth) is replaced, not duplicated.
    HeaderList extraHeaders;

    // From the request's start until it is written to the socket (DNS, TCP,
    // TLS included).
    int connectTimeoutMs = 10'000;
    // From the request's start until the first text delta: a stall here is
    // a retryable failure, since the user has seen nothing yet.
    int firstTokenTimeoutMs = 30'000;
    // After the first token: the longest silence between received bytes.
    int idleTimeoutMs = 30'000;

    // Anthropic requires max_tokens; used when the request sets none.
    int defaultMaxTokens = 4096;
    // OpenAI-compatible only: the name of the output limit field. `max_tokens`
    // is what every compatible server accepts; OpenAI's reasoning models
    // want `max_completion_tokens`.
    QString maxTokensField = QStringLiteral("max_tokens");
    // OpenAI-compatible only: send stream_options.include_usage (servers
    // that reject unknown fields can turn it off; usage is then estimated).
    bool streamUsage = true;
};

// One piece of a message as the provider receives it: text, or an image
// inlined as bytes (the orchestrator loads them from file storage).
struct ProviderContentPart
{
    enum class Type { Text, Image };

    Type type = Type::Text;
    QString text;
    QByteArray data; // Image bytes, not encoded.
    QString mimeType; // image/png, image/jpeg, image/gif or image/webp.

    [[nodiscard]] static ProviderContentPart fromText(const QString &text);
    [[nodiscard]] static ProviderContentPart fromImage(const QByteArray &data,
                                                       const QString &mimeType);
    [[nodiscard]] bool isText() const { return type == Type::Text; }
    [[nodiscard]] bool isImage() const { return type == Type::Image; }
    [[nodiscard]] bool operator==(const ProviderContentPart &) const = default;
};

struct ProviderMessage
{
    Message::Role role = Message::Role::User;
    QList<ProviderContentPart> parts;

    [[nodiscard]] static ProviderMessage text(Message::Role role, const QString &text);
    [[nodiscard]] bool hasImages() const;
    [[nodiscard]] bool operator==(const ProviderMessage &) const = default;
};

// One generation request, provider-neutral. System messages may appear
// anywhere; each dialect places them where its API wants them.
struct ProviderRequest
{
    QList<ProviderMessage> messages;
    std::optional<int> maxOutputTokens;
    std::optional<double> temperature;
};

// The image types both dialects accept.
[[nodiscard]] bool isSupportedImageType(const QString &mimeType);

} // namespace parlance
