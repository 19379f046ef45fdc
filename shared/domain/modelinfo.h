#pragma once

#include "common/money.h"
#include "common/result.h"

#include <QJsonObject>
#include <QString>
#include <QtCore/qobjectdefs.h>

namespace parlance {

class JsonText;

class JsonReader;
struct Usage;

// A model a user can pick, as GET /api/v1/models lists it. `id` is the alias
// (e.g. "gpt-4o"); the deployments behind it are server configuration and
// never leave the server. Prices are micro-dollars per million tokens;
// `cachedMicrosPerMillion` applies to the cached part of the input.
struct ModelInfo
{
    Q_GADGET
    Q_PROPERTY(QString id MEMBER id)
    Q_PROPERTY(QString displayName MEMBER displayName)
    Q_PROPERTY(QString provider MEMBER provider)
    Q_PROPERTY(qint64 contextWindow MEMBER contextWindow)
    Q_PROPERTY(qint64 inputMicrosPerMillion MEMBER inputMicrosPerMillion)
    Q_PROPERTY(qint64 outputMicrosPerMillion MEMBER outputMicrosPerMillion)
    Q_PROPERTY(qint64 cachedMicrosPerMillion MEMBER cachedMicrosPerMillion)
    Q_PROPERTY(bool supportsImages MEMBER supportsImages)
    Q_PROPERTY(bool isDemo MEMBER isDemo)

public:
    QString id;
    QString displayName;
    QString provider; // "openai", "anthropic", "ollama", "simulator", ...
    qint64 contextWindow = 0; // Tokens, prompt and answer together.
    qint64 inputMicrosPerMillion = 0;
    qint64 outputMicrosPerMillion = 0;
    qint64 cachedMicrosPerMillion = 0;
    bool supportsImages = false;
    bool isDemo = false; // Answers come from the simulator, not a real model.

    // What `usage` costs at these prices: uncached input, cached input and
    // output summed exactly and rounded once (see Money::costFor).
    [[nodiscard]] Money costOf(const Usage &usage) const;

    [[nodiscard]] bool operator==(const ModelInfo &) const = default;

    void writeJson(JsonText &out) const;
    [[nodiscard]] QJsonObject toJson() const;
    [[nodiscard]] static Result<ModelInfo> fromJson(const QJsonObject &json);
    [[nodiscard]] static ModelInfo readFrom(JsonReader &reader);
};

} // namespace parlance
