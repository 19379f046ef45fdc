#pragma once

#include "domain/enumtable.h"

#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QLatin1StringView>
#include <QStringList>

#include <optional>

namespace parlance {

// Builds a domain type's JSON with the spellings JsonReader expects: absent
// optional values are written as null (not left out), so every object of a
// type has the same keys and a client can rely on the shape.
class JsonWriter
{
public:
    JsonWriter &string(QLatin1StringView key, const QString &value);
    // An empty string is "none" for ids and names: written as null.
    JsonWriter &nullableString(QLatin1StringView key, const QString &value);
    JsonWriter &boolean(QLatin1StringView key, bool value);
    JsonWriter &integer(QLatin1StringView key, qint64 value);
    JsonWriter &nullableInteger(QLatin1StringView key, std::optional<qint64> value);
    // "2026-11-25T12:00:00.000Z"; an invalid QDateTime is written as null.
    JsonWriter &timestamp(QLatin1StringView key, const QDateTime &value);
    JsonWriter &stringList(QLatin1StringView key, const QStringList &value);
    JsonWriter &value(QLatin1StringView key, const QJsonValue &value);

    template<typename E, std::size_t N>
    JsonWriter &enumeration(QLatin1StringView key, E value, const EnumTable<E, N> &table)
    {
        return string(key, QString(table.name(value)));
    }

    [[nodiscard]] QJsonObject take() { return std::move(m_object); }

private:
    QJsonObject m_object;
};

} // namespace parlance
