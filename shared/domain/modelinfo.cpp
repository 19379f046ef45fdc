#include "domain/modelinfo.h"

#include "domain/jsonreader.h"
#include "domain/jsonwriter.h"
#include "domain/usage.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace parlance {

Money ModelInfo::costOf(const Usage &usage) const
{
    const qint64 cached = std::clamp<qint64>(usage.cachedTokens, 0, usage.inputTokens);
    return Money::costFor({
        { usage.inputTokens - cached, inputMicrosPerMillion },
        { cached, cachedMicrosPerMillion },
        { usage.outputTokens, outputMicrosPerMillion },
    });
}

void ModelInfo::writeJson(JsonText &out) const
{
    JsonWriter(out)
        .string("id"_L1, id)
        .string("display_name"_L1, displayName)
        .string("provider"_L1, provider)
        .integer("context_window"_L1, contextWindow)
        .integer("input_micros_per_million"_L1, inputMicrosPerMillion)
        .integer("output_micros_per_million"_L1, outputMicrosPerMillion)
        .integer("cached_micros_per_million"_L1, cachedMicrosPerMillion)
        .boolean("supports_images"_L1, supportsImages)
        .boolean("is_demo"_L1, isDemo);
}

QJsonObject ModelInfo::toJson() const
{
    return toJsonObject(*this);
}

ModelInfo ModelInfo::readFrom(JsonReader &reader)
{
    ModelInfo model;
    model.id = reader.nonEmptyString("id"_L1);
    model.displayName = reader.nonEmptyString("display_name"_L1);
    model.provider = reader.nonEmptyString("provider"_L1);
    model.contextWindow = reader.integer("context_window"_L1, 1);
    model.inputMicrosPerMillion = reader.integer("input_micros_per_million"_L1);
    model.outputMicrosPerMillion = reader.integer("output_micros_per_million"_L1);
    model.cachedMicrosPerMillion = reader.integer("cached_micros_per_million"_L1);
    model.supportsImages = reader.boolean("supports_images"_L1);
    model.isDemo = reader.boolean("is_demo"_L1);
    return model;
}

Result<ModelInfo> ModelInfo::fromJson(const QJsonObject &json)
{
    return readJson<ModelInfo>(json);
}

} // namespace parlance
