#include "domain/usage.h"

#include "domain/jsonreader.h"
#include "domain/jsonwriter.h"

using namespace Qt::StringLiterals;

namespace parlance {

void Usage::writeJson(JsonText &out) const
{
    JsonWriter(out)
        .integer("input_tokens"_L1, inputTokens)
        .integer("output_tokens"_L1, outputTokens)
        .integer("cached_tokens"_L1, cachedTokens)
        .boolean("estimated"_L1, estimated)
        .integer("cost_micros"_L1, costMicros);
}

QJsonObject Usage::toJson() const
{
    return toJsonObject(*this);
}

Usage Usage::readFrom(JsonReader &reader)
{
    Usage usage;
    usage.inputTokens = reader.integer("input_tokens"_L1);
    usage.outputTokens = reader.integer("output_tokens"_L1);
    usage.cachedTokens = reader.integer("cached_tokens"_L1, 0, usage.inputTokens);
    usage.estimated = reader.boolean("estimated"_L1);
    usage.costMicros = reader.integer("cost_micros"_L1);
    return usage;
}

Result<Usage> Usage::fromJson(const QJsonObject &json)
{
    return readJson<Usage>(json);
}

} // namespace parlance
