#include "common/money.h"

#include "contract/errorcodes.h"

#include <limits>

#ifndef __SIZEOF_INT128__
#error "Money needs a 128-bit integer type (GCC or Clang, including clang-cl and Emscripten)"
#endif

namespace parlance {

namespace {

using Int128 = __int128;

constexpr qint64 Max = std::numeric_limits<qint64>::max();
constexpr qint64 Min = std::numeric_limits<qint64>::min();

qint64 clampTo64(Int128 value)
{
    if (value > Max)
        return Max;
    if (value < Min)
        return Min;
    return static_cast<qint64>(value);
}

// exact / 1,000,000, rounded half away from zero (half up for the
// non-negative amounts that prices and token counts are).
qint64 roundMillionths(Int128 exact)
{
    constexpr Int128 Million = 1'000'000;
    const bool negative = exact < 0;
    const Int128 magnitude = negative ? -exact : exact;
    Int128 quotient = magnitude / Million;
    if ((magnitude % Million) * 2 >= Million)
        ++quotient;
    return clampTo64(negative ? -quotient : quotient);
}

// QChar::isDigit() also accepts Arabic-Indic and other digits.
bool isAsciiDigit(QChar c)
{
    return c.unicode() >= u'0' && c.unicode() <= u'9';
}

} // namespace

qint64 Money::saturatingAdd(qint64 a, qint64 b)
{
    return clampTo64(Int128(a) + b);
}

qint64 Money::saturatingSub(qint64 a, qint64 b)
{
    return clampTo64(Int128(a) - b);
}

Money Money::costFor(qint64 tokens, qint64 pricePerMillionMicros)
{
    return Money(roundMillionths(Int128(tokens) * pricePerMillionMicros));
}

Money Money::costFor(std::initializer_list<Charge> charges)
{
    // Each product is below 2^126 in magnitude; saturate the running sum so
    // that even absurd inputs cannot overflow the 128-bit accumulator.
    constexpr Int128 Limit = Int128(1) << 126;
    Int128 exact = 0;
    for (const Charge &charge : charges) {
        exact += Int128(charge.tokens) * charge.pricePerMillionMicros;
        if (exact > Limit)
            exact = Limit;
        else if (exact < -Limit)
            exact = -Limit;
    }
    return Money(roundMillionths(exact));
}

QString Money::toString() const
{
    // Work on the magnitude as unsigned: -INT64_MIN does not fit in qint64.
    const bool negative = m_micros < 0;
    const quint64 magnitude = negative ? quint64(0) - quint64(m_micros) : quint64(m_micros);
    const quint64 dollars = magnitude / MicrosPerDollar;
    QString fraction = QString::number(magnitude % MicrosPerDollar).rightJustified(6, u'0');
    qsizetype keep = 6;
    while (keep > 2 && fraction.at(keep - 1) == u'0')
        --keep;
    fraction.truncate(keep);

    QString out;
    if (negative)
        out += u'-';
    out += u'$' + QString::number(dollars) + u'.' + fraction;
    return out;
}

Result<Money> Money::parse(QStringView text)
{
    const auto invalid = [&text] {
        return ApiError { QString(errc::InvalidField),
                          u"\"" + text.left(40).toString()
                              + u"\" is not a dollar amount with at most six decimals.",
                          std::nullopt };
    };

    qsizetype at = 0;
    const bool negative = at < text.size() && text[at] == u'-';
    if (negative)
        ++at;
    if (at < text.size() && text[at] == u'$')
        ++at;

    // Accumulate the magnitude in 128 bits so that overflow is a plain
    // comparison at the end, never undefined behaviour on the way.
    Int128 micros = 0;
    qsizetype integerDigits = 0;
    for (; at < text.size() && isAsciiDigit(text[at]); ++at) {
        micros = micros * 10 + (text[at].unicode() - u'0');
        if (micros > Int128(Max) + 1)
            return invalid();
        ++integerDigits;
    }
    if (integerDigits == 0)
        return invalid();
    micros *= MicrosPerDollar;

    if (at < text.size() && text[at] == u'.') {
        ++at;
        Int128 scale = MicrosPerDollar / 10;
        qsizetype decimals = 0;
        for (; at < text.size() && isAsciiDigit(text[at]); ++at) {
            if (++decimals > 6)
                return invalid();
            micros += scale * (text[at].unicode() - u'0');
            scale /= 10;
        }
        if (decimals == 0)
            return invalid();
    }
    if (at != text.size())
        return invalid();

    const Int128 value = negative ? -micros : micros;
    if (value > Max || value < Min)
        return invalid();
    return Money(static_cast<qint64>(value));
}

} // namespace parlance
