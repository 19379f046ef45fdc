#pragma once

#include "common/result.h"
#include "domain/enumtable.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QLatin1StringView>
#include <QList>
#include <QString>
#include <QStringList>

#include <limits>
#include <optional>

namespace parlance {

// Reads the fields of one JSON object for a domain type's fromJson, so that
// every type applies the same rules:
//  - unknown fields are ignored (newer servers may add fields);
//  - a required field that is absent or null yields `missing_field`;
//  - a field of the wrong type or out of range, or an unknown enum spelling,
//    yields `invalid_field`;
//  - optional fields may be absent or null; both mean "no value".
// The message of the error always names the field by its path from the
// outermost object in double quotes, e.g. `"content[1].file_id"`.
// The first error wins; later reads return empty values and record nothing,
// so a readFrom() can read every field straight through and check once at the
// end with finish().
class JsonReader
{
public:
    explicit JsonReader(const QJsonObject &object);
    JsonReader(const JsonReader &) = delete;
    JsonReader &operator=(const JsonReader &) = delete;

    [[nodiscard]] QString string(QLatin1StringView key);
    [[nodiscard]] QString nonEmptyString(QLatin1StringView key);
    // Nullable identifiers and names: absent or null give a null QString, an
    // empty string is invalid (no valid id is empty, so empty means "none").
    [[nodiscard]] QString optionalNonEmptyString(QLatin1StringView key);
    [[nodiscard]] bool boolean(QLatin1StringView key);
    // Whole numbers only: 1.5 or 1e300 are invalid, not truncated.
    [[nodiscard]] qint64 integer(QLatin1StringView key, qint64 min = 0,
                                 qint64 max = std::numeric_limits<qint64>::max());
    [[nodiscard]] std::optional<qint64>
    optionalInteger(QLatin1StringView key, qint64 min = 0,
                    qint64 max = std::numeric_limits<qint64>::max());
    // ISO 8601 with a zone, returned in UTC (see common/timestamp.h).
    [[nodiscard]] QDateTime timestamp(QLatin1StringView key);
    // Absent or null give an invalid QDateTime.
    [[nodiscard]] QDateTime optionalTimestamp(QLatin1StringView key);
    // Every element must be a non-empty string.
    [[nodiscard]] QStringList nonEmptyStringList(QLatin1StringView key);

    template<typename E, std::size_t N>
    [[nodiscard]] E enumeration(QLatin1StringView key, const EnumTable<E, N> &table)
    {
        const QJsonValue value = required(key);
        if (!ok())
            return table.entries.front().first;
        if (const auto parsed = value.isString() ? table.value(value.toString()) : std::nullopt)
            return *parsed;
        fail(key, QLatin1StringView("must be one of: ") + table.spellings());
        return table.entries.front().first;
    }

    // A nested object read by `read(JsonReader &)`, errors named with this
    // reader's path plus `key`.
    template<typename Read>
    [[nodiscard]] auto object(QLatin1StringView key, Read read) -> decltype(read(*this))
    {
        const QJsonValue value = required(key);
        if (ok() && !value.isObject())
            fail(key, QStringLiteral("must be an object"));
        JsonReader child(value.toObject(), path(key), *this);
        return read(child);
    }

    template<typename Read>
    [[nodiscard]] auto optionalObject(QLatin1StringView key, Read read)
        -> std::optional<decltype(read(*this))>
    {
        const QJsonValue value = m_object.value(key);
        if (!ok() || value.isUndefined() || value.isNull())
            return std::nullopt;
        if (!value.isObject()) {
            fail(key, QStringLiteral("must be an object or null"));
            return std::nullopt;
        }
        JsonReader child(value.toObject(), path(key), *this);
        auto result = read(child);
        if (!ok())
            return std::nullopt;
        return result;
    }

    // An array of objects, element i read with the path `key[i]`.
    template<typename Read>
    [[nodiscard]] auto objectList(QLatin1StringView key, Read read) -> QList<decltype(read(*this))>
    {
        QList<decltype(read(*this))> out;
        const QJsonArray array = requiredArray(key);
        out.reserve(array.size());
        for (qsizetype i = 0; i < array.size() && ok(); ++i) {
            const QString elementPath = path(key) + u'[' + QString::number(i) + u']';
            const QJsonValue element = array.at(i);
            if (!element.isObject()) {
                failAt(elementPath, QStringLiteral("must be an object"));
                break;
            }
            JsonReader child(element.toObject(), elementPath, *this);
            out.append(read(child));
        }
        return out;
    }

    // Records `invalid_field` for a rule that spans fields (e.g. an index that
    // must be below a count). `expectation` completes "Field "x" ...".
    void fail(QLatin1StringView key, const QString &expectation);

    [[nodiscard]] bool ok() const { return !m_sink->has_value(); }
    [[nodiscard]] const std::optional<ApiError> &error() const { return *m_sink; }

    template<typename T> [[nodiscard]] Result<T> finish(T value) const
    {
        if (!ok())
            return **m_sink;
        return value;
    }

private:
    JsonReader(const QJsonObject &object, QString path, JsonReader &parent);

    [[nodiscard]] QString path(QLatin1StringView key) const;
    [[nodiscard]] QJsonValue required(QLatin1StringView key);
    [[nodiscard]] QJsonArray requiredArray(QLatin1StringView key);
    void failAt(const QString &fieldPath, const QString &expectation);

    QJsonObject m_object;
    QString m_path;
    std::optional<ApiError> m_ownError;
    // Children report into their root's slot, so the first error anywhere in
    // the tree is the one returned.
    std::optional<ApiError> *m_sink;
};

// The uniform fromJson: T provides `static T readFrom(JsonReader &)`.
template<typename T> [[nodiscard]] Result<T> readJson(const QJsonObject &json)
{
    JsonReader reader(json);
    T value = T::readFrom(reader);
    return reader.finish(std::move(value));
}

} // namespace parlance
