#include "streaming/streamevent.h"

#include <array>
#include <utility>

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

constexpr std::array<std::pair<StreamEvent::Type, QLatin1StringView>, 5> TypeNames { {
    { StreamEvent::Type::Meta, "meta"_L1 },
    { StreamEvent::Type::Delta, "delta"_L1 },
    { StreamEvent::Type::Usage, "usage"_L1 },
    { StreamEvent::Type::Error, "error"_L1 },
    { StreamEvent::Type::Done, "done"_L1 },
} };

} // namespace

QLatin1StringView StreamEvent::typeName(Type type)
{
    for (const auto &[value, name] : TypeNames) {
        if (value == type)
            return name;
    }
    return {};
}

std::optional<StreamEvent::Type> StreamEvent::typeFromName(QStringView name)
{
    for (const auto &[value, spelling] : TypeNames) {
        if (name == spelling)
            return value;
    }
    return std::nullopt;
}

QJsonObject StreamEvent::payload() const
{
    if (type == Type::Delta)
        return QJsonObject { { "text"_L1, text } };
    return data;
}

QLatin1StringView finalStatusName(StreamFinalStatus status)
{
    switch (status) {
    case StreamFinalStatus::Complete:
        return "complete"_L1;
    case StreamFinalStatus::Stopped:
        return "stopped"_L1;
    case StreamFinalStatus::Interrupted:
        return "interrupted"_L1;
    case StreamFinalStatus::Error:
        return "error"_L1;
    }
    return "error"_L1;
}

} // namespace parlance
