#include "domain/jsonwriter.h"

#include "common/timestamp.h"

#include <QJsonArray>

namespace parlance {

JsonWriter &JsonWriter::string(QLatin1StringView key, const QString &value)
{
    m_object.insert(key, value);
    return *this;
}

JsonWriter &JsonWriter::nullableString(QLatin1StringView key, const QString &value)
{
    m_object.insert(key, value.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(value));
    return *this;
}

JsonWriter &JsonWriter::boolean(QLatin1StringView key, bool value)
{
    m_object.insert(key, value);
    return *this;
}

JsonWriter &JsonWriter::integer(QLatin1StringView key, qint64 value)
{
    m_object.insert(key, value);
    return *this;
}

JsonWriter &JsonWriter::nullableInteger(QLatin1StringView key, std::optional<qint64> value)
{
    m_object.insert(key, value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null));
    return *this;
}

JsonWriter &JsonWriter::timestamp(QLatin1StringView key, const QDateTime &value)
{
    m_object.insert(
        key, value.isValid() ? QJsonValue(timestamp::toIso(value)) : QJsonValue(QJsonValue::Null));
    return *this;
}

JsonWriter &JsonWriter::stringList(QLatin1StringView key, const QStringList &value)
{
    m_object.insert(key, QJsonArray::fromStringList(value));
    return *this;
}

JsonWriter &JsonWriter::value(QLatin1StringView key, const QJsonValue &value)
{
    m_object.insert(key, value);
    return *this;
}

} // namespace parlance
