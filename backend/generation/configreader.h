#pragma once

#include "domain/apierror.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QLatin1StringView>
#include <QSet>
#include <QString>
#include <QStringList>

#include <limits>
#include <memory>
#include <optional>

namespace parlance {

// Reads one object of an operator's config file strictly: unlike the API's
// JsonReader (lenient, for forward compatibility), a config typo must be an
// error, so unknown fields fail too. Every message starts with the JSON path
// ("models[2].deployments[0].base_url: not an http(s) URL"). The first error
// wins and is shared by child readers; reads after it return empty values.
class ConfigReader
{
public:
    ConfigReader(const QJsonObject &object, QString path,
                 std::shared_ptr<std::optional<ApiError>> error = nullptr);

    [[nodiscard]] bool has(QLatin1StringView key) const;
    [[nodiscard]] QString string(QLatin1StringView key, bool required);
    [[nodiscard]] qint64 integer(QLatin1StringView key, qint64 fallback, qint64 min = 0,
                                 qint64 max = std::numeric_limits<qint64>::max());
    [[nodiscard]] bool boolean(QLatin1StringView key, bool fallback);
    [[nodiscard]] QStringList stringList(QLatin1StringView key);
    [[nodiscard]] QJsonArray array(QLatin1StringView key, bool required);
    // A child reader for an object field (an empty object when absent).
    [[nodiscard]] ConfigReader object(QLatin1StringView key);
    [[nodiscard]] ConfigReader element(const QJsonArray &array, qsizetype index,
                                       QLatin1StringView arrayKey);
    // Reports fields nobody read. Call once all fields were read.
    void rejectUnknownFields();

    void fail(QLatin1StringView key, QLatin1StringView code, const QString &what);
    [[nodiscard]] QString pathOf(QLatin1StringView key) const;
    [[nodiscard]] bool failed() const { return m_error->has_value(); }
    [[nodiscard]] std::optional<ApiError> error() const { return *m_error; }
    [[nodiscard]] const QJsonObject &raw() const { return m_object; }

private:
    [[nodiscard]] QJsonValue take(QLatin1StringView key);

    QJsonObject m_object;
    QString m_path;
    std::shared_ptr<std::optional<ApiError>> m_error;
    QSet<QString> m_seen;
};

} // namespace parlance
