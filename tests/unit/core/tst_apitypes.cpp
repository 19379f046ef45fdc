// The client's request and answer types (shared/api/apitypes.h): what they
// put on the wire and what they accept from it, without a server.
#include "api/apitypes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace parlance;
using namespace parlance::client;

namespace {

QJsonObject parse(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

const QByteArray messageJson =
    R"({"id":"m1","conversation_id":"c1","parent_id":null,"role":"user",
        "content":[{"type":"text","text":"hi"}],"status":"complete","model":"",
        "sibling_index":0,"sibling_count":1,"created_at":"2026-01-01T00:00:00Z"})";

} // namespace

class TestApiTypes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void conversationQueryWritesOnlyItsFilters_data()
    {
        QTest::addColumn<int>("row");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no filter") << 0 << QString();
        QTest::newRow("no folder, not pinned") << 1 << u"folder=none&pinned=false"_s;
        QTest::newRow("archived trash page")
            << 2 << u"archived=true&deleted=true&cursor=abc&limit=20"_s;
        QTest::newRow("tag and model") << 3 << u"tag=two words&model=gpt-4o"_s;
    }
    void conversationQueryWritesOnlyItsFilters()
    {
        QFETCH(int, row);
        QFETCH(QString, expected);
        ConversationQuery query;
        switch (row) {
        case 1:
            query.folderId = u"none"_s;
            query.pinned = false;
            break;
        case 2:
            query.archived = true;
            query.deleted = true;
            query.cursor = u"abc"_s;
            query.limit = 20;
            break;
        case 3:
            query.tag = u"two words"_s;
            query.model = u"gpt-4o"_s;
            break;
        default:
            break;
        }
        QCOMPARE(query.toUrlQuery().toString(QUrl::FullyDecoded), expected);
    }

    void messageWindowWritesBeforeAfterLimit()
    {
        QCOMPARE(MessageWindow {}.toUrlQuery().toString(), QString());
        MessageWindow window;
        window.before = u"m9"_s;
        window.limit = 30;
        QCOMPARE(window.toUrlQuery().toString(), u"before=m9&limit=30"_s);
    }

    void newConversationLeavesEmptyFieldsOut()
    {
        QCOMPARE(NewConversation {}.toJson(), QJsonObject());
        NewConversation fields;
        fields.model = u"echo"_s;
        fields.tags = { u"a"_s };
        QCOMPARE(fields.toJson(),
                 (QJsonObject { { u"model"_s, u"echo"_s }, { u"tags"_s, QJsonArray { u"a"_s } } }));
    }

    void conversationChangeSendsOnlySetFieldsAndNullForNoFolder()
    {
        QCOMPARE(ConversationChange {}.toJson(), QJsonObject());
        ConversationChange change;
        change.folderId = QString();
        change.pinned = false;
        change.selectedMessageId = u"m2"_s;
        const QJsonObject json = change.toJson();
        QCOMPARE(json.size(), 3);
        QVERIFY(json.value(u"folder_id"_s).isNull());
        QCOMPARE(json.value(u"pinned"_s), QJsonValue(false));
        QCOMPARE(json.value(u"selected_message_id"_s).toString(), u"m2"_s);
    }

    void startedAnswerReadsSendAndRegenerateAnswers()
    {
        const auto sent = StartedAnswer::fromJson(parse(
            R"({"message":)" + messageJson
            + R"(,"assistant_message_id":"a1","stream_url":"/api/v1/stream/a1","model":"echo"})"));
        QVERIFY2(sent.ok(), qPrintable(sent ? QString() : sent.error().message));
        QVERIFY(sent->userMessage);
        QCOMPARE(sent->userMessage->plainText(), u"hi"_s);
        QCOMPARE(sent->streamUrl, u"/api/v1/stream/a1"_s);

        const auto regenerated = StartedAnswer::fromJson(parse(
            R"({"assistant_message_id":"a2","stream_url":"/api/v1/stream/a2","model":"echo"})"));
        QVERIFY(regenerated.ok());
        QVERIFY(!regenerated->userMessage);

        const auto broken = StartedAnswer::fromJson(parse(R"({"stream_url":"/x","model":"m"})"));
        QVERIFY(!broken.ok());
        QVERIFY(broken.error().message.contains(u"assistant_message_id"_s));
    }

    void pagesReadTheirCursorsAndFlags()
    {
        const auto last =
            ConversationPage::fromJson(parse(R"({"conversations":[],"next_cursor":null})"));
        QVERIFY(last.ok());
        QVERIFY(!last->hasMore());
        const auto more =
            ConversationPage::fromJson(parse(R"({"conversations":[],"next_cursor":"n"})"));
        QVERIFY(more.ok());
        QCOMPARE(more->nextCursor, u"n"_s);

        const auto messages =
            MessagePage::fromJson(parse(R"({"messages":[)" + messageJson
                                        + R"(],"has_more_before":true,"has_more_after":false})"));
        QVERIFY2(messages.ok(), qPrintable(messages ? QString() : messages.error().message));
        QCOMPARE(messages->items.size(), 1);
        QVERIFY(messages->hasMoreBefore);
        QVERIFY(!messages->hasMoreAfter);
    }

    void authSessionNeedsBothTokens()
    {
        const QByteArray user =
            R"({"id":"u1","email":"a@example.com","display_name":"","role":"user","tier":"free",
                "disabled":false,"created_at":"2026-01-01T00:00:00Z"})";
        const auto ok = AuthSession::fromJson(
            parse(R"({"user":)" + user + R"(,"access_token":"at","refresh_token":"rt",
                                                        "expires_in":900})"));
        QVERIFY2(ok.ok(), qPrintable(ok ? QString() : ok.error().message));
        QCOMPARE(ok->expiresInSeconds, 900);
        QCOMPARE(ok->user.email, u"a@example.com"_s);
        const auto noRefresh =
            AuthSession::fromJson(parse(R"({"user":)" + user + R"(,"access_token":"at"})"));
        QVERIFY(!noRefresh.ok());
        QVERIFY(noRefresh.error().message.contains(u"refresh_token"_s));
    }
};

QTEST_GUILESS_MAIN(TestApiTypes)
#include "tst_apitypes.moc"
