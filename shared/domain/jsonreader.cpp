#include "domain/jsonreader.h"

#include "common/timestamp.h"
#include "contract/errorcodes.h"

namespace parlance {

JsonReader::JsonReader(const QJsonObject &object)
    : m_object(object)
    , m_sink(&m_ownError)
{ }

JsonReader::JsonReader(const QJsonObject &object, QString path, JsonReader &parent)
    : m_object(object)
    , m_path(std::move(path))
    , m_sink(parent.m_sink)
{ }

QString JsonReader::path(QLatin1StringView key) const
{
    if (m_path.isEmpty())
        return QString(key);
    return m_path + u'.' + key;
}

void JsonReader::failAt(const QString &fieldPath, const QString &expectation)
{
    if (!ok())
        return;
    *m_sink = ApiError { QString(errc::InvalidField),
                         u"Field \"" + fieldPath + u"\" " + expectation + u'.', std::nullopt };
}

void JsonReader::fail(QLatin1StringView key, const QString &expectation)
{
    failAt(path(key), expectation);
}

QJsonValue JsonReader::required(QLatin1StringView key)
{
    const QJsonValue value = m_object.value(key);
    if (ok() && (value.isUndefined() || value.isNull())) {
        *m_sink =
            ApiError { QString(errc::MissingField),
                       u"Required field \"" + path(key) + u"\" is missing or null.", std::nullopt };
    }
    return value;
}

QJsonArray JsonReader::requiredArray(QLatin1StringView key)
{
    const QJsonValue value = required(key);
    if (!ok())
        return {};
    if (!value.isArray()) {
        fail(key, QStringLiteral("must be an array"));
        return {};
    }
    return value.toArray();
}

QString JsonReader::string(QLatin1StringView key)
{
    const QJsonValue value = required(key);
    if (!ok())
        return {};
    if (!value.isString()) {
        fail(key, QStringLiteral("must be a string"));
        return {};
    }
    return value.toString();
}

QString JsonReader::nonEmptyString(QLatin1StringView key)
{
    QString value = string(key);
    if (ok() && value.isEmpty())
        fail(key, QStringLiteral("must be a non-empty string"));
    return value;
}

QString JsonReader::optionalNonEmptyString(QLatin1StringView key)
{
    const QJsonValue value = m_object.value(key);
    if (!ok() || value.isUndefined() || value.isNull())
        return {};
    if (!value.isString() || value.toString().isEmpty()) {
        fail(key, QStringLiteral("must be a non-empty string or null"));
        return {};
    }
    return value.toString();
}

bool JsonReader::boolean(QLatin1StringView key)
{
    const QJsonValue value = required(key);
    if (!ok())
        return false;
    if (!value.isBool()) {
        fail(key, QStringLiteral("must be true or false"));
        return false;
    }
    return value.toBool();
}

namespace {

QString rangeText(qint64 min, qint64 max)
{
    if (max == std::numeric_limits<qint64>::max())
        return u"must be an integer >= " + QString::number(min);
    return u"must be an integer from " + QString::number(min) + u" to " + QString::number(max);
}

// QJsonValue keeps integers that fit in 64 bits exactly; toInteger() returns
// its default for anything else, so two different defaults expose a value that
// is not a whole number (1.5, 1e300) without going through a double.
std::optional<qint64> wholeNumber(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    const qint64 a = value.toInteger(0);
    const qint64 b = value.toInteger(1);
    if (a != b)
        return std::nullopt;
    return a;
}

} // namespace

qint64 JsonReader::integer(QLatin1StringView key, qint64 min, qint64 max)
{
    const QJsonValue value = required(key);
    if (!ok())
        return min;
    const std::optional<qint64> number = wholeNumber(value);
    if (!number || *number < min || *number > max) {
        fail(key, rangeText(min, max));
        return min;
    }
    return *number;
}

std::optional<qint64> JsonReader::optionalInteger(QLatin1StringView key, qint64 min, qint64 max)
{
    const QJsonValue value = m_object.value(key);
    if (!ok() || value.isUndefined() || value.isNull())
        return std::nullopt;
    const std::optional<qint64> number = wholeNumber(value);
    if (!number || *number < min || *number > max) {
        fail(key, rangeText(min, max) + u" or null");
        return std::nullopt;
    }
    return number;
}

QDateTime JsonReader::timestamp(QLatin1StringView key)
{
    const QJsonValue value = required(key);
    if (!ok())
        return {};
    const auto parsed = value.isString() ? timestamp::fromIso(value.toString()) : std::nullopt;
    if (!parsed) {
        fail(key, QStringLiteral("must be an ISO 8601 timestamp with a time zone"));
        return {};
    }
    return *parsed;
}

QDateTime JsonReader::optionalTimestamp(QLatin1StringView key)
{
    const QJsonValue value = m_object.value(key);
    if (!ok() || value.isUndefined() || value.isNull())
        return {};
    const auto parsed = value.isString() ? timestamp::fromIso(value.toString()) : std::nullopt;
    if (!parsed) {
        fail(key, QStringLiteral("must be an ISO 8601 timestamp with a time zone, or null"));
        return {};
    }
    return *parsed;
}

QStringList JsonReader::nonEmptyStringList(QLatin1StringView key)
{
    const QJsonArray array = requiredArray(key);
    QStringList out;
    out.reserve(array.size());
    for (qsizetype i = 0; i < array.size() && ok(); ++i) {
        const QJsonValue element = array.at(i);
        if (!element.isString() || element.toString().isEmpty()) {
            failAt(path(key) + u'[' + QString::number(i) + u']',
                   QStringLiteral("must be a non-empty string"));
            break;
        }
        out.append(element.toString());
    }
    return out;
}

} // namespace parlance
