#include "auth/base64url.h"

#include <QTest>

using namespace parlance;

class TestBase64Url : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrips_data();
    void roundTrips();
    void strictDecoding_data();
    void strictDecoding();
};

void TestBase64Url::roundTrips_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("one byte") << QByteArray("\xfb", 1);
    QTest::newRow("two bytes") << QByteArray("\xfb\xff", 2);
    QTest::newRow("three bytes") << QByteArray("\xfb\xff\xbf", 3);
    QTest::newRow("all bytes") << [] {
        QByteArray all;
        for (int i = 0; i < 256; ++i)
            all.append(char(i));
        return all;
    }();
}

void TestBase64Url::roundTrips()
{
    QFETCH(QByteArray, data);
    const QByteArray url = base64::encodeUrl(data);
    QVERIFY(!url.contains('=') && !url.contains('+') && !url.contains('/'));
    QCOMPARE(base64::decodeUrl(url), std::optional<QByteArray>(data));
    const QByteArray standard = base64::encodeStandardUnpadded(data);
    QVERIFY(!standard.contains('=') && !standard.contains('-') && !standard.contains('_'));
    QCOMPARE(base64::decodeStandardUnpadded(standard), std::optional<QByteArray>(data));
}

void TestBase64Url::strictDecoding_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("valid");
    QTest::newRow("canonical") << QByteArray("-_8") << true;
    QTest::newRow("padding") << QByteArray("-_8=") << false;
    QTest::newRow("standard alphabet") << QByteArray("+/8") << false;
    QTest::newRow("non-canonical last char") << QByteArray("-_9") << false;
    QTest::newRow("length 1 mod 4") << QByteArray("AAAAA") << false;
    QTest::newRow("space") << QByteArray("AA AA") << false;
    QTest::newRow("newline") << QByteArray("AAAA\n") << false;
    QTest::newRow("dot") << QByteArray("AA.A") << false;
}

void TestBase64Url::strictDecoding()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, valid);
    QCOMPARE(base64::decodeUrl(text).has_value(), valid);
}

QTEST_GUILESS_MAIN(TestBase64Url)
#include "tst_base64url.moc"
