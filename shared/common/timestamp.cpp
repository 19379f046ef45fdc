#include "common/timestamp.h"

#include <array>

namespace parlance::timestamp {

namespace {

constexpr qint64 MsecsPerDay = 86'400'000;

struct CivilDate
{
    qint64 year;
    int month;
    int day;
};

// Days since 1970-01-01 to a proleptic Gregorian date, by counting whole
// 400-year eras (146097 days each) and then years within the era, with years
// taken to start on 1 March so that the leap day falls at the end.
CivilDate civilFromDays(qint64 days)
{
    days += 719'468; // from 1970-01-01 back to 0000-03-01
    const qint64 era = (days >= 0 ? days : days - 146'096) / 146'097;
    const qint64 dayOfEra = days - era * 146'097; // [0, 146096]
    const qint64 yearOfEra =
        (dayOfEra - dayOfEra / 1460 + dayOfEra / 36'524 - dayOfEra / 146'096) / 365;
    const qint64 dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const qint64 marchMonth = (5 * dayOfYear + 2) / 153; // 0 = March
    const int day = int(dayOfYear - (153 * marchMonth + 2) / 5 + 1);
    const int month = int(marchMonth < 10 ? marchMonth + 3 : marchMonth - 9);
    return { yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

void putDigits(char16_t *out, qint64 value, int width)
{
    for (int i = width - 1; i >= 0; --i) {
        out[i] = char16_t(u'0' + value % 10);
        value /= 10;
    }
}

} // namespace

QString toIso(const QDateTime &when)
{
    if (!when.isValid())
        return {};
    // QDateTime::toString() costs about 2 us; every object the API writes
    // carries one to five timestamps, so format the fixed shape directly.
    const qint64 msecs = when.toMSecsSinceEpoch();
    qint64 days = msecs / MsecsPerDay;
    qint64 msOfDay = msecs % MsecsPerDay;
    if (msOfDay < 0) {
        msOfDay += MsecsPerDay;
        --days;
    }
    const CivilDate date = civilFromDays(days);
    if (date.year < 1 || date.year > 9999)
        return when.toUTC().toString(Qt::ISODateWithMs);

    // "YYYY-MM-DDTHH:MM:SS.mmmZ"
    std::array<char16_t, 24> text {};
    putDigits(&text[0], date.year, 4);
    text[4] = u'-';
    putDigits(&text[5], date.month, 2);
    text[7] = u'-';
    putDigits(&text[8], date.day, 2);
    text[10] = u'T';
    putDigits(&text[11], msOfDay / 3'600'000, 2);
    text[13] = u':';
    putDigits(&text[14], msOfDay / 60'000 % 60, 2);
    text[16] = u':';
    putDigits(&text[17], msOfDay / 1000 % 60, 2);
    text[19] = u'.';
    putDigits(&text[20], msOfDay % 1000, 3);
    text[23] = u'Z';
    return QString(reinterpret_cast<const QChar *>(text.data()), qsizetype(text.size()));
}

std::optional<QDateTime> fromIso(QStringView text)
{
    const QDateTime parsed = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!parsed.isValid() || parsed.timeSpec() == Qt::LocalTime)
        return std::nullopt;
    return parsed.toUTC();
}

} // namespace parlance::timestamp
