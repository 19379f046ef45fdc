#pragma once

#include <QByteArray>
#include <QString>

#include <initializer_list>
#include <utility>

namespace parlance::sim::json {

// Builds compact JSON with fields in the order given. QJsonObject sorts keys;
// the simulator keeps the providers' own field order so its output reads
// like theirs byte for byte, and it avoids a document per token.

using Field = std::pair<const char *, QByteArray>; // value is already JSON

[[nodiscard]] QByteArray string(QStringView text);
[[nodiscard]] inline QByteArray string(QLatin1StringView text)
{
    return string(QString(text));
}
[[nodiscard]] inline QByteArray number(qint64 n)
{
    return QByteArray::number(n);
}
[[nodiscard]] inline QByteArray null()
{
    return QByteArrayLiteral("null");
}
[[nodiscard]] QByteArray object(std::initializer_list<Field> fields);
[[nodiscard]] QByteArray array(std::initializer_list<QByteArray> items);
[[nodiscard]] QByteArray arrayOf(const QList<QByteArray> &items);

} // namespace parlance::sim::json
