// GroupCommit: concurrent writes share one transaction, each caller gets its
// own result, and a failing write is rolled back alone. Runs on SQLite and on
// PostgreSQL (parlance_add_db_test).
#include "storage/groupcommit.h"
#include "storage/sql.h"
#include "testdatabase.h"

#include <QSqlQuery>
#include <QThread>

#include <atomic>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace parlance;
using parlance::test::TestDatabase;

class TestGroupCommit : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void aloneIsAPlainTransaction();
    void queuedWritesShareOneCommitAndKeepTheirResults();
    void aFailingWriteIsRolledBackAlone();
    void aWriteCannotRunAnotherWrite();

private:
    // Runs write(i) for i in [0, n) on n threads. Write 0 starts first and
    // holds the leader's slot until the other n - 1 are queued, so they form
    // exactly one group after it, whatever the scheduler does.
    std::vector<Result<int>>
    runGrouped(int n, const std::function<Result<int>(const QSqlDatabase &, int)> &write);
    QList<int> storedIds();

    std::unique_ptr<TestDatabase> m_tdb;
};

void TestGroupCommit::init()
{
    m_tdb = TestDatabase::create(TestDatabase::Schema::Empty);
    QVERIFY(m_tdb);
    auto db = m_tdb->database().connection();
    PARLANCE_VERIFY_OK(db);
    PARLANCE_VERIFY_OK(
        sql::execRaw(*db, u"CREATE TABLE gc (id INTEGER PRIMARY KEY, v TEXT NOT NULL)"_s));
}

void TestGroupCommit::cleanup()
{
    m_tdb.reset();
}

QList<int> TestGroupCommit::storedIds()
{
    QList<int> ids;
    auto db = m_tdb->database().connection();
    if (!db.ok())
        return ids;
    auto rows = sql::exec(*db, u"SELECT id FROM gc ORDER BY id"_s);
    if (!rows.ok())
        return ids;
    while (rows.value().next())
        ids.append(rows->value(0).toInt());
    return ids;
}

std::vector<Result<int>>
TestGroupCommit::runGrouped(int n,
                            const std::function<Result<int>(const QSqlDatabase &, int)> &write)
{
    GroupCommit &group = m_tdb->database().groupCommit();
    std::vector<Result<int>> results(size_t(n), Result<int>(ApiError { u"not_run"_s, {}, {} }));
    std::atomic<bool> firstInside { false };
    std::vector<std::unique_ptr<QThread>> threads;
    for (int i = 0; i < n; ++i) {
        threads.emplace_back(QThread::create([&, i] {
            results[size_t(i)] = group.run([&](const QSqlDatabase &db) -> Result<int> {
                if (i == 0) {
                    firstInside = true;
                    while (group.queuedWrites() < n - 1)
                        QThread::yieldCurrentThread();
                }
                return write(db, i);
            });
            m_tdb->database().closeThreadConnection();
        }));
        threads.back()->start();
        if (i == 0) {
            while (!firstInside)
                QThread::yieldCurrentThread();
        }
    }
    for (auto &thread : threads)
        thread->wait();
    return results;
}

namespace {

Result<int> insertRow(const QSqlDatabase &db, int id)
{
    auto inserted =
        sql::execUpdate(db, u"INSERT INTO gc (id, v) VALUES (?, ?)"_s, { id, u"row"_s });
    if (!inserted)
        return inserted.error();
    return id * 10;
}

} // namespace

void TestGroupCommit::aloneIsAPlainTransaction()
{
    GroupCommit &group = m_tdb->database().groupCommit();
    const auto ok = group.run([](const QSqlDatabase &db) { return insertRow(db, 1); });
    PARLANCE_VERIFY_OK(ok);
    QCOMPARE(*ok, 10);
    const auto failed = group.run([](const QSqlDatabase &db) -> Result<int> {
        if (auto row = insertRow(db, 2); !row)
            return row.error();
        return ApiError { u"refused"_s, u"after its insert"_s, {} };
    });
    QVERIFY(!failed.ok());
    QCOMPARE(failed.error().code, u"refused"_s);
    QCOMPARE(storedIds(), QList<int> { 1 });
    QCOMPARE(group.groups(), 2);
}

void TestGroupCommit::queuedWritesShareOneCommitAndKeepTheirResults()
{
    const int n = 8;
    const auto results = runGrouped(n, insertRow);
    for (int i = 0; i < n; ++i) {
        PARLANCE_VERIFY_OK(results[size_t(i)]);
        QCOMPARE(*results[size_t(i)], i * 10);
    }
    QCOMPARE(storedIds(), (QList<int> { 0, 1, 2, 3, 4, 5, 6, 7 }));
    GroupCommit &group = m_tdb->database().groupCommit();
    QCOMPARE(group.writes(), n);
    QCOMPARE(group.groups(), 2);
    QCOMPARE(group.largestGroup(), n - 1);
}

void TestGroupCommit::aFailingWriteIsRolledBackAlone()
{
    const int n = 6;
    const auto results = runGrouped(n, [](const QSqlDatabase &db, int i) -> Result<int> {
        if (i == 2) { // writes, then fails: its row must go
            if (auto row = insertRow(db, i); !row)
                return row.error();
            return ApiError { u"refused"_s, u"changed its mind"_s, {} };
        }
        if (i == 4) // the id of write 0, committed before this group: a constraint violation
            return insertRow(db, 0);
        return insertRow(db, i);
    });
    QCOMPARE(results[2].error().code, u"refused"_s);
    QVERIFY(!results[4].ok());
    for (int i : { 0, 1, 3, 5 })
        PARLANCE_VERIFY_OK(results[size_t(i)]);
    QCOMPARE(storedIds(), (QList<int> { 0, 1, 3, 5 }));
    QCOMPARE(m_tdb->database().groupCommit().largestGroup(), n - 1);
}

// A write that calls run() again would wait for itself: it is refused (on
// SQLite the writer thread, on PostgreSQL the leading caller) and the outer
// write decides what happens; nothing of the inner one is stored.
void TestGroupCommit::aWriteCannotRunAnotherWrite()
{
    GroupCommit &group = m_tdb->database().groupCommit();
    QString innerCode;
    const auto outer = group.run([&](const QSqlDatabase &db) -> Result<int> {
        const auto inner =
            group.run([](const QSqlDatabase &innerDb) { return insertRow(innerDb, 2); });
        innerCode = inner.ok() ? u"ok"_s : inner.error().code;
        return insertRow(db, 1);
    });
    PARLANCE_VERIFY_OK(outer);
    QCOMPARE(innerCode, u"internal_error"_s);
    QCOMPARE(storedIds(), QList<int> { 1 });
}

QTEST_GUILESS_MAIN(TestGroupCommit)
#include "tst_groupcommit.moc"
