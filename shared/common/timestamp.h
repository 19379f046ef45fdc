#pragma once

#include <QDateTime>
#include <QString>
#include <QStringView>

#include <optional>

// Timestamps travel as ISO 8601 in UTC with milliseconds:
// "2026-11-25T12:00:00.000Z". One spelling everywhere (JSON, SQL text columns,
// logs) so that string order is time order.
namespace parlance::timestamp {

// An invalid QDateTime gives a null QString.
[[nodiscard]] QString toIso(const QDateTime &when);

// Accepts any ISO 8601 date-time that names its zone ("Z" or "+02:00") and
// returns it in UTC. A date-time without a zone is rejected: guessing the
// reader's local time zone is how timestamps silently shift by hours.
[[nodiscard]] std::optional<QDateTime> fromIso(QStringView text);

} // namespace parlance::timestamp
