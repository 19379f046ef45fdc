#pragma once

#include "common/money.h"
#include "common/result.h"
#include "domain/modelinfo.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <chrono>
#include <functional>
#include <optional>

namespace parlance {

// Prices of one deployment, micro-dollars per million tokens.
struct DeploymentPrices
{
    qint64 inputMicrosPerMillion = 0;
    qint64 outputMicrosPerMillion = 0;
    qint64 cachedMicrosPerMillion = 0;
};

// One place a model is served. `apiKey` is a secret: never log it, never
// put it in an error message or an API answer (toRedactedJson() says only
// whether one is set).
struct Deployment
{
    enum class Provider { OpenAI, Anthropic };

    QString name; // unique in the catalog; names its circuit breaker
    Provider provider = Provider::OpenAI;
    QUrl baseUrl; // OpenAI style includes the version: https://api.openai.com/v1
    QByteArray apiKey;
    QString upstreamModel;
    qint64 contextWindow = 0;
    DeploymentPrices prices;
    std::chrono::milliseconds connectTimeout { 5000 };
    std::chrono::milliseconds firstTokenTimeout { 15'000 };
    QMap<QString, QString> extraHeaders;

    [[nodiscard]] QJsonObject toRedactedJson() const;
    [[nodiscard]] static QLatin1StringView providerName(Provider provider);
};

// A model alias users pick, backed by an ordered list of deployments
// (first = primary, the rest in failover order).
struct ModelEntry
{
    QString id;
    QString displayName;
    QString description;
    qint64 contextWindow = 0;
    QStringList capabilities; // "vision", "tools", "reasoning"
    QStringList tiers; // empty: every tier may use it
    bool isDemo = false;
    QList<Deployment> deployments;

    [[nodiscard]] bool allowsTier(const QString &tier) const;
    // As GET /api/v1/models shows it: prices and provider of the primary.
    [[nodiscard]] ModelInfo toModelInfo() const;
};

// The models this server offers, from the "models" section of the config (see
// docs/streaming.md and tests/data/catalog/example.json). Immutable once
// loaded; share it by value or const reference across threads.
class ModelCatalog
{
public:
    struct LoadOptions
    {
        QString baseDir; // relative api_key_file paths resolve against it
        // Environment lookup for api_key_env; injectable for tests.
        std::function<QByteArray(const QString &)> env;
    };

    // Strict: unknown fields, wrong types, bad URLs, duplicate ids or
    // deployment names are errors (invalid_field / missing_field) whose
    // message starts with the JSON path, e.g.
    // "models[2].deployments[0].base_url: not an http(s) URL".
    [[nodiscard]] static Result<ModelCatalog> fromJson(const QJsonObject &json,
                                                       const LoadOptions &options = {});
    [[nodiscard]] static Result<ModelCatalog> fromFile(const QString &path);

    // No config: one `demo` model served by the provider simulator, OpenAI
    // compatible, free.
    [[nodiscard]] static ModelCatalog
    builtIn(const QUrl &simulatorUrl = QUrl(QStringLiteral("http://127.0.0.1:8090")));

    [[nodiscard]] const QList<ModelEntry> &models() const { return m_models; }
    [[nodiscard]] const ModelEntry *find(const QString &id) const;
    // unknown_model for an unknown alias or one the tier may not use.
    [[nodiscard]] Result<ModelEntry> resolve(const QString &id, const QString &tier = {}) const;
    [[nodiscard]] QString defaultModelId() const { return m_defaultModel; }
    // For GET /api/v1/models, in config order.
    [[nodiscard]] QList<ModelInfo> modelInfos(const QString &tier = {}) const;

private:
    QList<ModelEntry> m_models;
    QString m_defaultModel;
};

} // namespace parlance
