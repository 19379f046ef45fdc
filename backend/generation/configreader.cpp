#include "generation/configreader.h"

#include "contract/errorcodes.h"

using namespace Qt::StringLiterals;

namespace parlance {

ConfigReader::ConfigReader(const QJsonObject &object, QString path,
                           std::shared_ptr<std::optional<ApiError>> error)
    : m_object(object)
    , m_path(std::move(path))
    , m_error(error ? std::move(error) : std::make_shared<std::optional<ApiError>>())
{ }

QString ConfigReader::pathOf(QLatin1StringView key) const
{
    return m_path.isEmpty() ? QString(key) : m_path + u'.' + key;
}

void ConfigReader::fail(QLatin1StringView key, QLatin1StringView code, const QString &what)
{
    if (m_error->has_value())
        return;
    *m_error = ApiError { QString(code), pathOf(key) + u": "_s + what, std::nullopt };
}

bool ConfigReader::has(QLatin1StringView key) const
{
    const QJsonValue value = m_object.value(key);
    return !value.isUndefined() && !value.isNull();
}

QJsonValue ConfigReader::take(QLatin1StringView key)
{
    m_seen.insert(QString(key));
    return m_object.value(key);
}

QString ConfigReader::string(QLatin1StringView key, bool required)
{
    const QJsonValue value = take(key);
    if (value.isUndefined() || value.isNull()) {
        if (required)
            fail(key, errc::MissingField, u"required"_s);
        return {};
    }
    if (!value.isString()) {
        fail(key, errc::InvalidField, u"must be a string"_s);
        return {};
    }
    const QString text = value.toString();
    if (required && text.trimmed().isEmpty())
        fail(key, errc::InvalidField, u"must not be empty"_s);
    return text;
}

qint64 ConfigReader::integer(QLatin1StringView key, qint64 fallback, qint64 min, qint64 max)
{
    const QJsonValue value = take(key);
    if (value.isUndefined() || value.isNull())
        return fallback;
    const double number = value.toDouble();
    // JSON numbers are doubles: accept only exact integers within 2^53.
    if (!value.isDouble() || number != double(qint64(number)) || number > 9007199254740992.0
        || number < -9007199254740992.0) {
        fail(key, errc::InvalidField, u"must be an integer"_s);
        return fallback;
    }
    const qint64 result = qint64(number);
    if (result < min || result > max) {
        fail(key, errc::InvalidField,
             max == std::numeric_limits<qint64>::max()
                 ? u"must be at least %1"_s.arg(min)
                 : u"must be between %1 and %2"_s.arg(min).arg(max));
        return fallback;
    }
    return result;
}

bool ConfigReader::boolean(QLatin1StringView key, bool fallback)
{
    const QJsonValue value = take(key);
    if (value.isUndefined() || value.isNull())
        return fallback;
    if (!value.isBool()) {
        fail(key, errc::InvalidField, u"must be true or false"_s);
        return fallback;
    }
    return value.toBool();
}

QStringList ConfigReader::stringList(QLatin1StringView key)
{
    const QJsonValue value = take(key);
    if (value.isUndefined() || value.isNull())
        return {};
    if (!value.isArray()) {
        fail(key, errc::InvalidField, u"must be an array of strings"_s);
        return {};
    }
    QStringList out;
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (!array.at(i).isString() || array.at(i).toString().isEmpty()) {
            const QByteArray indexed =
                QByteArray(key.data(), key.size()) + '[' + QByteArray::number(i) + ']';
            fail(QLatin1StringView(indexed), errc::InvalidField, u"must be a non-empty string"_s);
            return {};
        }
        out.append(array.at(i).toString());
    }
    return out;
}

QJsonArray ConfigReader::array(QLatin1StringView key, bool required)
{
    const QJsonValue value = take(key);
    if (value.isUndefined() || value.isNull()) {
        if (required)
            fail(key, errc::MissingField, u"required"_s);
        return {};
    }
    if (!value.isArray()) {
        fail(key, errc::InvalidField, u"must be an array"_s);
        return {};
    }
    return value.toArray();
}

ConfigReader ConfigReader::object(QLatin1StringView key)
{
    const QJsonValue value = take(key);
    if (!value.isUndefined() && !value.isNull() && !value.isObject())
        fail(key, errc::InvalidField, u"must be an object"_s);
    return ConfigReader(value.toObject(), pathOf(key), m_error);
}

ConfigReader ConfigReader::element(const QJsonArray &array, qsizetype index,
                                   QLatin1StringView arrayKey)
{
    const QString path = pathOf(arrayKey) + u'[' + QString::number(index) + u']';
    const QJsonValue value = array.at(index);
    if (!value.isObject() && !failed())
        *m_error =
            ApiError { QString(errc::InvalidField), path + u": must be an object"_s, std::nullopt };
    return ConfigReader(value.toObject(), path, m_error);
}

void ConfigReader::rejectUnknownFields()
{
    for (auto it = m_object.constBegin(); it != m_object.constEnd(); ++it) {
        if (!m_seen.contains(it.key())) {
            const QByteArray key = it.key().toUtf8();
            fail(QLatin1StringView(key), errc::InvalidField, u"unknown field"_s);
            return;
        }
    }
}

} // namespace parlance
