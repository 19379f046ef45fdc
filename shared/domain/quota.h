#pragma once

#include "common/result.h"

#include <QJsonObject>
#include <QLatin1StringView>
#include <QString>
#include <QVariant>
#include <QtCore/qobjectdefs.h>

#include <optional>

namespace parlance {

class JsonText;

class JsonReader;

// The tiers the server defines out of the box. A tier is only a name that
// selects a Quota; operators may add their own, so code compares names rather
// than switching over a closed enum.
namespace tier {
inline constexpr QLatin1StringView Free { "free" };
inline constexpr QLatin1StringView Plus { "plus" };
inline constexpr QLatin1StringView Enterprise { "enterprise" };
} // namespace tier

// The limits of one tier. A limit that is null (std::nullopt) is unlimited;
// 0 means "none allowed", which is different. Uploads always have a bound.
struct Quota
{
    Q_GADGET
    Q_PROPERTY(QString tier MEMBER tier)
    Q_PROPERTY(QVariant requestsPerMinute READ requestsPerMinuteValue)
    Q_PROPERTY(QVariant tokensPerDay READ tokensPerDayValue)
    Q_PROPERTY(QVariant tokensPerMonth READ tokensPerMonthValue)
    Q_PROPERTY(qint64 maxUploadBytes MEMBER maxUploadBytes)

public:
    QString tier;
    std::optional<qint64> requestsPerMinute;
    std::optional<qint64> tokensPerDay;
    std::optional<qint64> tokensPerMonth;
    qint64 maxUploadBytes = 0;

    // For QML: the limit, or null when unlimited.
    [[nodiscard]] QVariant requestsPerMinuteValue() const;
    [[nodiscard]] QVariant tokensPerDayValue() const;
    [[nodiscard]] QVariant tokensPerMonthValue() const;

    [[nodiscard]] bool operator==(const Quota &) const = default;

    void writeJson(JsonText &out) const;
    [[nodiscard]] QJsonObject toJson() const;
    [[nodiscard]] static Result<Quota> fromJson(const QJsonObject &json);
    [[nodiscard]] static Quota readFrom(JsonReader &reader);
};

} // namespace parlance
