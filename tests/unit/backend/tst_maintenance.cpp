// Scheduled maintenance: the standard tasks purge what has expired and keep
// the rest (on SQLite and PostgreSQL), a failing task does not stop the
// others, and the scheduler runs its tasks on the worker pool, repeatedly.
#include "common/workerpool.h"
#include "conversations/conversationservice.h"
#include "maintenance/maintenancescheduler.h"
#include "maintenance/maintenancetasks.h"
#include "storage/refreshtokenrepository.h"
#include "storage/sql.h"
#include "storage/userrepository.h"
#include "testdatabase.h"

#include <QCryptographicHash>
#include <QTest>

#include <atomic>

using namespace Qt::StringLiterals;
using namespace parlance;
using parlance::test::TestDatabase;

namespace {

RefreshTokenRecord tokenEndingAt(const QString &userId, const QDateTime &familyEnd,
                                 const QByteArray &seed)
{
    RefreshTokenRecord r;
    r.id = sql::newId();
    r.familyId = sql::newId();
    r.userId = userId;
    r.tokenHash = QCryptographicHash::hash(seed, QCryptographicHash::Sha256);
    r.createdAt = familyEnd.addDays(-90);
    r.expiresAt = familyEnd.addDays(-60);
    r.familyExpiresAt = familyEnd;
    return r;
}

} // namespace

class TestMaintenance : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestDatabase> m_db;

private Q_SLOTS:
    void initTestCase()
    {
        m_db = TestDatabase::create();
        QVERIFY(m_db);
    }

    void init() { PARLANCE_VERIFY_OK(m_db->clear()); }

    void standardTasksPurgeOnlyWhatExpired()
    {
        Database &db = m_db->database();
        const auto user = UserRepository(db).create(u"alice@example.com"_s, u"x"_s);
        PARLANCE_VERIFY_OK(user);
        auto conversations = std::make_shared<ConversationService>(
            db, ConversationServiceOptions { .defaultModel = u"m"_s });
        const auto old = conversations->createConversation(user->id, { .title = u"old"_s });
        const auto recent = conversations->createConversation(user->id, { .title = u"recent"_s });
        const auto live = conversations->createConversation(user->id, { .title = u"live"_s });
        PARLANCE_VERIFY_OK(old);
        PARLANCE_VERIFY_OK(recent);
        PARLANCE_VERIFY_OK(live);
        PARLANCE_VERIFY_OK(conversations->deleteConversation(user->id, old->id));
        PARLANCE_VERIFY_OK(conversations->deleteConversation(user->id, recent->id));
        // Back-date one deletion past the 30-day trash retention.
        const QDateTime now = QDateTime::currentDateTimeUtc();
        PARLANCE_VERIFY_OK(sql::exec(*db.connection(),
                                     u"UPDATE conversations SET deleted_at = ? WHERE id = ?"_s,
                                     { sql::toDb(now.addDays(-31)), old->id }));

        RefreshTokenRepository tokens(db);
        const RefreshTokenRecord ended = tokenEndingAt(user->id, now.addSecs(-60), "ended");
        const RefreshTokenRecord current = tokenEndingAt(user->id, now.addDays(1), "current");
        PARLANCE_VERIFY_OK(tokens.insert(ended));
        PARLANCE_VERIFY_OK(tokens.insert(current));

        const auto outcomes = runMaintenanceTasks(standardMaintenanceTasks(db, conversations));
        QCOMPARE(outcomes.size(), 2);
        QCOMPARE(outcomes[0].name, u"expired conversations"_s);
        PARLANCE_VERIFY_OK(outcomes[0].removed);
        QCOMPARE(outcomes[0].removed.value(), 1);
        QCOMPARE(outcomes[1].name, u"expired refresh tokens"_s);
        PARLANCE_VERIFY_OK(outcomes[1].removed);
        QCOMPARE(outcomes[1].removed.value(), 1);

        QVERIFY(!tokens.findByHash(ended.tokenHash).value().has_value());
        QVERIFY(tokens.findByHash(current.tokenHash).value().has_value());
        QCOMPARE(conversations->restoreConversation(user->id, recent->id)->title, u"recent"_s);
        PARLANCE_VERIFY_OK(conversations->getConversation(user->id, live->id));
        // A second run finds nothing more.
        const auto again = runMaintenanceTasks(standardMaintenanceTasks(db, conversations));
        QCOMPARE(again[0].removed.value(), 0);
        QCOMPARE(again[1].removed.value(), 0);
    }

    void aFailingTaskDoesNotStopTheOthers()
    {
        int ranAfter = 0;
        const QList<MaintenanceTask> tasks {
            { u"broken"_s,
              [] {
                  return Result<int>(ApiError { u"internal_error"_s, u"x"_s, {} });
              } },
            { u"fine"_s, [&ranAfter] { return Result<int>(++ranAfter); } },
        };
        const auto outcomes = runMaintenanceTasks(tasks);
        QCOMPARE(outcomes.size(), 2);
        QVERIFY(!outcomes[0].removed.ok());
        QCOMPARE(outcomes[1].removed.value(), 1);
    }

    void schedulerRunsTasksOnWorkersRepeatedly()
    {
        WorkerPool workers({ 1, 8 });
        workers.start();
        std::atomic<int> runs { 0 };
        std::atomic<bool> onWorker { true };
        MaintenanceScheduler scheduler(workers,
                                       { { u"count"_s,
                                           [&] {
                                               onWorker = onWorker && workers.isWorkerThread();
                                               return Result<int>(++runs);
                                           } } },
                                       { .interval = std::chrono::milliseconds(20),
                                         .firstDelay = std::chrono::milliseconds(10) });
        scheduler.start();
        QTRY_VERIFY_WITH_TIMEOUT(runs.load() >= 3, 20'000);
        scheduler.stop();
        workers.stop();
        QVERIFY(onWorker.load());
    }

    void zeroIntervalNeverRuns()
    {
        WorkerPool workers({ 1, 8 });
        workers.start();
        MaintenanceScheduler scheduler(workers, {}, { .interval = std::chrono::milliseconds(0) });
        scheduler.start();
        QTest::qWait(50);
        QCOMPARE(scheduler.runsStarted(), 0);
        workers.stop();
    }
};

QTEST_GUILESS_MAIN(TestMaintenance)
#include "tst_maintenance.moc"
