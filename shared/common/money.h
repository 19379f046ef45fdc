#pragma once

#include "common/result.h"

#include <QString>
#include <QStringView>
#include <QtCore/qobjectdefs.h>

#include <compare>
#include <initializer_list>

namespace parlance {

// An amount of US dollars as a whole number of micro-dollars (1 USD =
// 1,000,000 micros). Prices, costs and budgets are never floating point:
// a sum of a million small costs must come out exact for billing.
// Arithmetic saturates at the int64 limits (about 9.2 trillion dollars)
// rather than overflowing.
class Money
{
    Q_GADGET
    Q_PROPERTY(qint64 micros READ micros CONSTANT)
    Q_PROPERTY(QString text READ toString CONSTANT)

public:
    static constexpr qint64 MicrosPerDollar = 1'000'000;

    constexpr Money() = default;
    [[nodiscard]] static constexpr Money fromMicros(qint64 micros) { return Money(micros); }

    [[nodiscard]] constexpr qint64 micros() const { return m_micros; }
    [[nodiscard]] constexpr bool isZero() const { return m_micros == 0; }

    // For people: "$12.50", "$0.000123", "-$1.05", "$0.00". At least two
    // decimals, at most six, trailing zeros beyond the cents dropped; no
    // thousands separators, so the text parses back with parse().
    [[nodiscard]] QString toString() const;

    // "12.5", "$12.50", "-0.000123", "-$3", "0": an optional minus, an
    // optional dollar sign, digits, and up to six decimals. No exponent, no
    // separators, no surrounding spaces, and no more than six decimals (an
    // amount finer than a micro-dollar is refused, not rounded). Parsed
    // digit by digit, so "0.1" is exactly 100000 micros. Failure is
    // `invalid_field`.
    [[nodiscard]] static Result<Money> parse(QStringView text);

    // The cost of `tokens` at a price per million tokens, both in micros:
    // tokens * price / 1,000,000, computed exactly in 128 bits and rounded
    // half up at the micro-dollar (half away from zero for negative input),
    // so 1 token at 500,000 micros per million costs 1 micro, and at 499,999
    // costs 0.
    [[nodiscard]] static Money costFor(qint64 tokens, qint64 pricePerMillionMicros);

    struct Charge
    {
        qint64 tokens = 0;
        qint64 pricePerMillionMicros = 0;
    };
    // The cost of several charges (input, cached input, output) summed exactly
    // and rounded once, so a request is never off by more than half a micro.
    [[nodiscard]] static Money costFor(std::initializer_list<Charge> charges);

    [[nodiscard]] friend constexpr bool operator==(const Money &, const Money &) = default;
    [[nodiscard]] friend constexpr auto operator<=>(const Money &, const Money &) = default;

    [[nodiscard]] friend Money operator+(Money a, Money b)
    {
        return Money(saturatingAdd(a.m_micros, b.m_micros));
    }
    [[nodiscard]] friend Money operator-(Money a, Money b)
    {
        return Money(saturatingSub(a.m_micros, b.m_micros));
    }
    [[nodiscard]] Money operator-() const { return Money(saturatingSub(0, m_micros)); }
    Money &operator+=(Money other) { return *this = *this + other; }
    Money &operator-=(Money other) { return *this = *this - other; }

private:
    constexpr explicit Money(qint64 micros)
        : m_micros(micros)
    { }
    static qint64 saturatingAdd(qint64 a, qint64 b);
    static qint64 saturatingSub(qint64 a, qint64 b);

    qint64 m_micros = 0;
};

} // namespace parlance
