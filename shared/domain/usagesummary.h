#pragma once

#include "common/money.h"
#include "common/result.h"
#include "domain/quota.h"

#include <QDateTime>
#include <QJsonObject>
#include <QVariant>
#include <QtCore/qobjectdefs.h>

#include <optional>

namespace parlance {

class JsonText;

class JsonReader;

// What GET /api/v1/user/usage answers: the caller's limits, what they used in
// the current day and month (UTC), what is left, and when each window resets.
// A remaining count is null when the matching limit is unlimited.
struct UsageSummary
{
    Q_GADGET
    Q_PROPERTY(Quota quota MEMBER quota)
    Q_PROPERTY(qint64 tokensToday MEMBER tokensToday)
    Q_PROPERTY(qint64 tokensThisMonth MEMBER tokensThisMonth)
    Q_PROPERTY(qint64 messagesToday MEMBER messagesToday)
    Q_PROPERTY(qint64 messagesThisMonth MEMBER messagesThisMonth)
    Q_PROPERTY(qint64 costMicrosThisMonth MEMBER costMicrosThisMonth)
    Q_PROPERTY(QVariant tokensRemainingToday READ tokensRemainingTodayValue)
    Q_PROPERTY(QVariant tokensRemainingThisMonth READ tokensRemainingThisMonthValue)
    Q_PROPERTY(QVariant requestsRemainingThisMinute READ requestsRemainingThisMinuteValue)
    Q_PROPERTY(QDateTime dayResetsAt MEMBER dayResetsAt)
    Q_PROPERTY(QDateTime monthResetsAt MEMBER monthResetsAt)

public:
    Quota quota;
    qint64 tokensToday = 0;
    qint64 tokensThisMonth = 0;
    qint64 messagesToday = 0;
    qint64 messagesThisMonth = 0;
    qint64 costMicrosThisMonth = 0;
    std::optional<qint64> tokensRemainingToday;
    std::optional<qint64> tokensRemainingThisMonth;
    std::optional<qint64> requestsRemainingThisMinute;
    QDateTime dayResetsAt;
    QDateTime monthResetsAt;

    [[nodiscard]] Money costThisMonth() const { return Money::fromMicros(costMicrosThisMonth); }
    // True when a daily or monthly token budget is used up.
    [[nodiscard]] bool isExhausted() const;

    [[nodiscard]] QVariant tokensRemainingTodayValue() const;
    [[nodiscard]] QVariant tokensRemainingThisMonthValue() const;
    [[nodiscard]] QVariant requestsRemainingThisMinuteValue() const;

    [[nodiscard]] bool operator==(const UsageSummary &) const = default;

    void writeJson(JsonText &out) const;
    [[nodiscard]] QJsonObject toJson() const;
    [[nodiscard]] static Result<UsageSummary> fromJson(const QJsonObject &json);
    [[nodiscard]] static UsageSummary readFrom(JsonReader &reader);
};

} // namespace parlance
