// ConversationRepository on SQLite and PostgreSQL: create/get, keyset
// pagination, every list filter, patch semantics, soft delete, restore and
// purge with an injected clock, tag counts, and isolation between users.
#include "contract/errorcodes.h"
#include "conversations/conversationrepository.h"
#include "conversations/conversationrules.h"
#include "conversations/folderrepository.h"
#include "conversations/messagerepository.h"
#include "storage/sql.h"
#include "testdatabase.h"
#include "tst_conversationfixture.h"

#include <QSet>

using namespace Qt::StringLiterals;
using namespace parlance;
using parlance::test::ConversationFixture;

namespace {

NewConversation draft(const QString &title, const QString &model = u"gpt-4o"_s)
{
    NewConversation d;
    d.title = title;
    d.model = model;
    return d;
}

QStringList titles(const QList<Conversation> &conversations)
{
    QStringList out;
    for (const Conversation &c : conversations)
        out.append(c.title);
    return out;
}

qint64 countRows(Database &db, const QString &statement, const QVariantList &values)
{
    auto conn = db.connection();
    if (!conn)
        return -1;
    auto q = sql::exec(*conn, statement, values);
    if (!q || !q.value().next())
        return -1;
    return q->value(0).toLongLong();
}

} // namespace

class TestConversationRepository : public QObject
{
    Q_OBJECT

private:
    ConversationFixture f;
    ConversationRepository repo() { return ConversationRepository(f.database(), f.clock()); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(f.open()); }
    void cleanupTestCase() { f.close(); }
    void init() { PARLANCE_VERIFY_OK(f.reset()); }

    void createThenGetReturnsTheSame()
    {
        FolderRepository folders(f.database(), f.clock());
        const auto folder = folders.create(f.alice(), u"Work"_s);
        PARLANCE_VERIFY_OK(folder);
        NewConversation d = draft(u"Plan"_s);
        d.systemPrompt = u"Be brief."_s;
        d.folderId = folder->id;
        d.tags = { u"a"_s, u"b"_s };
        const auto created = repo().create(f.alice(), d);
        PARLANCE_VERIFY_OK(created);
        QCOMPARE(created->createdAt, f.now());
        QCOMPARE(created->updatedAt, f.now());
        QVERIFY(!created->lastMessageAt.isValid());
        QCOMPARE(created->messageCount, 0);
        const auto got = repo().get(f.alice(), created->id);
        PARLANCE_VERIFY_OK(got);
        QCOMPARE(got.value(), created.value());
        QCOMPARE(got->tags, (QStringList { u"a"_s, u"b"_s }));
        QCOMPARE(got->folderId, folder->id);
    }

    void createInAnotherUsersFolderIsNotFound()
    {
        const auto folder = FolderRepository(f.database(), f.clock()).create(f.bob(), u"Bob's"_s);
        PARLANCE_VERIFY_OK(folder);
        NewConversation d = draft(u"x"_s);
        d.folderId = folder->id;
        const auto created = repo().create(f.alice(), d);
        QVERIFY(!created.ok());
        QCOMPARE(created.error().code, QString(errc::NotFound));
        QCOMPARE(repo().list(f.alice(), {})->items.size(), 0);
    }

    void paginationHasNoGapsOrDuplicatesWhileRowsAreInserted_data()
    {
        QTest::addColumn<qint64>("stepMs");
        QTest::newRow("distinct activity times") << qint64(7);
        QTest::newRow("equal activity times (id breaks ties)") << qint64(0);
    }

    void paginationHasNoGapsOrDuplicatesWhileRowsAreInserted()
    {
        QFETCH(qint64, stepMs);
        QStringList expected;
        for (int i = 0; i < 23; ++i) {
            const auto c = repo().create(f.alice(), draft(u"c%1"_s.arg(i)));
            PARLANCE_VERIFY_OK(c);
            expected.prepend(c->id);
            f.advanceMs(stepMs);
        }
        if (stepMs == 0) {
            // Equal times: the order is by id, descending.
            std::sort(expected.begin(), expected.end(), std::greater<>());
        }
        QStringList seen;
        ConversationFilter filter;
        filter.limit = 5;
        int pages = 0;
        for (;;) {
            const auto page = repo().list(f.alice(), filter);
            PARLANCE_VERIFY_OK(page);
            QVERIFY(page->items.size() <= 5);
            for (const Conversation &c : page->items)
                seen.append(c.id);
            ++pages;
            // Someone starts new conversations between two page requests:
            // they sort before the cursor and must not shift later pages.
            f.advanceMs(1);
            PARLANCE_VERIFY_OK(repo().create(f.alice(), draft(u"new"_s)));
            if (page->nextCursor.isEmpty())
                break;
            auto cursor = ListCursor::decode(page->nextCursor);
            PARLANCE_VERIFY_OK(cursor);
            filter.after = *cursor;
        }
        QCOMPARE(pages, 5);
        QCOMPARE(seen, expected);
    }

