#include "contract/errorcodes.h"
#include "conversations/conversationrules.h"
#include "conversations/listcursor.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace parlance;

class TestConversationRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void titleIsTrimmedAndSingleLine();
    void titleTooLongNamesTheField();
    void emptyModelFallsBackToDefault();
    void emptyModelWithoutDefaultIsInvalid();
    void whitespaceSystemPromptMeansNone();
    void systemPromptTooLongIsInvalid();
    void folderNameIsSimplifiedAndRequired();
    void tagsAreNormalised_data();
    void tagsAreNormalised();
    void badTagNamesItsIndex();
    void tooManyTagsAfterDeduplication();
    void contentRules_data();
    void contentRules();
    void cursorRoundTrips();
    void foreignCursorsAreRefused_data();
    void foreignCursorsAreRefused();
};

void TestConversationRules::titleIsTrimmedAndSingleLine()
{
    const ConversationRules rules;
    QCOMPARE(rules.title(u"  Trip\nplanning\t "_s).value(), u"Trip planning"_s);
    QCOMPARE(rules.title(QString()).value(), QString());
}

void TestConversationRules::titleTooLongNamesTheField()
{
    const ConversationRules rules(ConversationLimits { .maxTitleChars = 5 });
    QVERIFY(rules.title(u"12345"_s).ok());
    const auto tooLong = rules.title(u"123456"_s);
    QVERIFY(!tooLong.ok());
    QCOMPARE(tooLong.error().code, QString(errc::InvalidField));
    QVERIFY(tooLong.error().message.contains(u"\"title\""_s));
}

void TestConversationRules::emptyModelFallsBackToDefault()
{
    const ConversationRules rules({}, u"gpt-4o"_s);
    QCOMPARE(rules.model(u"  "_s).value(), u"gpt-4o"_s);
    QCOMPARE(rules.model(u" claude-sonnet "_s).value(), u"claude-sonnet"_s);
}

void TestConversationRules::emptyModelWithoutDefaultIsInvalid()
{
    const ConversationRules rules;
    const auto model = rules.model(QString());
    QVERIFY(!model.ok());
    QVERIFY(model.error().message.contains(u"\"model\""_s));
}

void TestConversationRules::whitespaceSystemPromptMeansNone()
{
    const ConversationRules rules;
    QCOMPARE(rules.systemPrompt(u" \n "_s).value(), QString());
    QCOMPARE(rules.systemPrompt(u"  Be brief."_s).value(), u"  Be brief."_s);
}

void TestConversationRules::systemPromptTooLongIsInvalid()
{
    const ConversationRules rules(ConversationLimits { .maxSystemPromptChars = 4 });
    const auto prompt = rules.systemPrompt(u"12345"_s);
    QVERIFY(!prompt.ok());
    QVERIFY(prompt.error().message.contains(u"\"system_prompt\""_s));
}

void TestConversationRules::folderNameIsSimplifiedAndRequired()
{
    const ConversationRules rules;
    QCOMPARE(rules.folderName(u"  Work   stuff "_s).value(), u"Work stuff"_s);
    QVERIFY(!rules.folderName(u"   "_s).ok());
}

void TestConversationRules::tagsAreNormalised_data()
{
    QTest::addColumn<QStringList>("input");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("lower-cased and trimmed")
        << QStringList { u" Work "_s } << QStringList { u"work"_s };
    QTest::newRow("inner whitespace collapsed")
        << QStringList { u"road \t trip"_s } << QStringList { u"road trip"_s };
    QTest::newRow("duplicates after normalising dropped")
        << QStringList { u"Work"_s, u"work"_s, u"WORK "_s } << QStringList { u"work"_s };
    QTest::newRow("sorted") << QStringList { u"b"_s, u"a"_s } << QStringList { u"a"_s, u"b"_s };
    QTest::newRow("composed and decomposed accents are one tag")
        << QStringList { u"caf\u00e9"_s, u"cafe\u0301"_s } << QStringList { u"caf\u00e9"_s };
    // The list reads a conversation's tags joined by line feeds
    // (conversations.tag_list), so no tag may keep one.
    QTest::newRow("line breaks become spaces")
        << QStringList { u"a\nb"_s, u"c\r\n\u2028d"_s, u"\ne\n"_s }
        << QStringList { u"a b"_s, u"c d"_s, u"e"_s };
    QTest::newRow("empty set") << QStringList {} << QStringList {};
}

void TestConversationRules::tagsAreNormalised()
{
    QFETCH(QStringList, input);
    QFETCH(QStringList, expected);
    const ConversationRules rules;
    const auto tags = rules.tags(input);
    QVERIFY2(tags.ok(), qPrintable(tags.ok() ? QString() : tags.error().message));
    QCOMPARE(tags.value(), expected);
}

