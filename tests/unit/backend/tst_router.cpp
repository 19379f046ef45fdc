// Router matching: templates with "<arg>", decoded arguments, 404 vs 405.
#include "contract/apipaths.h"
#include "http/router.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace parlance;
using namespace parlance::http;

class TestRouter : public QObject
{
    Q_OBJECT

private:
    static Router table()
    {
        Router router;
        const auto none = [](RequestContext &) {};
        router.add(Method::Get, api::Conversations, Access::User, u"list"_s, none);
        router.add(Method::Post, api::Conversations, Access::User, u"create"_s, none);
        router.add(Method::Get, api::Conversation, Access::User, u"get"_s, none);
        router.add(Method::Delete, api::Conversation, Access::User, u"delete"_s, none);
        router.add(Method::Post, api::ConversationRestore, Access::User, u"restore"_s, none);
        router.add(Method::Get, api::Healthz, Access::Public, u"health"_s, none);
        return router;
    }

private Q_SLOTS:
    void match_data()
    {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("summary"); // empty: no route
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("allowed");
        QTest::newRow("literal path")
            << u"GET"_s << u"/healthz"_s << u"health"_s << QStringList() << QString();
        QTest::newRow("same path other method")
            << u"POST"_s << u"/api/v1/conversations"_s << u"create"_s << QStringList() << QString();
        QTest::newRow("one argument") << u"GET"_s << u"/api/v1/conversations/c1"_s << u"get"_s
                                      << QStringList { u"c1"_s } << QString();
        QTest::newRow("argument is percent-decoded")
            << u"GET"_s << u"/api/v1/conversations/a%20b%2Fc"_s << u"get"_s
            << QStringList { u"a b/c"_s } << QString();
        QTest::newRow("argument then literal")
            << u"POST"_s << u"/api/v1/conversations/c1/restore"_s << u"restore"_s
            << QStringList { u"c1"_s } << QString();
        QTest::newRow("empty argument does not match")
            << u"GET"_s << u"/api/v1/conversations/"_s << QString() << QStringList() << QString();
        QTest::newRow("unknown path")
            << u"GET"_s << u"/api/v1/nope"_s << QString() << QStringList() << QString();
        QTest::newRow("extra segment")
            << u"GET"_s << u"/healthz/x"_s << QString() << QStringList() << QString();
        QTest::newRow("wrong method lists allowed")
            << u"PUT"_s << u"/api/v1/conversations/c1"_s << QString() << QStringList()
            << u"GET,DELETE"_s;
    }

    void match()
    {
        QFETCH(QString, method);
        QFETCH(QString, path);
        QFETCH(QString, summary);
        QFETCH(QStringList, args);
        QFETCH(QString, allowed);
        const Router router = table();
        Method m = Method::Get;
        for (Method candidate :
             { Method::Get, Method::Post, Method::Put, Method::Patch, Method::Delete }) {
            if (methodName(candidate) == method)
                m = candidate;
        }
        const Router::Match found = router.match(m, path);
        QCOMPARE(found.route ? found.route->summary : QString(), summary);
        QCOMPARE(found.args, args);
        QStringList names;
        for (Method a : found.allowed)
            names.append(methodName(a));
        QCOMPARE(names.join(u','), allowed);
    }

    void paramNamesAndTagsDefaultFromTemplate()
    {
        Router router;
        const Route &route = router.add(Method::Get, api::Conversation, Access::User, u"get"_s,
                                        [](RequestContext &) {});
        QCOMPARE(route.paramNames, QStringList { u"id"_s });
        QCOMPARE(route.tag, u"conversations"_s);
    }
};

QTEST_GUILESS_MAIN(TestRouter)
#include "tst_router.moc"