    void listIsOrderedByLastActivity()
    {
        const auto older = repo().create(f.alice(), draft(u"older"_s));
        f.advanceMs(10);
        const auto newer = repo().create(f.alice(), draft(u"newer"_s));
        f.advanceMs(10);
        NewMessage m;
        m.parent = NewMessage::Parent::Root;
        m.content = { ContentPart::fromText(u"hi"_s) };
        PARLANCE_VERIFY_OK(
            MessageRepository(f.database(), f.clock()).append(f.alice(), older->id, m));
        const auto page = repo().list(f.alice(), {});
        PARLANCE_VERIFY_OK(page);
        QCOMPARE(titles(page->items), (QStringList { u"older"_s, u"newer"_s }));
        QCOMPARE(page->items.front().lastMessageAt, f.now());
        QCOMPARE(page->items.front().messageCount, 1);
    }

    void filters_data()
    {
        QTest::addColumn<QString>("filterName");
        QTest::addColumn<QStringList>("expected"); // titles, newest first
        QTest::newRow("none: archive and trash hidden")
            << u"none"_s << QStringList { u"f"_s, u"d"_s, u"c"_s, u"b"_s, u"a"_s };
        QTest::newRow("folder id") << u"folder"_s << QStringList { u"b"_s, u"a"_s };
        QTest::newRow("no folder") << u"nofolder"_s << QStringList { u"f"_s, u"d"_s, u"c"_s };
        QTest::newRow("tag") << u"tag"_s << QStringList { u"c"_s, u"a"_s };
        QTest::newRow("pinned") << u"pinned"_s << QStringList { u"b"_s };
        QTest::newRow("not pinned")
            << u"unpinned"_s << QStringList { u"f"_s, u"d"_s, u"c"_s, u"a"_s };
        QTest::newRow("archived only") << u"archived"_s << QStringList { u"e"_s };
        QTest::newRow("model") << u"model"_s << QStringList { u"d"_s, u"c"_s };
        QTest::newRow("active from (inclusive)")
            << u"from"_s << QStringList { u"f"_s, u"d"_s, u"c"_s };
        QTest::newRow("active to (exclusive)") << u"to"_s << QStringList { u"b"_s, u"a"_s };
        QTest::newRow("from and to") << u"fromto"_s << QStringList { u"c"_s };
        QTest::newRow("trash") << u"deleted"_s << QStringList { u"g"_s };
        QTest::newRow("tag and folder combined") << u"tagfolder"_s << QStringList { u"a"_s };
    }

