#include "models/conversationlistmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using parlance::Conversation;
using parlance::client::ConversationListModel;

namespace {

const QDateTime Now = QDateTime(QDate(2026, 11, 30), QTime(15, 0), Qt::LocalTime);

Conversation conversation(const QString &id, const QDateTime &lastActivity, bool pinned = false)
{
    Conversation c;
    c.id = id;
    c.title = u"Chat "_s + id;
    c.createdAt = lastActivity.addDays(-100);
    c.lastMessageAt = lastActivity;
    c.pinned = pinned;
    return c;
}

QStringList ids(const ConversationListModel &model)
{
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out << model.data(model.index(row), ConversationListModel::IdRole).toString();
    return out;
}

QString section(const ConversationListModel &model, int row)
{
    return model.data(model.index(row), ConversationListModel::SectionRole).toString();
}

} // namespace

class TestConversationListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sortsPinnedFirstThenNewestActivity()
    {
        ConversationListModel model;
        QAbstractItemModelTester tester(&model);
        model.replaceAll({ conversation(u"a"_s, Now.addSecs(-60)),
                           conversation(u"b"_s, Now.addDays(-3), true),
                           conversation(u"c"_s, Now.addSecs(-10)) });
        QCOMPARE(ids(model), (QStringList { u"b"_s, u"c"_s, u"a"_s }));
    }

    void conversationWithoutMessagesSortsByCreation()
    {
        ConversationListModel model;
        Conversation fresh;
        fresh.id = u"new"_s;
        fresh.createdAt = Now;
        model.replaceAll({ conversation(u"old"_s, Now.addDays(-1)), fresh });
        QCOMPARE(ids(model), (QStringList { u"new"_s, u"old"_s }));
    }

    void sectionsFollowTheLocalCalendar_data()
    {
        QTest::addColumn<QDateTime>("lastActivity");
        QTest::addColumn<bool>("pinned");
        QTest::addColumn<QString>("expected");
        QTest::newRow("an hour ago") << Now.addSecs(-3600) << false << u"Today"_s;
        QTest::newRow("just after midnight")
            << QDateTime(Now.date(), QTime(0, 1), Qt::LocalTime) << false << u"Today"_s;
        QTest::newRow("yesterday late evening")
            << QDateTime(Now.date().addDays(-1), QTime(23, 59), Qt::LocalTime) << false
            << u"Previous 7 days"_s;
        QTest::newRow("seven days ago") << Now.addDays(-7) << false << u"Previous 7 days"_s;
        QTest::newRow("eight days ago") << Now.addDays(-8) << false << u"Older"_s;
        QTest::newRow("last year, pinned") << Now.addYears(-1) << true << u"Pinned"_s;
        QTest::newRow("server clock ahead") << Now.addSecs(120) << false << u"Today"_s;
    }

    void sectionsFollowTheLocalCalendar()
    {
        QFETCH(QDateTime, lastActivity);
        QFETCH(bool, pinned);
        QFETCH(QString, expected);
        ConversationListModel model;
        model.setClock([] { return Now; });
        model.replaceAll({ conversation(u"x"_s, lastActivity, pinned) });
        QCOMPARE(section(model, 0), expected);
    }

    void newDayMovesTodayToPreviousDays()
    {
        ConversationListModel model;
        QDateTime now = Now;
        model.setClock([&now] { return now; });
        model.replaceAll({ conversation(u"x"_s, Now.addSecs(-60)) });
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        now = Now.addDays(1);
        model.refreshSections();
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().at(2).value<QList<int>>(),
                 QList<int> { ConversationListModel::SectionRole });
        QCOMPARE(section(model, 0), u"Previous 7 days"_s);
    }

    void upsertOfNewActivityMovesOneRowWithoutReset()
    {
        ConversationListModel model;
        QAbstractItemModelTester tester(&model);
        model.replaceAll({ conversation(u"a"_s, Now.addSecs(-10)),
                           conversation(u"b"_s, Now.addSecs(-20)),
                           conversation(u"c"_s, Now.addSecs(-30)) });
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy moved(&model, &QAbstractItemModel::rowsMoved);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);

        model.upsert(conversation(u"c"_s, Now));
        QCOMPARE(ids(model), (QStringList { u"c"_s, u"a"_s, u"b"_s }));
        QCOMPARE(moved.size(), 1);

        // Moving down: unpinning and going back in time.
        Conversation a = *model.find(u"a"_s);
        a.lastMessageAt = Now.addDays(-2);
        model.upsert(a);
        QCOMPARE(ids(model), (QStringList { u"c"_s, u"b"_s, u"a"_s }));
        QCOMPARE(moved.size(), 2);

        // A rename keeps the row where it is.
        Conversation b = *model.find(u"b"_s);
        b.title = u"Renamed"_s;
        model.upsert(b);
        QCOMPARE(moved.size(), 2);
        QCOMPARE(model.data(model.index(1), ConversationListModel::TitleRole).toString(),
                 u"Renamed"_s);

        model.upsert(conversation(u"d"_s, Now.addSecs(-15)));
        QCOMPARE(ids(model), (QStringList { u"c"_s, u"d"_s, u"b"_s, u"a"_s }));
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(reset.size(), 0);
    }

    void pinningMovesToTheTop()
    {
        ConversationListModel model;
        QAbstractItemModelTester tester(&model);
        model.replaceAll(
            { conversation(u"a"_s, Now.addSecs(-10)), conversation(u"b"_s, Now.addDays(-20)) });
        Conversation b = *model.find(u"b"_s);
        b.pinned = true;
        model.upsert(b);
        QCOMPARE(ids(model), (QStringList { u"b"_s, u"a"_s }));
        QCOMPARE(section(model, 0), u"Pinned"_s);
    }

    void appendPageSkipsRowsAlreadyShown()
    {
        ConversationListModel model;
        QAbstractItemModelTester tester(&model);
        model.replaceAll(
            { conversation(u"a"_s, Now.addSecs(-10)), conversation(u"b"_s, Now.addSecs(-20)) });
        model.appendPage(
            { conversation(u"b"_s, Now.addSecs(-20)), conversation(u"c"_s, Now.addSecs(-30)) });
        QCOMPARE(ids(model), (QStringList { u"a"_s, u"b"_s, u"c"_s }));
    }

    void removeAndCount()
    {
        ConversationListModel model;
        QAbstractItemModelTester tester(&model);
        QSignalSpy count(&model, &ConversationListModel::countChanged);
        model.replaceAll({ conversation(u"a"_s, Now), conversation(u"b"_s, Now.addSecs(-5)) });
        QVERIFY(model.remove(u"a"_s));
        QVERIFY(!model.remove(u"a"_s));
        QCOMPARE(ids(model), QStringList { u"b"_s });
        QCOMPARE(count.size(), 2);
        QCOMPARE(model.property("count").toInt(), 1);
    }
};

QTEST_GUILESS_MAIN(TestConversationListModel)
#include "tst_conversationlistmodel.moc"
