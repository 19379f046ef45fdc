#include "domain/jsonwriter.h"

namespace parlance {

JsonWriter &JsonWriter::string(QLatin1StringView key, const QString &value)
{
    m_out.key(key).string(value);
    return *this;
}

JsonWriter &JsonWriter::nullableString(QLatin1StringView key, const QString &value)
{
    m_out.key(key);
    if (value.isEmpty())
        m_out.null();
    else
        m_out.string(value);
    return *this;
}

JsonWriter &JsonWriter::boolean(QLatin1StringView key, bool value)
{
    m_out.key(key).boolean(value);
    return *this;
}

JsonWriter &JsonWriter::integer(QLatin1StringView key, qint64 value)
{
    m_out.key(key).integer(value);
    return *this;
}

JsonWriter &JsonWriter::nullableInteger(QLatin1StringView key, std::optional<qint64> value)
{
    m_out.key(key);
    if (value)
        m_out.integer(*value);
    else
        m_out.null();
    return *this;
}

JsonWriter &JsonWriter::timestamp(QLatin1StringView key, const QDateTime &value)
{
    m_out.key(key).timestamp(value);
    return *this;
}

JsonWriter &JsonWriter::stringList(QLatin1StringView key, const QStringList &value)
{
    m_out.key(key).beginArray();
    for (const QString &item : value)
        m_out.string(item);
    m_out.endArray();
    return *this;
}

JsonWriter &JsonWriter::value(QLatin1StringView key, const QJsonValue &value)
{
    m_out.key(key).value(value);
    return *this;
}

} // namespace parlance