    void filters()
    {
        QFETCH(QString, filterName);
        QFETCH(QStringList, expected);
        const auto folder = FolderRepository(f.database(), f.clock()).create(f.alice(), u"F"_s);
        PARLANCE_VERIFY_OK(folder);
        // a..g one second apart: a, b in the folder; a, c tagged "red";
        // b pinned; c, d on claude; e archived; g deleted.
        QHash<QString, QDateTime> at;
        for (const QString &title : { u"a"_s, u"b"_s, u"c"_s, u"d"_s, u"e"_s, u"f"_s, u"g"_s }) {
            NewConversation d =
                draft(title, title == u"c"_s || title == u"d"_s ? u"claude"_s : u"gpt-4o"_s);
            if (title == u"a"_s || title == u"b"_s)
                d.folderId = folder->id;
            if (title == u"a"_s || title == u"c"_s)
                d.tags = { u"red"_s };
            const auto c = repo().create(f.alice(), d);
            PARLANCE_VERIFY_OK(c);
            ConversationPatch p;
            if (title == u"b"_s)
                p.pinned = true;
            if (title == u"e"_s)
                p.archived = true;
            PARLANCE_VERIFY_OK(repo().update(f.alice(), c->id, p));
            if (title == u"g"_s)
                PARLANCE_VERIFY_OK(repo().softDelete(f.alice(), c->id));
            at.insert(title, f.now());
            f.advanceMs(1000);
        }
        // Bob's conversation matches every filter and must never show.
        NewConversation bobs = draft(u"bob"_s, u"claude"_s);
        bobs.tags = { u"red"_s };
        PARLANCE_VERIFY_OK(repo().create(f.bob(), bobs));

        ConversationFilter filter;
        if (filterName == u"folder"_s || filterName == u"tagfolder"_s) {
            filter.folder = ConversationFilter::Folder::Id;
            filter.folderId = folder->id;
        }
        if (filterName == u"nofolder"_s)
            filter.folder = ConversationFilter::Folder::None;
        if (filterName == u"tag"_s || filterName == u"tagfolder"_s)
            filter.tag = u"red"_s;
        if (filterName == u"pinned"_s)
            filter.pinned = true;
        if (filterName == u"unpinned"_s)
            filter.pinned = false;
        if (filterName == u"archived"_s)
            filter.archived = true;
        if (filterName == u"model"_s)
            filter.model = u"claude"_s;
        if (filterName == u"from"_s || filterName == u"fromto"_s)
            filter.activeFrom = at.value(u"c"_s);
        if (filterName == u"to"_s || filterName == u"fromto"_s)
            filter.activeTo = at.value(u"c"_s);
        if (filterName == u"fromto"_s)
            filter.activeTo = at.value(u"d"_s);
        if (filterName == u"deleted"_s)
            filter.deleted = true;
        const auto page = repo().list(f.alice(), filter);
        PARLANCE_VERIFY_OK(page);
        QCOMPARE(titles(page->items), expected);
    }

    void patchChangesOnlyWhatItNames()
    {
        const auto folder = FolderRepository(f.database(), f.clock()).create(f.alice(), u"F"_s);
        NewConversation d = draft(u"Title"_s);
        d.systemPrompt = u"prompt"_s;
        d.tags = { u"x"_s, u"y"_s };
        const auto created = repo().create(f.alice(), d);
        PARLANCE_VERIFY_OK(created);
        f.advanceMs(500);

        ConversationPatch p;
        p.pinned = true;
        p.tags = QStringList { u"z"_s };
        p.folderId = folder->id;
        const auto patched = repo().update(f.alice(), created->id, p);
        PARLANCE_VERIFY_OK(patched);
        Conversation expected = created.value();
        expected.pinned = true;
        expected.tags = { u"z"_s };
        expected.folderId = folder->id;
        expected.updatedAt = f.now();
        QCOMPARE(patched.value(), expected);

        ConversationPatch rest;
        rest.title = u"New"_s;
        rest.model = u"claude"_s;
        rest.systemPrompt = QString();
        rest.archived = true;
        rest.folderId = QString(); // out of the folder
        rest.tags = QStringList {};
        const auto again = repo().update(f.alice(), created->id, rest);
        PARLANCE_VERIFY_OK(again);
        QCOMPARE(again->title, u"New"_s);
        QCOMPARE(again->model, u"claude"_s);
        QCOMPARE(again->systemPrompt, QString());
        QVERIFY(again->archived);
        QVERIFY(again->pinned); // untouched
        QVERIFY(again->folderId.isEmpty());
        QVERIFY(again->tags.isEmpty());
        QCOMPARE(again->createdAt, created->createdAt);

        const auto unchanged = repo().update(f.alice(), created->id, ConversationPatch {});
        PARLANCE_VERIFY_OK(unchanged);
        QCOMPARE(unchanged->title, u"New"_s);
    }

