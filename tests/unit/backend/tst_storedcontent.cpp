#include "conversations/storedcontent.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace parlance;

// The content column is read by a hand-written scanner with QJsonDocument as
// the fallback; both must always agree on what a stored value means.
class TestStoredContent : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrips_data();
    void roundTrips();
    void readsEarlierSpellings_data();
    void readsEarlierSpellings();
    void unusualShapesTakeTheGeneralPath_data();
    void unusualShapesTakeTheGeneralPath();
    void randomTextRoundTrips();
};

namespace {

// What the general path (QJsonDocument + ContentPart::fromJson) makes of it.
QList<ContentPart> reference(const QString &json)
{
    QList<ContentPart> parts;
    for (const QJsonValue &value : QJsonDocument::fromJson(json.toUtf8()).array()) {
        if (auto part = ContentPart::fromJson(value.toObject()))
            parts.append(*part);
    }
    return parts;
}

} // namespace

void TestStoredContent::roundTrips_data()
{
    QTest::addColumn<QList<ContentPart>>("content");
    QTest::newRow("empty") << QList<ContentPart>();
    QTest::newRow("one text") << QList<ContentPart> { ContentPart::fromText(u"hello"_s) };
    QTest::newRow("empty text") << QList<ContentPart> { ContentPart::fromText(QString()) };
    QTest::newRow("escapes") << QList<ContentPart> { ContentPart::fromText(
        u"\"quoted\" \\ back\nslash\t\u0001 </script>"_s) };
    QTest::newRow("unicode") << QList<ContentPart> { ContentPart::fromText(u"Grüße 日本 😀"_s) };
    QTest::newRow("text and files") << QList<ContentPart> {
        ContentPart::fromText(u"look at these"_s),
        ContentPart::fromFile(u"f1"_s, u"image/png"_s, u"chart \"1\".png"_s),
        ContentPart::fromFile(u"f2"_s, u"application/pdf"_s, QString()),
    };
}

void TestStoredContent::roundTrips()
{
    QFETCH(QList<ContentPart>, content);
    const QString stored = storedcontent::encode(content);
    QCOMPARE(storedcontent::decodeCommonShape(stored), std::optional(content));
    QCOMPARE(storedcontent::decode(stored), content);
    QCOMPARE(reference(stored), content);
}

void TestStoredContent::readsEarlierSpellings_data()
{
    QTest::addColumn<QString>("stored");
    // Rows written before the scanner: QJsonDocument's sorted keys.
    QTest::newRow("sorted keys") << uR"([{"text":"hi","type":"text"}])"_s;
    QTest::newRow("sorted file keys")
        << uR"([{"file_id":"f","mime_type":"image/png","name":"a.png","type":"file"}])"_s;
    QTest::newRow("whitespace") << u" [ { \"type\" : \"text\" ,\n\"text\":\"a\" } ] "_s;
    QTest::newRow("unicode escapes") << uR"([{"type":"text","text":"\u00e9\ud83d\ude00\/"}])"_s;
    QTest::newRow("upper-case hex") << uR"([{"type":"text","text":"\u00E9"}])"_s;
}

void TestStoredContent::readsEarlierSpellings()
{
    QFETCH(QString, stored);
    const auto fast = storedcontent::decodeCommonShape(stored);
    QVERIFY(fast.has_value());
    QCOMPARE(*fast, reference(stored));
    QVERIFY(!fast->isEmpty());
}

void TestStoredContent::unusualShapesTakeTheGeneralPath_data()
{
    QTest::addColumn<QString>("stored");
    QTest::newRow("not json") << u"hello"_s;
    QTest::newRow("object, not array") << uR"({"type":"text","text":"a"})"_s;
    QTest::newRow("number value") << uR"([{"type":"text","text":1}])"_s;
    QTest::newRow("unknown key") << uR"([{"type":"text","text":"a","extra":"b"}])"_s;
    QTest::newRow("unknown type") << uR"([{"type":"video","text":"a"}])"_s;
    QTest::newRow("file without id") << uR"([{"type":"file","mime_type":"a/b","name":""}])"_s;
    QTest::newRow("one bad part of two")
        << uR"([{"type":"text","text":"kept"},{"type":"video"}])"_s;
    QTest::newRow("duplicate key") << uR"([{"type":"text","text":"a","text":"b"}])"_s;
    QTest::newRow("trailing comma") << uR"([{"type":"text","text":"a"},])"_s;
    QTest::newRow("raw control character") << u"[{\"type\":\"text\",\"text\":\"a\u0001\"}]"_s;
    QTest::newRow("bad escape") << uR"([{"type":"text","text":"\x"}])"_s;
    QTest::newRow("short unicode escape") << uR"([{"type":"text","text":"\u12"}])"_s;
    QTest::newRow("unterminated") << uR"([{"type":"text","text":"a)"_s;
    QTest::newRow("garbage after") << uR"([{"type":"text","text":"a"}] x)"_s;
}

void TestStoredContent::unusualShapesTakeTheGeneralPath()
{
    QFETCH(QString, stored);
    QVERIFY(!storedcontent::decodeCommonShape(stored).has_value());
    QCOMPARE(storedcontent::decode(stored), reference(stored));
}

void TestStoredContent::randomTextRoundTrips()
{
    QRandomGenerator random(1130);
    for (int round = 0; round < 1000; ++round) {
        QString text;
        const int length = int(random.bounded(60));
        for (int i = 0; i < length; ++i) {
            const quint32 pick = random.bounded(4);
            if (pick == 0)
                text += QChar(char16_t(random.bounded(0x20)));
            else if (pick == 1)
                text += QChar(char16_t(u"\"\\/"[random.bounded(3)]));
            else if (pick == 2)
                text += QChar(char16_t(0x20 + random.bounded(0x60)));
            else
                text += u"é😀"_s;
        }
        const QList<ContentPart> content { ContentPart::fromText(text) };
        const QString stored = storedcontent::encode(content);
        QCOMPARE(storedcontent::decode(stored), content);
        QCOMPARE(reference(stored), content);
    }
}

QTEST_GUILESS_MAIN(TestStoredContent)
#include "tst_storedcontent.moc"
