#include "cache/localcache.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using parlance::Conversation;
using parlance::Message;
using parlance::client::LocalCache;

namespace {

Conversation conversation(const QString &id, const QString &title)
{
    Conversation c;
    c.id = id;
    c.title = title;
    c.model = u"echo"_s;
    c.createdAt = QDateTime(QDate(2026, 11, 1), QTime(10, 0), Qt::UTC);
    c.updatedAt = c.createdAt;
    return c;
}

Message message(const QString &id, const QString &text,
                Message::Status status = Message::Status::Complete)
{
    Message m;
    m.id = id;
    m.conversationId = u"c1"_s;
    m.role = Message::Role::Assistant;
    m.status = status;
    m.appendText(text);
    m.createdAt = QDateTime(QDate(2026, 11, 1), QTime(10, 0), Qt::UTC);
    return m;
}

} // namespace

class TestLocalCache : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void conversationsSurviveAReopenInOrder()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"cache.sqlite"_s);
        {
            LocalCache cache;
            QVERIFY(cache.open(path));
            Conversation archived = conversation(u"c3"_s, u"Archived"_s);
            archived.archived = true;
            QVERIFY(cache.saveConversations({ conversation(u"c2"_s, u"Newest"_s),
                                              conversation(u"c1"_s, u"Older"_s), archived }));
        }
        LocalCache cache;
        QVERIFY(cache.open(path));
        const auto cached = cache.conversations();
        QCOMPARE(cached.size(), 2);
        QCOMPARE(cached.at(0).title, u"Newest"_s);
        QCOMPARE(cached.at(1), conversation(u"c1"_s, u"Older"_s));
    }

    void upsertUpdatesAddsAndDropsDeleted()
    {
        QTemporaryDir dir;
        LocalCache cache;
        QVERIFY(cache.open(dir.filePath(u"cache.sqlite"_s)));
        QVERIFY(cache.saveConversations({ conversation(u"c1"_s, u"One"_s) }));
        QVERIFY(cache.upsertConversation(conversation(u"c1"_s, u"Renamed"_s)));
        QVERIFY(cache.upsertConversation(conversation(u"c2"_s, u"New"_s)));
        auto cached = cache.conversations();
        QCOMPARE(cached.size(), 2);
        QCOMPARE(cached.at(0).title, u"New"_s);
        QCOMPARE(cached.at(1).title, u"Renamed"_s);
        Conversation deleted = conversation(u"c1"_s, u"Renamed"_s);
        deleted.deletedAt = QDateTime::currentDateTimeUtc();
        QVERIFY(cache.upsertConversation(deleted));
        QCOMPARE(cache.conversations().size(), 1);
    }

    void messagesKeepOnlyStoredFinalOnes()
    {
        QTemporaryDir dir;
        LocalCache cache;
        QVERIFY(cache.open(dir.filePath(u"cache.sqlite"_s)));
        Message local = message(u"local:1"_s, u"not yet stored"_s);
        QVERIFY(
            cache.saveMessages(u"c1"_s,
                               { message(u"m1"_s, u"one"_s), message(u"m2"_s, u"two"_s),
                                 message(u"m3"_s, u"half"_s, Message::Status::Streaming), local }));
        const auto cached = cache.messages(u"c1"_s);
        QCOMPARE(cached.size(), 2);
        QCOMPARE(cached.at(0), message(u"m1"_s, u"one"_s));
        QCOMPARE(cached.at(1).plainText(), u"two"_s);
        QVERIFY(cache.messages(u"other"_s).isEmpty());

        // A save replaces the conversation's messages.
        QVERIFY(cache.saveMessages(u"c1"_s, { message(u"m9"_s, u"nine"_s) }));
        QCOMPARE(cache.messages(u"c1"_s).size(), 1);
    }

    void keepsTheNewestMessagesOfRecentConversationsOnly()
    {
        QTemporaryDir dir;
        LocalCache cache;
        QVERIFY(cache.open(dir.filePath(u"cache.sqlite"_s)));
        QList<Message> many;
        for (int i = 0; i < LocalCache::MaxMessagesPerConversation + 20; ++i)
            many.append(message(u"m%1"_s.arg(i), QString::number(i)));
        QVERIFY(cache.saveMessages(u"c1"_s, many));
        const auto cached = cache.messages(u"c1"_s);
        QCOMPARE(cached.size(), LocalCache::MaxMessagesPerConversation);
        QCOMPARE(cached.last().plainText(), QString::number(many.size() - 1));

        for (int i = 0; i < LocalCache::MaxCachedConversationsWithMessages; ++i) {
            QTest::qWait(2); // distinct opened_at
            QVERIFY(cache.saveMessages(u"other%1"_s.arg(i), { message(u"x"_s, u"x"_s) }));
        }
        QVERIFY(cache.messages(u"c1"_s).isEmpty()); // the least recently opened went
        QCOMPARE(cache.messages(u"other0"_s).size(), 1);
    }

    void aCorruptFileIsReplaced()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"cache.sqlite"_s);
        QFile junk(path);
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write(QByteArray(4096, 'x'));
        junk.close();
        LocalCache cache;
        QVERIFY(cache.open(path));
        QVERIFY(cache.saveConversations({ conversation(u"c1"_s, u"One"_s) }));
        QCOMPARE(cache.conversations().size(), 1);
    }

    void clearForgetsEverything()
    {
        QTemporaryDir dir;
        LocalCache cache;
        QVERIFY(cache.open(dir.filePath(u"cache.sqlite"_s)));
        QVERIFY(cache.saveConversations({ conversation(u"c1"_s, u"One"_s) }));
        QVERIFY(cache.saveMessages(u"c1"_s, { message(u"m1"_s, u"one"_s) }));
        QVERIFY(cache.clear());
        QVERIFY(cache.conversations().isEmpty());
        QVERIFY(cache.messages(u"c1"_s).isEmpty());
    }

    void pathIsPerServerAndAccount()
    {
        const QString a = LocalCache::pathFor(u"/d"_s, u"http://a:8080"_s, u"u1"_s);
        QCOMPARE(a, LocalCache::pathFor(u"/d"_s, u"http://a:8080"_s, u"u1"_s));
        QVERIFY(a != LocalCache::pathFor(u"/d"_s, u"http://a:8080"_s, u"u2"_s));
        QVERIFY(a != LocalCache::pathFor(u"/d"_s, u"http://b:8080"_s, u"u1"_s));
        QVERIFY(a.startsWith(u"/d/cache/"_s));
    }

    void closedCacheIsANoOp()
    {
        LocalCache cache;
        QVERIFY(cache.saveConversations({ conversation(u"c1"_s, u"One"_s) }));
        QVERIFY(cache.conversations().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestLocalCache)
#include "tst_localcache.moc"
