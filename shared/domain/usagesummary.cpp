#include "domain/usagesummary.h"

#include "domain/jsonreader.h"
#include "domain/jsonwriter.h"

using namespace Qt::StringLiterals;

namespace parlance {

namespace {
QVariant countValue(const std::optional<qint64> &count)
{
    return count ? QVariant::fromValue(*count) : QVariant();
}
} // namespace

bool UsageSummary::isExhausted() const
{
    return (tokensRemainingToday && *tokensRemainingToday == 0)
        || (tokensRemainingThisMonth && *tokensRemainingThisMonth == 0);
}

QVariant UsageSummary::tokensRemainingTodayValue() const
{
    return countValue(tokensRemainingToday);
}

QVariant UsageSummary::tokensRemainingThisMonthValue() const
{
    return countValue(tokensRemainingThisMonth);
}

QVariant UsageSummary::requestsRemainingThisMinuteValue() const
{
    return countValue(requestsRemainingThisMinute);
}

void UsageSummary::writeJson(JsonText &out) const
{
    JsonWriter(out)
        .object("quota"_L1, quota)
        .integer("tokens_today"_L1, tokensToday)
        .integer("tokens_this_month"_L1, tokensThisMonth)
        .integer("messages_today"_L1, messagesToday)
        .integer("messages_this_month"_L1, messagesThisMonth)
        .integer("cost_micros_this_month"_L1, costMicrosThisMonth)
        .nullableInteger("tokens_remaining_today"_L1, tokensRemainingToday)
        .nullableInteger("tokens_remaining_this_month"_L1, tokensRemainingThisMonth)
        .nullableInteger("requests_remaining_this_minute"_L1, requestsRemainingThisMinute)
        .timestamp("day_resets_at"_L1, dayResetsAt)
        .timestamp("month_resets_at"_L1, monthResetsAt);
}

QJsonObject UsageSummary::toJson() const
{
    return toJsonObject(*this);
}

UsageSummary UsageSummary::readFrom(JsonReader &reader)
{
    UsageSummary summary;
    summary.quota = reader.object("quota"_L1, &Quota::readFrom);
    summary.tokensToday = reader.integer("tokens_today"_L1);
    summary.tokensThisMonth = reader.integer("tokens_this_month"_L1);
    summary.messagesToday = reader.integer("messages_today"_L1);
    summary.messagesThisMonth = reader.integer("messages_this_month"_L1);
    summary.costMicrosThisMonth = reader.integer("cost_micros_this_month"_L1);
    summary.tokensRemainingToday = reader.optionalInteger("tokens_remaining_today"_L1);
    summary.tokensRemainingThisMonth = reader.optionalInteger("tokens_remaining_this_month"_L1);
    summary.requestsRemainingThisMinute =
        reader.optionalInteger("requests_remaining_this_minute"_L1);
    summary.dayResetsAt = reader.timestamp("day_resets_at"_L1);
    summary.monthResetsAt = reader.timestamp("month_resets_at"_L1);
    return summary;
}

Result<UsageSummary> UsageSummary::fromJson(const QJsonObject &json)
{
    return readJson<UsageSummary>(json);
}

} // namespace parlance
