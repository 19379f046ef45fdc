#include "domain/conversation.h"
#include "domain/jsontext.h"
#include "domain/jsonwriter.h"
#include "domain/message.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

#include <limits>

using namespace Qt::StringLiterals;
using namespace parlance;

// JsonText writes the API's answers by hand, so every string must come out
// as JSON that a strict parser reads back to the same value.
class TestJsonText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void stringsRoundTrip_data();
    void stringsRoundTrip();
    void escapesExactly_data();
    void escapesExactly();
    void loneSurrogatesBecomeReplacementCharacters();
    void randomStringsRoundTrip();
    void latin1StringsAreUtf8();
    void integersAtTheLimits();
    void commasInNestedStructures();
    void freeFormValues();
    void domainObjectsMatchTheirJsonObjects();
};

namespace {

// Parses `text` as the one element of an array, so scalars parse too.
QJsonValue parsed(const QByteArray &text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson("[" + text + "]", &error);
    if (error.error != QJsonParseError::NoError)
        return QJsonValue(QJsonValue::Undefined);
    return doc.array().at(0);
}

// `s` with every unpaired surrogate replaced by U+FFFD, which is what the
// text must carry (QString::toUtf8 writes '?' instead).
QString withReplacementCharacters(const QString &s)
{
    QString out;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s.at(i);
        if (c.isHighSurrogate() && i + 1 < s.size() && s.at(i + 1).isLowSurrogate()) {
            out += c;
            out += s.at(++i);
        } else if (c.isSurrogate()) {
            out += QChar(QChar::ReplacementCharacter);
        } else {
            out += c;
        }
    }
    return out;
}

QByteArray stringText(QStringView s)
{
    JsonText out;
    out.string(s);
    return out.take();
}

} // namespace

void TestJsonText::stringsRoundTrip_data()
{
    QTest::addColumn<QString>("value");
    QTest::newRow("empty") << QString();
    QTest::newRow("ascii") << u"hello world"_s;
    QTest::newRow("quotes and backslashes") << u"say \"hi\" \\ bye \\\""_s;
    QTest::newRow("every control character") << []() -> QString {
        QString s;
        for (char16_t c = 0; c < 0x20; ++c)
            s += QChar(c);
        return s + QChar(0x7f);
    }();
    QTest::newRow("two-byte utf-8") << u"Grüße, ñandú, Ωμέγα"_s;
    QTest::newRow("three-byte utf-8") << u"日本語のテキスト €"_s;
    QTest::newRow("surrogate pairs") << u"emoji 😀 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢"_s;
    QTest::newRow("line and paragraph separators") << QString(u"a\u2028b\u2029c"_s);
    QTest::newRow("html-looking text") << u"</script><b>&amp;</b>"_s;
}

void TestJsonText::stringsRoundTrip()
{
    QFETCH(QString, value);
    const QByteArray text = stringText(value);
    QCOMPARE(parsed(text), QJsonValue(value));
    // Byte for byte what Qt's own writer produces for a string.
    const QByteArray qt = QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact);
    QCOMPARE(text, qt.mid(1, qt.size() - 2));
}

void TestJsonText::escapesExactly_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("newline") << u"a\nb"_s << QByteArray(R"("a\nb")");
    QTest::newRow("tab and return") << u"\t\r"_s << QByteArray(R"("\t\r")");
    QTest::newRow("backspace and form feed") << u"\b\f"_s << QByteArray(R"("\b\f")");
    QTest::newRow("other control") << QString(QChar(0x01)) << QByteArray(R"("\u0001")");
    QTest::newRow("unit separator") << QString(QChar(0x1f)) << QByteArray(R"("\u001f")");
    QTest::newRow("quote") << u"\""_s << QByteArray(R"("\"")");
    QTest::newRow("slash is left alone") << u"a/b"_s << QByteArray(R"("a/b")");
    QTest::newRow("e acute as utf-8") << u"é"_s << QByteArray("\"\xc3\xa9\"");
    QTest::newRow("emoji as four bytes") << u"😀"_s << QByteArray("\"\xf0\x9f\x98\x80\"");
}

void TestJsonText::escapesExactly()
{
    QFETCH(QString, value);
    QFETCH(QByteArray, text);
    QCOMPARE(stringText(value), text);
}

void TestJsonText::loneSurrogatesBecomeReplacementCharacters()
{
    const QString high = u"a"_s + QChar(0xd83d) + u"b"_s;
    const QString low = QString(QChar(0xde00)) + u"c"_s;
    const QString reversed = QString(QChar(0xde00)) + QChar(0xd83d);
    const QString atEnd = u"x"_s + QChar(0xd83d);
    for (const QString &s : { high, low, reversed, atEnd }) {
        const QByteArray text = stringText(s);
        QCOMPARE(text.mid(1, text.size() - 2), withReplacementCharacters(s).toUtf8());
        QVERIFY(text.contains("\xef\xbf\xbd"));
        QCOMPARE(parsed(text).toString(), withReplacementCharacters(s));
    }
}

