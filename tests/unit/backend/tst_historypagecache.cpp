#include "conversations/historypagecache.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace parlance;

class TestHistoryPageCache : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyPartOfTheKeyCounts();
    void findsWhatWasInserted();
    void evictsLeastRecentlyUsedByBytes();
    void zeroSizeKeepsNothing();
    void bodyLargerThanTheCacheIsNotKept();
};

namespace {

const PathHead Head { u"leaf"_s, 4 };
const PathQuery Query { {}, {}, 50 };

QByteArray keyWith(const QString &user, const QString &conv, const PathHead &head,
                   const PathQuery &query)
{
    return HistoryPageCache::key(user, conv, head, query);
}

} // namespace

void TestHistoryPageCache::everyPartOfTheKeyCounts()
{
    const QByteArray base = keyWith(u"u"_s, u"c"_s, Head, Query);
    QCOMPARE(keyWith(u"u"_s, u"c"_s, Head, Query), base);
    const QList<QByteArray> others {
        keyWith(u"v"_s, u"c"_s, Head, Query),
        keyWith(u"u"_s, u"d"_s, Head, Query),
        keyWith(u"u"_s, u"c"_s, PathHead { u"other"_s, 4 }, Query),
        keyWith(u"u"_s, u"c"_s, PathHead { u"leaf"_s, 5 }, Query),
        keyWith(u"u"_s, u"c"_s, PathHead { {}, 4 }, Query),
        keyWith(u"u"_s, u"c"_s, Head, PathQuery { {}, {}, 49 }),
        keyWith(u"u"_s, u"c"_s, Head, PathQuery { u"m1"_s, {}, 50 }),
        keyWith(u"u"_s, u"c"_s, Head, PathQuery { {}, u"m1"_s, 50 }),
    };
    for (const QByteArray &other : others)
        QVERIFY2(other != base, other.constData());
    // before and after are distinct fields, not one string.
    QVERIFY(others.at(6) != others.at(7));
}

void TestHistoryPageCache::findsWhatWasInserted()
{
    HistoryPageCache cache(1024);
    const QByteArray key = keyWith(u"u"_s, u"c"_s, Head, Query);
    QVERIFY(!cache.find(key));
    cache.insert(key, "{\"messages\":[]}");
    QCOMPARE(cache.find(key), std::optional<QByteArray>("{\"messages\":[]}"));
    QCOMPARE(cache.hits(), 1);
    QCOMPARE(cache.misses(), 1);
    QCOMPARE(cache.bytes(), 15);
}

void TestHistoryPageCache::evictsLeastRecentlyUsedByBytes()
{
    HistoryPageCache cache(300);
    const auto key = [](int i) { return QByteArray::number(i); };
    for (int i = 0; i < 3; ++i)
        cache.insert(key(i), QByteArray(100, 'x'));
    QVERIFY(cache.find(key(0))); // 0 is now the most recent
    cache.insert(key(3), QByteArray(100, 'y'));
    QVERIFY(cache.bytes() <= 300);
    QVERIFY(cache.find(key(0)));
    QVERIFY(!cache.find(key(1)));
    QVERIFY(cache.find(key(3)));
}

void TestHistoryPageCache::zeroSizeKeepsNothing()
{
    HistoryPageCache cache(0);
    cache.insert("k", "body");
    QVERIFY(!cache.find("k"));
    QCOMPARE(cache.bytes(), 0);
}

void TestHistoryPageCache::bodyLargerThanTheCacheIsNotKept()
{
    HistoryPageCache cache(10);
    cache.insert("small", "12345");
    cache.insert("big", QByteArray(11, 'x'));
    QVERIFY(!cache.find("big"));
    QVERIFY(cache.find("small"));
}

QTEST_GUILESS_MAIN(TestHistoryPageCache)
#include "tst_historypagecache.moc"
