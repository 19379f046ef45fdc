#pragma once

#include "domain/enumtable.h"
#include "domain/jsontext.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QLatin1StringView>
#include <QStringList>

#include <optional>

namespace parlance {

// Writes one domain object into a JsonText with the spellings JsonReader
// expects: absent optional values are written as null (not left out), so
// every object of a type has the same keys and a client can rely on the
// shape. The object opens on construction and closes on destruction, so a
// chain on a temporary writes one whole object:
//     JsonWriter(out).string("id"_L1, id).boolean("pinned"_L1, pinned);
class JsonWriter
{
public:
    explicit JsonWriter(JsonText &out)
        : m_out(out)
    {
        m_out.beginObject();
    }
    ~JsonWriter() { m_out.endObject(); }
    JsonWriter(const JsonWriter &) = delete;
    JsonWriter &operator=(const JsonWriter &) = delete;

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
        m_out.key(key).string(table.name(value));
        return *this;
    }

    // Nested domain types: anything with writeJson(JsonText &).
    template<typename T> JsonWriter &object(QLatin1StringView key, const T &value)
    {
        m_out.key(key);
        value.writeJson(m_out);
        return *this;
    }
    template<typename T>
    JsonWriter &nullableObject(QLatin1StringView key, const std::optional<T> &value)
    {
        if (!value) {
            m_out.key(key).null();
            return *this;
        }
        return object(key, *value);
    }
    template<typename List> JsonWriter &objectList(QLatin1StringView key, const List &values)
    {
        m_out.key(key).beginArray();
        for (const auto &value : values)
            value.writeJson(m_out);
        m_out.endArray();
        return *this;
    }

private:
    JsonText &m_out;
};

// The JSON text of a domain value.
template<typename T> [[nodiscard]] QByteArray toJsonText(const T &value)
{
    JsonText text;
    value.writeJson(text);
    return text.take();
}

// The same as a QJsonObject, for callers that edit or embed it; parses the
// text, so hot paths write text instead.
template<typename T> [[nodiscard]] QJsonObject toJsonObject(const T &value)
{
    return QJsonDocument::fromJson(toJsonText(value)).object();
}

} // namespace parlance
