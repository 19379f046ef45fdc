#include "common/timestamp.h"

#include <QRandomGenerator>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace parlance;

class TestTimestamp : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void formatsUtcWithMilliseconds_data();
    void formatsUtcWithMilliseconds();
    void formatMatchesQtAcrossTheCalendar();
    void parsesOnlyTimesWithAZone_data();
    void parsesOnlyTimesWithAZone();
    void invalidTimeFormatsAsNull();
};

void TestTimestamp::formatsUtcWithMilliseconds_data()
{
    QTest::addColumn<QDateTime>("when");
    QTest::addColumn<QString>("text");

    QTest::newRow("epoch") << QDateTime::fromMSecsSinceEpoch(0, Qt::UTC)
                           << u"1970-01-01T00:00:00.000Z"_s;
    QTest::newRow("one ms before epoch")
        << QDateTime::fromMSecsSinceEpoch(-1, Qt::UTC) << u"1969-12-31T23:59:59.999Z"_s;
    QTest::newRow("example from the API docs")
        << QDateTime(QDate(2026, 11, 25), QTime(12, 0), Qt::UTC) << u"2026-11-25T12:00:00.000Z"_s;
    QTest::newRow("leap day 2000") << QDateTime(QDate(2000, 2, 29), QTime(23, 59, 59, 7), Qt::UTC)
                                   << u"2000-02-29T23:59:59.007Z"_s;
    QTest::newRow("offset converted to UTC")
        << QDateTime(QDate(2026, 1, 1), QTime(1, 30), QTimeZone(5400))
        << u"2026-01-01T00:00:00.000Z"_s;
    QTest::newRow("year 1") << QDateTime(QDate(1, 1, 1), QTime(0, 0), Qt::UTC)
                            << u"0001-01-01T00:00:00.000Z"_s;
    QTest::newRow("year 9999") << QDateTime(QDate(9999, 12, 31), QTime(23, 59, 59, 999), Qt::UTC)
                               << u"9999-12-31T23:59:59.999Z"_s;
}

void TestTimestamp::formatsUtcWithMilliseconds()
{
    QFETCH(QDateTime, when);
    QFETCH(QString, text);
    QCOMPARE(timestamp::toIso(when), text);
    QCOMPARE(timestamp::fromIso(text), std::optional<QDateTime>(when));
}

// The fast formatter must agree with Qt's own for any instant in years
// 1..9999, and fall back to it outside them.
void TestTimestamp::formatMatchesQtAcrossTheCalendar()
{
    QRandomGenerator random(20261125);
    const qint64 first = QDateTime(QDate(1, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    const qint64 last =
        QDateTime(QDate(9999, 12, 31), QTime(23, 59, 59, 999), Qt::UTC).toMSecsSinceEpoch();
    for (int i = 0; i < 20000; ++i) {
        const qint64 msecs = first + qint64(random.bounded(double(last - first)));
        const QDateTime when = QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC);
        const QString expected = when.toString(Qt::ISODateWithMs);
        QCOMPARE(timestamp::toIso(when), expected);
    }
    // Every day boundary around the Gregorian corner cases.
    for (const QDate &day : { QDate(1900, 2, 28), QDate(1900, 3, 1), QDate(2100, 2, 28),
                              QDate(2400, 2, 29), QDate(1600, 2, 29), QDate(1969, 12, 31) }) {
        const QDateTime when(day, QTime(0, 0), Qt::UTC);
        QCOMPARE(timestamp::toIso(when), when.toString(Qt::ISODateWithMs));
    }
    const QDateTime farFuture(QDate(12026, 1, 1), QTime(0, 0), Qt::UTC);
    QCOMPARE(timestamp::toIso(farFuture), farFuture.toString(Qt::ISODateWithMs));
}

void TestTimestamp::parsesOnlyTimesWithAZone_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");

    QTest::newRow("Z with ms") << u"2026-11-25T12:00:00.000Z"_s << true;
    QTest::newRow("Z without ms") << u"2026-11-25T12:00:00Z"_s << true;
    QTest::newRow("offset") << u"2026-11-25T12:00:00.000+02:00"_s << true;
    QTest::newRow("no zone") << u"2026-11-25T12:00:00.000"_s << false;
    QTest::newRow("date only") << u"2026-11-25"_s << false;
    QTest::newRow("month 13") << u"2026-13-25T12:00:00Z"_s << false;
    QTest::newRow("words") << u"yesterday"_s << false;
    QTest::newRow("empty") << QString() << false;
}

void TestTimestamp::parsesOnlyTimesWithAZone()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    const std::optional<QDateTime> parsed = timestamp::fromIso(text);
    QCOMPARE(parsed.has_value(), valid);
    if (parsed)
        QCOMPARE(parsed->timeSpec(), Qt::UTC);
}

void TestTimestamp::invalidTimeFormatsAsNull()
{
    QVERIFY(timestamp::toIso(QDateTime()).isNull());
}

QTEST_GUILESS_MAIN(TestTimestamp)
#include "tst_timestamp.moc"
