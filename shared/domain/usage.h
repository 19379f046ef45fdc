#pragma once

#include "common/money.h"
#include "common/result.h"

#include <QJsonObject>
#include <QtCore/qobjectdefs.h>

namespace parlance {

class JsonText;

class JsonReader;

// Tokens and cost of one generation. `inputTokens` counts the whole prompt,
// cached tokens included (`cachedTokens` <= `inputTokens`), the way OpenAI
// reports it; adapters for providers that count cache reads separately add
// them in. `estimated` is true when the provider reported nothing and the
// numbers come from TokenEstimate.
struct Usage
{
    Q_GADGET
    Q_PROPERTY(qint64 inputTokens MEMBER inputTokens)
    Q_PROPERTY(qint64 outputTokens MEMBER outputTokens)
    Q_PROPERTY(qint64 cachedTokens MEMBER cachedTokens)
    Q_PROPERTY(bool estimated MEMBER estimated)
    Q_PROPERTY(qint64 costMicros MEMBER costMicros)
    Q_PROPERTY(qint64 totalTokens READ totalTokens)

public:
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    qint64 cachedTokens = 0;
    bool estimated = false;
    qint64 costMicros = 0;

    [[nodiscard]] qint64 totalTokens() const { return inputTokens + outputTokens; }
    [[nodiscard]] Money cost() const { return Money::fromMicros(costMicros); }

    [[nodiscard]] bool operator==(const Usage &) const = default;

    void writeJson(JsonText &out) const;
    [[nodiscard]] QJsonObject toJson() const;
    [[nodiscard]] static Result<Usage> fromJson(const QJsonObject &json);
    // For types that embed a Usage (see JsonReader).
    [[nodiscard]] static Usage readFrom(JsonReader &reader);
};

} // namespace parlance
