#include "domain/quota.h"

#include "domain/jsonreader.h"
#include "domain/jsonwriter.h"

using namespace Qt::StringLiterals;

namespace parlance {

namespace {
QVariant limitValue(const std::optional<qint64> &limit)
{
    return limit ? QVariant::fromValue(*limit) : QVariant();
}
} // namespace

QVariant Quota::requestsPerMinuteValue() const
{
    return limitValue(requestsPerMinute);
}

QVariant Quota::tokensPerDayValue() const
{
    return limitValue(tokensPerDay);
}

QVariant Quota::tokensPerMonthValue() const
{
    return limitValue(tokensPerMonth);
}

void Quota::writeJson(JsonText &out) const
{
    JsonWriter(out)
        .string("tier"_L1, tier)
        .nullableInteger("requests_per_minute"_L1, requestsPerMinute)
        .nullableInteger("tokens_per_day"_L1, tokensPerDay)
        .nullableInteger("tokens_per_month"_L1, tokensPerMonth)
        .integer("max_upload_bytes"_L1, maxUploadBytes);
}

QJsonObject Quota::toJson() const
{
    return toJsonObject(*this);
}

Quota Quota::readFrom(JsonReader &reader)
{
    Quota quota;
    quota.tier = reader.nonEmptyString("tier"_L1);
    quota.requestsPerMinute = reader.optionalInteger("requests_per_minute"_L1);
    quota.tokensPerDay = reader.optionalInteger("tokens_per_day"_L1);
    quota.tokensPerMonth = reader.optionalInteger("tokens_per_month"_L1);
    quota.maxUploadBytes = reader.integer("max_upload_bytes"_L1);
    return quota;
}

Result<Quota> Quota::fromJson(const QJsonObject &json)
{
    return readJson<Quota>(json);
}

} // namespace parlance
