#include "common/money.h"
#include "contract/errorcodes.h"

#include <QTest>

#include <limits>

using namespace Qt::StringLiterals;
using namespace parlance;

namespace {
constexpr qint64 Max = std::numeric_limits<qint64>::max();
constexpr qint64 Min = std::numeric_limits<qint64>::min();
} // namespace

class TestMoney : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void formatsForPeople_data();
    void formatsForPeople();
    void parsesDecimalText_data();
    void parsesDecimalText();
    void rejectsMalformedText_data();
    void rejectsMalformedText();
    void formattedTextParsesBack_data();
    void formattedTextParsesBack();
    void costRoundsHalfUpAtTheMicro_data();
    void costRoundsHalfUpAtTheMicro();
    void costOfSeveralChargesRoundsOnce();
    void costNeverOverflows();
    void arithmeticSaturates();
    void comparesByAmount();
};

void TestMoney::formatsForPeople_data()
{
    QTest::addColumn<qint64>("micros");
    QTest::addColumn<QString>("text");

    QTest::newRow("zero") << qint64(0) << u"$0.00"_s;
    QTest::newRow("one micro") << qint64(1) << u"$0.000001"_s;
    QTest::newRow("sub-cent") << qint64(123) << u"$0.000123"_s;
    QTest::newRow("one cent") << qint64(10'000) << u"$0.01"_s;
    QTest::newRow("cents kept at two places") << qint64(12'500'000) << u"$12.50"_s;
    QTest::newRow("whole dollars") << qint64(3'000'000) << u"$3.00"_s;
    QTest::newRow("four decimals") << qint64(1'234'500) << u"$1.2345"_s;
    QTest::newRow("six decimals") << qint64(1'234'567) << u"$1.234567"_s;
    QTest::newRow("negative") << qint64(-1'050'000) << u"-$1.05"_s;
    QTest::newRow("negative sub-cent") << qint64(-5) << u"-$0.000005"_s;
    QTest::newRow("large, no separators") << qint64(1'234'567'000'000) << u"$1234567.00"_s;
    QTest::newRow("int64 max") << Max << u"$9223372036854.775807"_s;
    QTest::newRow("int64 min") << Min << u"-$9223372036854.775808"_s;
}

void TestMoney::formatsForPeople()
{
    QFETCH(qint64, micros);
    QFETCH(QString, text);
    QCOMPARE(Money::fromMicros(micros).toString(), text);
}

void TestMoney::parsesDecimalText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("micros");

    QTest::newRow("integer") << u"12"_s << qint64(12'000'000);
    QTest::newRow("one decimal") << u"12.5"_s << qint64(12'500'000);
    QTest::newRow("dollar sign") << u"$12.50"_s << qint64(12'500'000);
    QTest::newRow("0.1 is exact") << u"0.1"_s << qint64(100'000);
    QTest::newRow("six decimals") << u"0.000123"_s << qint64(123);
    QTest::newRow("leading zeros") << u"007.000001"_s << qint64(7'000'001);
    QTest::newRow("negative") << u"-3"_s << qint64(-3'000'000);
    QTest::newRow("negative with sign") << u"-$1.05"_s << qint64(-1'050'000);
    QTest::newRow("negative zero") << u"-0"_s << qint64(0);
    QTest::newRow("int64 max") << u"9223372036854.775807"_s << Max;
    QTest::newRow("int64 min") << u"-9223372036854.775808"_s << Min;
}

void TestMoney::parsesDecimalText()
{
    QFETCH(QString, text);
    QFETCH(qint64, micros);
    const Result<Money> money = Money::parse(text);
    QVERIFY2(money.ok(), qPrintable(money.ok() ? QString() : money.error().message));
    QCOMPARE(money->micros(), micros);
}

void TestMoney::rejectsMalformedText_data()
{
    QTest::addColumn<QString>("text");

    QTest::newRow("empty") << QString();
    QTest::newRow("sign only") << u"-"_s;
    QTest::newRow("dollar only") << u"$"_s;
    QTest::newRow("seven decimals") << u"0.0000001"_s;
    QTest::newRow("seven decimals, zero") << u"1.0000000"_s;
    QTest::newRow("trailing dot") << u"12."_s;
    QTest::newRow("leading dot") << u".5"_s;
    QTest::newRow("exponent") << u"1e3"_s;
    QTest::newRow("thousands separator") << u"1,000"_s;
    QTest::newRow("leading space") << u" 1"_s;
    QTest::newRow("trailing space") << u"1 "_s;
    QTest::newRow("plus sign") << u"+1"_s;
    QTest::newRow("sign after dollar") << u"$-1"_s;
    QTest::newRow("two dots") << u"1.2.3"_s;
    QTest::newRow("letters") << u"ten"_s;
    QTest::newRow("arabic-indic digits") << u"\u0661\u0662"_s;
    QTest::newRow("above int64") << u"9223372036854.775808"_s;
    QTest::newRow("below int64") << u"-9223372036854.775809"_s;
    QTest::newRow("huge") << u"99999999999999999999999999999999999999999"_s;
}

void TestMoney::rejectsMalformedText()
{
    QFETCH(QString, text);
    const Result<Money> money = Money::parse(text);
    QVERIFY(!money.ok());
    QCOMPARE(money.error().code, QString(errc::InvalidField));
    QVERIFY(!money.error().message.isEmpty());
}

void TestMoney::formattedTextParsesBack_data()
{
    QTest::addColumn<qint64>("micros");
    for (const qint64 micros : { qint64(0), qint64(1), qint64(-1), qint64(99), qint64(10'000),
                                 qint64(12'345'678), qint64(-987'654'321), Max, Min }) {
        QTest::newRow(qPrintable(QString::number(micros))) << micros;
    }
}

void TestMoney::formattedTextParsesBack()
{
    QFETCH(qint64, micros);
    const Money money = Money::fromMicros(micros);
    const Result<Money> back = Money::parse(money.toString());
    QVERIFY(back.ok());
    QCOMPARE(back->micros(), micros);
}

void TestMoney::costRoundsHalfUpAtTheMicro_data()
{
    QTest::addColumn<qint64>("tokens");
    QTest::addColumn<qint64>("pricePerMillion");
    QTest::addColumn<qint64>("micros");

    QTest::newRow("nothing") << qint64(0) << qint64(10'000'000) << qint64(0);
    QTest::newRow("free model") << qint64(5'000) << qint64(0) << qint64(0);
    QTest::newRow("one million at $2.50")
        << qint64(1'000'000) << qint64(2'500'000) << qint64(2'500'000);
    QTest::newRow("1532 at $2.50") << qint64(1532) << qint64(2'500'000) << qint64(3830);
    QTest::newRow("just below half") << qint64(1) << qint64(499'999) << qint64(0);
    QTest::newRow("exactly half rounds up") << qint64(1) << qint64(500'000) << qint64(1);
    QTest::newRow("just above half") << qint64(1) << qint64(500'001) << qint64(1);
    QTest::newRow("1.5 micros rounds to 2") << qint64(3) << qint64(500'000) << qint64(2);
    QTest::newRow("2.5 micros rounds to 3 (not to even)")
        << qint64(5) << qint64(500'000) << qint64(3);
    QTest::newRow("$0.15 per million, 7 tokens") << qint64(7) << qint64(150'000) << qint64(1);
    QTest::newRow("$0.15 per million, 3 tokens") << qint64(3) << qint64(150'000) << qint64(0);
    // 10^12 tokens at $60 per million: the product (6 * 10^19) overflows 64 bits
    // but the cost ($60M) does not.
    QTest::newRow("product beyond int64")
        << qint64(1'000'000'000'000) << qint64(60'000'000) << qint64(60'000'000'000'000);
    QTest::newRow("negative is symmetric") << qint64(-3) << qint64(500'000) << qint64(-2);
}

void TestMoney::costRoundsHalfUpAtTheMicro()
{
    QFETCH(qint64, tokens);
    QFETCH(qint64, pricePerMillion);
    QFETCH(qint64, micros);
    QCOMPARE(Money::costFor(tokens, pricePerMillion).micros(), micros);
    QCOMPARE(Money::costFor({ { tokens, pricePerMillion } }).micros(), micros);
}

void TestMoney::costOfSeveralChargesRoundsOnce()
{
    // Each charge alone is 0.4 micro (rounds to 0); together they are 1.2.
    QCOMPARE(Money::costFor({ { 1, 400'000 }, { 1, 400'000 }, { 1, 400'000 } }).micros(),
             qint64(1));
    QCOMPARE(Money::costFor(1, 400'000).micros(), qint64(0));
    QCOMPARE(Money::costFor({}).micros(), qint64(0));
    // Exact products never drift however many requests are added up.
    qint64 perRequest = 0;
    for (int i = 0; i < 1000; ++i)
        perRequest += Money::costFor(333, 3'000'000).micros();
    QCOMPARE(perRequest, qint64(999'000)); // 999 micros each: exact, no drift
}

void TestMoney::costNeverOverflows()
{
    QCOMPARE(Money::costFor(Max, Max).micros(), Max);
    QCOMPARE(Money::costFor(Min, Max).micros(), Min);
    QCOMPARE(Money::costFor({ { Max, Max }, { Max, Max }, { Max, Max }, { Max, Max } }).micros(),
             Max);
    QCOMPARE(Money::costFor({ { Max, Max }, { Min, Max } }).micros(), qint64(-9'223'372'036'855));
}

void TestMoney::arithmeticSaturates()
{
    const Money a = Money::fromMicros(1'500'000);
    const Money b = Money::fromMicros(250);
    QCOMPARE((a + b).micros(), qint64(1'500'250));
    QCOMPARE((b - a).micros(), qint64(-1'499'750));
    QCOMPARE((-a).micros(), qint64(-1'500'000));
    Money sum;
    sum += a;
    sum += a;
    sum -= b;
    QCOMPARE(sum.micros(), qint64(2'999'750));

    QCOMPARE((Money::fromMicros(Max) + Money::fromMicros(1)).micros(), Max);
    QCOMPARE((Money::fromMicros(Min) - Money::fromMicros(1)).micros(), Min);
    QCOMPARE((-Money::fromMicros(Min)).micros(), Max);
}

void TestMoney::comparesByAmount()
{
    QVERIFY(Money::fromMicros(1) < Money::fromMicros(2));
    QVERIFY(Money::fromMicros(-1) < Money());
    QVERIFY(Money::fromMicros(5) == Money::fromMicros(5));
    QVERIFY(Money().isZero());
    QVERIFY(!Money::fromMicros(1).isZero());
}

QTEST_GUILESS_MAIN(TestMoney)
#include "tst_money.moc"
