#include "common/timestamp.h"

namespace parlance::timestamp {

QString toIso(const QDateTime &when)
{
    if (!when.isValid())
        return {};
    return when.toUTC().toString(Qt::ISODateWithMs);
}

std::optional<QDateTime> fromIso(QStringView text)
{
    const QDateTime parsed = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!parsed.isValid() || parsed.timeSpec() == Qt::LocalTime)
        return std::nullopt;
    return parsed.toUTC();
}

} // namespace parlance::timestamp