    void softDeleteRestoreAndPurgeFollowTheRetention()
    {
        const auto kept = repo().create(f.alice(), draft(u"kept"_s));
        auto gone = repo().create(f.alice(), draft(u"gone"_s));
        NewConversation tagged = draft(u"gone"_s);
        tagged.tags = { u"t"_s };
        PARLANCE_VERIFY_OK(repo().update(f.alice(), gone->id,
                                         ConversationPatch { .tags = QStringList { u"t"_s } }));
        NewMessage m;
        m.content = { ContentPart::fromText(u"hi"_s) };
        PARLANCE_VERIFY_OK(
            MessageRepository(f.database(), f.clock()).append(f.alice(), gone->id, m));

        const QDateTime deletedAt = f.now();
        PARLANCE_VERIFY_OK(repo().softDelete(f.alice(), gone->id));
        QCOMPARE(repo().get(f.alice(), gone->id)->deletedAt, deletedAt);
        QCOMPARE(titles(repo().list(f.alice(), {})->items), QStringList { u"kept"_s });
        QCOMPARE(
            repo().update(f.alice(), gone->id, ConversationPatch { .pinned = true }).error().code,
            QString(errc::NotFound));
        QVERIFY(repo().tags(f.alice())->isEmpty()); // trashed tags do not count

        // Deleting again keeps the first deletion time.
        f.advanceDays(1);
        PARLANCE_VERIFY_OK(repo().softDelete(f.alice(), gone->id));
        QCOMPARE(repo().get(f.alice(), gone->id)->deletedAt, deletedAt);

        // Restore within retention.
        const auto restored = repo().restore(f.alice(), gone->id);
        PARLANCE_VERIFY_OK(restored);
        QVERIFY(!restored->isDeleted());
        QCOMPARE(restored->messageCount, 1);
        QCOMPARE(repo().list(f.alice(), {})->items.size(), 2);

        // Delete again; 29 days later still restorable and not purged.
        PARLANCE_VERIFY_OK(repo().softDelete(f.alice(), gone->id));
        f.advanceDays(29);
        QCOMPARE(repo().purgeExpired().value(), 0);
        QCOMPARE(repo().list(f.alice(), ConversationFilter { .deleted = true })->items.size(), 1);

        // Past 30 days: gone for the user, then purged with messages and tags.
        f.advanceDays(1);
        f.advanceMs(1);
        QCOMPARE(repo().get(f.alice(), gone->id).error().code, QString(errc::NotFound));
        QCOMPARE(repo().restore(f.alice(), gone->id).error().code, QString(errc::NotFound));
        QCOMPARE(repo().softDelete(f.alice(), gone->id).error().code, QString(errc::NotFound));
        QVERIFY(repo().list(f.alice(), ConversationFilter { .deleted = true })->items.isEmpty());
        QCOMPARE(repo().purgeExpired(1).value(), 1);
        QCOMPARE(countRows(f.database(),
                           u"SELECT COUNT(*) FROM messages WHERE conversation_id = ?"_s,
                           { gone->id }),
                 0);
        QCOMPARE(countRows(f.database(),
                           u"SELECT COUNT(*) FROM conversation_tags WHERE conversation_id = ?"_s,
                           { gone->id }),
                 0);
        QCOMPARE(countRows(f.database(), u"SELECT COUNT(*) FROM conversations"_s, {}), 1);
        PARLANCE_VERIFY_OK(repo().get(f.alice(), kept->id));
    }

    // The list and get read the tags as one column joined by line feeds
    // (conversations.tag_list): whatever a normalised tag holds comes back
    // as it went in, on both databases.
    void tagsWithAnyCharacterRoundTrip_data()
    {
        QTest::addColumn<QStringList>("raw");
        QTest::newRow("none") << QStringList {};
        QTest::newRow("one") << QStringList { u"work"_s };
        QTest::newRow("quotes, backslash and SQL-ish text")
            << QStringList { u"it's"_s,  u"\"quoted\""_s,  u"back\\slash"_s,
                             u"a,b;c"_s, u"100% _done_"_s, u"'); drop table x; --"_s };
        QTest::newRow("control characters that are not whitespace")
            << QStringList { u"unit\u001fsep"_s, u"rec\u001esep"_s, u"bell\u0007"_s, u"\u0001"_s };
        QTest::newRow("line breaks normalised to spaces")
            << QStringList { u"two\nlines"_s, u"\r\nx"_s };
        QTest::newRow("non-ASCII, emoji and private use")
            << QStringList { u"caf\u00e9"_s, u"\u65e5\u672c\u8a9e"_s, u"\U0001F600 smile"_s,
                             u"\ue000private"_s, u"\ufdd0\U0010FFFD"_s };
        // Not U+FFFE/U+FFFF: SQLite's UTF-8 decoder reads those back as
        // U+FFFD, whatever the query (a limit of the database, not of the
        // list encoding).
        QTest::newRow("longest tags, as many as allowed") << [] {
            QStringList many;
            for (int i = 0; i < 20; ++i)
                many.append(QString(49, QChar(u'a' + i)) + u'\u00e9');
            return many;
        }();
    }

