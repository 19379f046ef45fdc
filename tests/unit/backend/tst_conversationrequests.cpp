// The reading rules of the conversation routes' bodies and query strings.
#include "contract/errorcodes.h"
#include "conversations/conversationrequests.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace parlance;

namespace {

QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

} // namespace

class TestConversationRequests : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void draftReadsKnownFieldsAndIgnoresOthers()
    {
        const auto d = requests::conversationDraft(json(
            R"({"title":"T","model":"m","system_prompt":"s","folder_id":"f","tags":["a"],"extra":1})"));
        QVERIFY(d.ok());
        QCOMPARE(d->title, u"T"_s);
        QCOMPARE(d->folderId, u"f"_s);
        QCOMPARE(d->tags, QStringList { u"a"_s });
        QVERIFY(requests::conversationDraft(QJsonObject {}).ok());
    }

    void patchDistinguishesAbsentNullAndValue()
    {
        const auto absent = requests::conversationChanges(json(R"({"title":"x"})"));
        QVERIFY(absent.ok());
        QVERIFY(!absent->patch.folderId);
        QVERIFY(!absent->patch.pinned);
        QCOMPARE(absent->patch.title, std::optional(u"x"_s));
        const auto cleared =
            requests::conversationChanges(json(R"({"folder_id":null,"pinned":null})"));
        QVERIFY(cleared.ok());
        QCOMPARE(cleared->patch.folderId, std::optional(QString()));
        QVERIFY(!cleared->patch.pinned); // null means "unchanged" for non-nullable fields
        const auto select = requests::conversationChanges(json(R"({"selected_message_id":"m1"})"));
        QCOMPARE(select->selectedMessageId, std::optional(u"m1"_s));
    }

    void wrongTypesNameTheField_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        QTest::newRow("title number") << QByteArray(R"({"title":5})") << u"\"title\""_s;
        QTest::newRow("pinned string") << QByteArray(R"({"pinned":"yes"})") << u"\"pinned\""_s;
        QTest::newRow("archived number") << QByteArray(R"({"archived":1})") << u"\"archived\""_s;
        QTest::newRow("tags not array") << QByteArray(R"({"tags":"a"})") << u"\"tags\""_s;
        QTest::newRow("tag not string") << QByteArray(R"({"tags":["a",2]})") << u"\"tags[1]\""_s;
        QTest::newRow("folder empty") << QByteArray(R"({"folder_id":""})") << u"\"folder_id\""_s;
        QTest::newRow("folder object") << QByteArray(R"({"folder_id":{}})") << u"\"folder_id\""_s;
        QTest::newRow("selection null")
            << QByteArray(R"({"selected_message_id":null})") << u"\"selected_message_id\""_s;
    }

    void wrongTypesNameTheField()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        const auto changes = requests::conversationChanges(QJsonDocument::fromJson(body).object());
        QVERIFY(!changes.ok());
        QCOMPARE(changes.error().code, QString(errc::InvalidField));
        QVERIFY2(changes.error().message.contains(field), qPrintable(changes.error().message));
    }

    void messageDraftParentRules()
    {
        const auto cont =
            requests::messageDraft(json(R"({"content":[{"type":"text","text":"hi"}]})"));
        QVERIFY(cont.ok());
        QCOMPARE(cont->parent, NewMessage::Parent::SelectedLeaf);
        QCOMPARE(cont->content.size(), 1);
        const auto root = requests::messageDraft(
            json(R"({"parent_id":null,"content":[{"type":"text","text":"a"}]})"));
        QCOMPARE(root->parent, NewMessage::Parent::Root);
        const auto under = requests::messageDraft(
            json(R"({"parent_id":"p","content":[{"type":"text","text":"a"}]})"));
        QCOMPARE(under->parent, NewMessage::Parent::Id);
        QCOMPARE(under->parentId, u"p"_s);
        const auto missing = requests::messageDraft(json(R"({})"));
        QCOMPARE(missing.error().code, QString(errc::MissingField));
        const auto badPart = requests::messageDraft(
            json(R"({"content":[{"type":"text","text":"a"},{"type":"video"}]})"));
        QCOMPARE(badPart.error().code, QString(errc::InvalidField));
        QVERIFY(badPart.error().message.contains(u"\"content[1].type\""_s));
    }

    void folderBodies()
    {
        QCOMPARE(requests::newFolder(json(R"({})")).error().code, QString(errc::MissingField));
        const auto nested = requests::newFolder(json(R"({"name":"n","parent_id":"p"})"));
        QCOMPARE(nested->second, u"p"_s);
        const auto move = requests::folderPatch(json(R"({"parent_id":null})"));
        QCOMPARE(move->parentId, std::optional(QString()));
        QVERIFY(!move->name);
    }

    void listQuery()
    {
        const auto filter = requests::conversationFilter(QUrlQuery(
            u"limit=20&folder=none&tag=Work&pinned=true&archived=false&model=m&from=2026-01-01T00:00:00Z&deleted=true"_s));
        QVERIFY(filter.ok());
        QCOMPARE(filter->limit, 20);
        QCOMPARE(filter->folder, ConversationFilter::Folder::None);
        QCOMPARE(filter->tag, u"Work"_s);
        QCOMPARE(filter->pinned, std::optional(true));
        QCOMPARE(filter->archived, std::optional(false));
        QVERIFY(filter->deleted);
        QCOMPARE(filter->activeFrom, QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC));
        const auto defaults = requests::conversationFilter(QUrlQuery());
        QCOMPARE(defaults->limit, 50);
        QCOMPARE(defaults->folder, ConversationFilter::Folder::Any);
    }

    void badListQueries_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("field");
        QTest::newRow("limit 0") << u"limit=0"_s << u"\"limit\""_s;
        QTest::newRow("limit 201") << u"limit=201"_s << u"\"limit\""_s;
        QTest::newRow("limit text") << u"limit=ten"_s << u"\"limit\""_s;
        QTest::newRow("cursor") << u"cursor=abc"_s << u"\"cursor\""_s;
        QTest::newRow("pinned") << u"pinned=maybe"_s << u"\"pinned\""_s;
        QTest::newRow("from without zone") << u"from=2026-01-01T00:00:00"_s << u"\"from\""_s;
        QTest::newRow("empty folder") << u"folder="_s << u"\"folder\""_s;
        QTest::newRow("deleted") << u"deleted=y"_s << u"\"deleted\""_s;
    }

    void badListQueries()
    {
        QFETCH(QString, query);
        QFETCH(QString, field);
        const auto filter = requests::conversationFilter(QUrlQuery(query));
        QVERIFY(!filter.ok());
        QCOMPARE(filter.error().code, QString(errc::InvalidField));
        QVERIFY2(filter.error().message.contains(field), qPrintable(filter.error().message));
    }

    void messageQuery()
    {
        const auto q = requests::pathQuery(QUrlQuery(u"before=m1&limit=10"_s));
        QCOMPARE(q->before, u"m1"_s);
        QCOMPARE(q->limit, 10);
        QVERIFY(!requests::pathQuery(QUrlQuery(u"before=a&after=b"_s)).ok());
        QVERIFY(!requests::pathQuery(QUrlQuery(u"after="_s)).ok());
    }
};

QTEST_GUILESS_MAIN(TestConversationRequests)
#include "tst_conversationrequests.moc"