void TestJsonText::randomStringsRoundTrip()
{
    // Random UTF-16 including controls, surrogate pairs and lone halves:
    // the text must always parse, lone halves read back as U+FFFD.
    QRandomGenerator random(20261130);
    for (int round = 0; round < 2000; ++round) {
        QString s;
        const int length = int(random.bounded(40));
        for (int i = 0; i < length; ++i) {
            switch (random.bounded(5)) {
            case 0:
                s += QChar(char16_t(random.bounded(0x20)));
                break;
            case 1:
                s += QChar(char16_t(0x20 + random.bounded(0x60)));
                break;
            case 2:
                s += QChar(char16_t(0x80 + random.bounded(0xd800 - 0x80)));
                break;
            case 3:
                s += QChar(char16_t(0xd800 + random.bounded(0x800)));
                break;
            default:
                s += QChar(char16_t(0xe000 + random.bounded(0x2000)));
                break;
            }
        }
        const QByteArray text = stringText(s);
        const QJsonValue value = parsed(text);
        QVERIFY2(value.isString(), text.toHex().constData());
        QCOMPARE(value.toString(), withReplacementCharacters(s));
    }
}

void TestJsonText::latin1StringsAreUtf8()
{
    JsonText out;
    out.string(QLatin1StringView("caf\xe9 \"x\"\n"));
    QCOMPARE(out.text(), QByteArray("\"caf\xc3\xa9 \\\"x\\\"\\n\""));
}

void TestJsonText::integersAtTheLimits()
{
    const qint64 values[] = { 0,
                              1,
                              -1,
                              42,
                              -9007199254740993LL,
                              std::numeric_limits<qint64>::max(),
                              std::numeric_limits<qint64>::min() };
    for (qint64 value : values) {
        JsonText out;
        out.integer(value);
        QCOMPARE(out.text(), QByteArray::number(value));
    }
}

void TestJsonText::commasInNestedStructures()
{
    JsonText out;
    out.beginObject();
    out.key("a"_L1)
        .beginArray()
        .integer(1)
        .beginObject()
        .endObject()
        .beginArray()
        .endArray()
        .null()
        .endArray();
    out.key("b"_L1).beginObject().key("c"_L1).boolean(true).key("d"_L1).boolean(false).endObject();
    out.key("e"_L1).string(u"f"_s);
    out.endObject();
    QCOMPARE(out.text(), QByteArray(R"({"a":[1,{},[],null],"b":{"c":true,"d":false},"e":"f"})"));
    QVERIFY(parsed(out.text()).isObject());
}

void TestJsonText::freeFormValues()
{
    const QJsonObject object { { u"n"_s, 1.5 }, { u"list"_s, QJsonArray { 1, u"two"_s } } };
    JsonText out;
    out.beginArray()
        .value(object)
        .value(QJsonValue(7.0))
        .value(QJsonValue(0.25))
        .value(QJsonValue(u"s"_s))
        .value(QJsonValue())
        .endArray();
    const QJsonArray back = parsed(out.text()).toArray();
    QCOMPARE(back, (QJsonArray { object, 7, 0.25, u"s"_s, QJsonValue() }));
    QVERIFY(out.text().contains(",7,"));
}

void TestJsonText::domainObjectsMatchTheirJsonObjects()
{
    Conversation c;
    c.id = u"c1"_s;
    c.title = u"Tab\there \"quoted\" 😀"_s;
    c.model = u"demo"_s;
    c.tags = QStringList { u"a"_s, u"b\n"_s };
    c.createdAt = QDateTime::fromMSecsSinceEpoch(1764547200123, Qt::UTC);
    c.updatedAt = c.createdAt;
    const QJsonObject viaText = QJsonDocument::fromJson(toJsonText(c)).object();
    QCOMPARE(viaText.value("title"_L1).toString(), c.title);
    QCOMPARE(viaText.value("folder_id"_L1), QJsonValue(QJsonValue::Null));
    QCOMPARE(viaText.value("last_message_at"_L1), QJsonValue(QJsonValue::Null));
    QCOMPARE(viaText.value("created_at"_L1).toString(), u"2025-12-01T00:00:00.123Z"_s);
    QCOMPARE(viaText.value("tags"_L1).toArray(), (QJsonArray { u"a"_s, u"b\n"_s }));
    const auto back = Conversation::fromJson(viaText);
    QVERIFY(back);
    QCOMPARE(*back, c);

    Message m;
    m.id = u"m1"_s;
    m.conversationId = u"c1"_s;
    m.role = Message::Role::Assistant;
    m.status = Message::Status::Error;
    m.content = { ContentPart::fromText(u"partial \\ answer"_s) };
    m.error = ApiError { u"provider_error"_s, u"upstream said \"no\""_s, 30 };
    m.usage = Usage { 10, 20, 0, true, 123 };
    m.model = u"demo"_s;
    m.siblingCount = 2;
    m.siblingIndex = 1;
    m.createdAt = c.createdAt;
    m.timeToFirstTokenMs = 21;
    const QJsonObject message = QJsonDocument::fromJson(toJsonText(m)).object();
    QCOMPARE(message.value("error"_L1).toObject().value("retry_after"_L1).toInt(), 30);
    QCOMPARE(message.value("total_time_ms"_L1), QJsonValue(QJsonValue::Null));
    const auto messageBack = Message::fromJson(message);
    QVERIFY(messageBack);
    QCOMPARE(*messageBack, m);
}

QTEST_GUILESS_MAIN(TestJsonText)
#include "tst_jsontext.moc"