void TestConversationRules::badTagNamesItsIndex()
{
    const ConversationRules rules(ConversationLimits { .maxTagChars = 3 });
    const auto empty = rules.tags({ u"ok"_s, u"  "_s });
    QVERIFY(!empty.ok());
    QVERIFY(empty.error().message.contains(u"\"tags[1]\""_s));
    const auto long_ = rules.tags({ u"long"_s });
    QVERIFY(!long_.ok());
    QVERIFY(long_.error().message.contains(u"\"tags[0]\""_s));
}

void TestConversationRules::tooManyTagsAfterDeduplication()
{
    const ConversationRules rules(ConversationLimits { .maxTags = 2 });
    QVERIFY(rules.tags({ u"a"_s, u"A"_s, u"b"_s }).ok());
    const auto many = rules.tags({ u"a"_s, u"b"_s, u"c"_s });
    QVERIFY(!many.ok());
    QVERIFY(many.error().message.contains(u"\"tags\""_s));
}

void TestConversationRules::contentRules_data()
{
    QTest::addColumn<QList<ContentPart>>("content");
    QTest::addColumn<QString>("errorField"); // Empty: valid.
    QTest::newRow("text") << QList { ContentPart::fromText(u"Hi"_s) } << QString();
    QTest::newRow("file only") << QList { ContentPart::fromFile(u"f1"_s, u"image/png"_s,
                                                                u"a.png"_s) }
                               << QString();
    QTest::newRow("no parts") << QList<ContentPart> {} << u"\"content\""_s;
    QTest::newRow("only blank text")
        << QList { ContentPart::fromText(u" \n"_s) } << u"\"content\""_s;
    QTest::newRow("file without id")
        << QList { ContentPart::fromText(u"see"_s), ContentPart::fromFile({}, u"image/png"_s, {}) }
        << u"\"content[1].file_id\""_s;
    QTest::newRow("text too long")
        << QList { ContentPart::fromText(QString(11, u'x')) } << u"\"content\""_s;
}

void TestConversationRules::contentRules()
{
    QFETCH(QList<ContentPart>, content);
    QFETCH(QString, errorField);
    const ConversationRules rules(ConversationLimits { .maxMessageChars = 10 });
    const Status status = rules.content(content);
    if (errorField.isEmpty()) {
        QVERIFY(status.ok());
    } else {
        QVERIFY(!status.ok());
        QCOMPARE(status.error().code, QString(errc::InvalidField));
        QVERIFY2(status.error().message.contains(errorField), qPrintable(status.error().message));
    }
}

void TestConversationRules::cursorRoundTrips()
{
    const ListCursor cursor { QDateTime::fromMSecsSinceEpoch(1764072000123, Qt::UTC),
                              u"0192f0e0-aaaa-7bbb-8ccc-0123456789ab"_s };
    const QString text = cursor.encode();
    QVERIFY(!text.contains(u':')); // Opaque: not the raw fields.
    const auto decoded = ListCursor::decode(text);
    QVERIFY(decoded.ok());
    QCOMPARE(decoded.value(), cursor);
}

void TestConversationRules::foreignCursorsAreRefused_data()
{
    QTest::addColumn<QString>("text");
    const auto b64 = [](const char *raw) {
        return QString::fromLatin1(QByteArray(raw).toBase64(QByteArray::Base64UrlEncoding
                                                            | QByteArray::OmitTrailingEquals));
    };
    QTest::newRow("empty") << QString();
    QTest::newRow("not base64url") << u"***"_s;
    QTest::newRow("no version") << b64("1764072000123:abc");
    QTest::newRow("other version") << b64("v2:1764072000123:abc");
    QTest::newRow("time not a number") << b64("v1:soon:abc");
    QTest::newRow("negative time") << b64("v1:-5:abc");
    QTest::newRow("no id") << b64("v1:1764072000123:");
    QTest::newRow("no separator") << b64("v1:1764072000123");
    QTest::newRow("huge") << QString(600, u'A');
}

void TestConversationRules::foreignCursorsAreRefused()
{
    QFETCH(QString, text);
    const auto decoded = ListCursor::decode(text);
    QVERIFY(!decoded.ok());
    QCOMPARE(decoded.error().code, QString(errc::InvalidField));
    QVERIFY(decoded.error().message.contains(u"\"cursor\""_s));
}

QTEST_GUILESS_MAIN(TestConversationRules)
#include "tst_conversationrules.moc"