    void tagsWithAnyCharacterRoundTrip()
    {
        QFETCH(QStringList, raw);
        const ConversationRules rules;
        const auto tags = rules.tags(raw);
        PARLANCE_VERIFY_OK(tags);
        NewConversation d = draft(u"tagged"_s);
        d.tags = *tags;
        const auto created = repo().create(f.alice(), d);
        PARLANCE_VERIFY_OK(created);
        // A neighbour without tags, and one with others, in the same list.
        f.advanceMs(1);
        PARLANCE_VERIFY_OK(repo().create(f.alice(), draft(u"plain"_s)));
        NewConversation other = draft(u"other"_s);
        other.tags = { u"other"_s };
        f.advanceMs(1);
        PARLANCE_VERIFY_OK(repo().create(f.alice(), other));

        QStringList expected = *tags;
        expected.sort();
        const auto got = repo().get(f.alice(), created->id);
        PARLANCE_VERIFY_OK(got);
        QStringList gotTags = got->tags;
        gotTags.sort();
        QCOMPARE(gotTags, expected);

        const auto page = repo().list(f.alice(), {});
        PARLANCE_VERIFY_OK(page);
        QCOMPARE(titles(page->items), (QStringList { u"other"_s, u"plain"_s, u"tagged"_s }));
        QCOMPARE(page->items.at(0).tags, QStringList { u"other"_s });
        QVERIFY(page->items.at(1).tags.isEmpty());
        // The same order from get and list: the database's order of tags.
        QCOMPARE(page->items.at(2).tags, got->tags);
    }

    void tagsAreCountedPerUser()
    {
        for (const QStringList &tags : { QStringList { u"a"_s, u"b"_s }, QStringList { u"a"_s } }) {
            NewConversation d = draft(u"t"_s);
            d.tags = tags;
            PARLANCE_VERIFY_OK(repo().create(f.alice(), d));
        }
        NewConversation bobs = draft(u"b"_s);
        bobs.tags = { u"a"_s, u"c"_s };
        PARLANCE_VERIFY_OK(repo().create(f.bob(), bobs));
        const auto tags = repo().tags(f.alice());
        PARLANCE_VERIFY_OK(tags);
        QCOMPARE(tags.value(), (QList<TagCount> { { u"a"_s, 2 }, { u"b"_s, 1 } }));
    }

    void anotherUsersConversationIsIndistinguishableFromMissing_data()
    {
        QTest::addColumn<QString>("operation");
        for (const char *op : { "get", "update", "softDelete", "restore" })
            QTest::newRow(op) << QString::fromLatin1(op);
    }

    void anotherUsersConversationIsIndistinguishableFromMissing()
    {
        QFETCH(QString, operation);
        NewConversation d = draft(u"Alice's"_s);
        d.tags = { u"secret"_s };
        const auto alices = repo().create(f.alice(), d);
        PARLANCE_VERIFY_OK(alices);
        if (operation == u"restore"_s)
            PARLANCE_VERIFY_OK(repo().softDelete(f.alice(), alices->id));
        const Conversation before = repo().get(f.alice(), alices->id).value();

        const auto run = [&](const QString &id) -> ApiError {
            if (operation == u"get"_s)
                return repo().get(f.bob(), id).error();
            if (operation == u"update"_s)
                return repo()
                    .update(f.bob(), id,
                            ConversationPatch { .title = u"mine"_s, .tags = QStringList {} })
                    .error();
            if (operation == u"softDelete"_s)
                return repo().softDelete(f.bob(), id).error();
            return repo().restore(f.bob(), id).error();
        };
        const ApiError foreign = run(alices->id);
        const ApiError missing = run(sql::newId());
        QCOMPARE(foreign.code, QString(errc::NotFound));
        QCOMPARE(foreign, missing);
        QCOMPARE(repo().get(f.alice(), alices->id).value(), before);
        QVERIFY(repo().list(f.bob(), {})->items.isEmpty());
        QVERIFY(repo().list(f.bob(), ConversationFilter { .deleted = true })->items.isEmpty());
        QVERIFY(repo().tags(f.bob())->isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestConversationRepository)
#include "tst_conversationrepository.moc"
