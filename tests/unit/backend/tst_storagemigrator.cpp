// Migrator: numbered migrations per dialect, applied once, in order, atomically,
// never on a database from a newer release, safely from several nodes at once.
#include "contract/errorcodes.h"
#include "storage/database.h"
#include "storage/migrator.h"
#include "storage/sql.h"
#include "testdatabase.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSemaphore>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>

using namespace Qt::StringLiterals;
using namespace parlance;
using parlance::test::TestDatabase;

namespace {

bool writeMigration(const QString &root, const QString &fileName, const QByteArray &sqlite,
                    const QByteArray &postgres)
{
    for (const auto &[dialect, text] :
         { std::pair { u"sqlite"_s, sqlite }, std::pair { u"postgresql"_s, postgres } }) {
        QDir().mkpath(root + u'/' + dialect);
        QFile file(root + u'/' + dialect + u'/' + fileName);
        if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
            return false;
    }
    return true;
}

bool tableExists(Database &database, const QString &table)
{
    auto db = database.connection();
    return db.ok() && db->tables().contains(table);
}

QList<int> versionsOf(const QList<Migration> &migrations)
{
    QList<int> versions;
    for (const Migration &m : migrations)
        versions.append(m.version);
    return versions;
}

} // namespace

class TestStorageMigrator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bothDialectsShipTheSameMigrations()
    {
        const auto sqlite = Migrator::list(u":/migrations"_s, SqlDialect(SqlDialect::Kind::Sqlite));
        const auto postgres =
            Migrator::list(u":/migrations"_s, SqlDialect(SqlDialect::Kind::PostgreSql));
        PARLANCE_VERIFY_OK(sqlite);
        PARLANCE_VERIFY_OK(postgres);
        QVERIFY(!sqlite->isEmpty());
        QCOMPARE(sqlite->first().version, 1);
        QCOMPARE(sqlite->size(), postgres->size());
        for (qsizetype i = 0; i < sqlite->size(); ++i) {
            QCOMPARE(sqlite->at(i).version, postgres->at(i).version);
            QCOMPARE(sqlite->at(i).name, postgres->at(i).name);
        }
    }

    void freshDatabaseGetsEveryMigration()
    {
        auto tdb = TestDatabase::create(TestDatabase::Schema::Empty);
        QVERIFY(tdb);
        Migrator migrator(tdb->database());
        const auto available = migrator.available();
        PARLANCE_VERIFY_OK(available);
        const auto before = migrator.appliedVersions();
        PARLANCE_VERIFY_OK(before);
        QVERIFY(before->isEmpty());

        const auto applied = migrator.migrate();
        PARLANCE_VERIFY_OK(applied);
        QCOMPARE(applied.value(), available.value());
        const auto after = migrator.appliedVersions();
        PARLANCE_VERIFY_OK(after);
        QCOMPARE(after.value(), versionsOf(available.value()));
        QVERIFY(tableExists(tdb->database(), u"users"_s));
        QVERIFY(tableExists(tdb->database(), u"refresh_tokens"_s));

        auto db = tdb->database().connection();
        auto row =
            sql::exec(*db, u"SELECT name, applied_at FROM schema_migrations WHERE version = 1"_s);
        PARLANCE_VERIFY_OK(row);
        QVERIFY(row.value().next());
        QCOMPARE(row.value().value(0).toString(), u"accounts"_s);
        QVERIFY(row.value().value(1).toLongLong() > 0);
    }

    void rerunAppliesNothing()
    {
        auto tdb = TestDatabase::create(); // already migrated
        QVERIFY(tdb);
        Migrator migrator(tdb->database());
        const auto again = migrator.migrate();
        PARLANCE_VERIFY_OK(again);
        QVERIFY(again->isEmpty());
        const auto versions = migrator.appliedVersions();
        PARLANCE_VERIFY_OK(versions);
        QCOMPARE(versions.value(), versionsOf(migrator.available().value()));
    }

    void refusesDatabaseFromNewerRelease()
    {
        auto tdb = TestDatabase::create();
        QVERIFY(tdb);
        auto db = tdb->database().connection();
        PARLANCE_VERIFY_OK(sql::exec(
            *db,
            u"INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 0)"_s));
        const auto refused = Migrator(tdb->database()).migrate();
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, QString(errc::Internal));
        QVERIFY2(refused.error().message.contains(u"9999"_s), qPrintable(refused.error().message));
    }

    void appliesOnlyMissingOnesInOrder()
    {
        QTemporaryDir root;
        QVERIFY(root.isValid());
        QVERIFY(writeMigration(root.path(), u"0001_first.sql"_s, "CREATE TABLE a (x INTEGER);",
                               "CREATE TABLE a (x INTEGER);"));
        auto tdb = TestDatabase::create(TestDatabase::Schema::Empty);
        QVERIFY(tdb);
        Migrator migrator(tdb->database(), root.path());
        auto first = migrator.migrate();
        PARLANCE_VERIFY_OK(first);
        QCOMPARE(versionsOf(first.value()), QList<int> { 1 });

        // Two new files, written out of order; the second depends on the first.
        QVERIFY(writeMigration(root.path(), u"0003_third.sql"_s, "INSERT INTO b (y) VALUES (3);",
                               "INSERT INTO b (y) VALUES (3);"));
        QVERIFY(writeMigration(
            root.path(), u"0002_second.sql"_s,
            "-- several statements\nCREATE TABLE b (y INTEGER);\nINSERT INTO b (y) VALUES (2);\n",
            "-- several statements\nCREATE TABLE b (y INTEGER);\nINSERT INTO b (y) VALUES (2);\n"));
        auto next = migrator.migrate();
        PARLANCE_VERIFY_OK(next);
        QCOMPARE(versionsOf(next.value()), (QList<int> { 2, 3 }));
        QCOMPARE(next->first().name, u"second"_s);
        auto db = tdb->database().connection();
        auto rows = sql::exec(*db, u"SELECT y FROM b ORDER BY y"_s);
        PARLANCE_VERIFY_OK(rows);
        QList<int> ys;
        while (rows.value().next())
            ys.append(rows.value().value(0).toInt());
        QCOMPARE(ys, (QList<int> { 2, 3 }));
    }

    void failedMigrationLeavesNothingBehind()
    {
        QTemporaryDir root;
        QVERIFY(root.isValid());
        QVERIFY(writeMigration(
            root.path(), u"0001_broken.sql"_s,
            "CREATE TABLE half (x INTEGER);\nINSERT INTO no_such_table VALUES (1);",
            "CREATE TABLE half (x INTEGER);\nINSERT INTO no_such_table VALUES (1);"));
        auto tdb = TestDatabase::create(TestDatabase::Schema::Empty);
        QVERIFY(tdb);
        Migrator migrator(tdb->database(), root.path());
        const auto failed = migrator.migrate();
        QVERIFY(!failed.ok());
        QCOMPARE(failed.error().code, QString(errc::Internal));
        QVERIFY(!tableExists(tdb->database(), u"half"_s));
        const auto versions = migrator.appliedVersions();
        PARLANCE_VERIFY_OK(versions);
        QVERIFY(versions->isEmpty());
    }

    void malformedFileNamesAreRefused_data()
    {
        QTest::addColumn<QString>("fileName");
        QTest::newRow("no-number") << u"accounts.sql"_s;
        QTest::newRow("short-number") << u"1_accounts.sql"_s;
        QTest::newRow("upper-case") << u"0001_Accounts.sql"_s;
        QTest::newRow("wrong-extension") << u"0001_accounts.txt"_s;
    }
    void malformedFileNamesAreRefused()
    {
        QFETCH(QString, fileName);
        QTemporaryDir root;
        QVERIFY(writeMigration(root.path(), fileName, "SELECT 1;", "SELECT 1;"));
        const auto listed = Migrator::list(root.path(), SqlDialect(SqlDialect::Kind::Sqlite));
        QVERIFY(!listed.ok());
    }

    void duplicateNumbersAreRefused()
    {
        QTemporaryDir root;
        QVERIFY(writeMigration(root.path(), u"0002_a.sql"_s, "SELECT 1;", "SELECT 1;"));
        QVERIFY(writeMigration(root.path(), u"0002_b.sql"_s, "SELECT 1;", "SELECT 1;"));
        const auto listed = Migrator::list(root.path(), SqlDialect(SqlDialect::Kind::PostgreSql));
        QVERIFY(!listed.ok());
    }

    // 0004 copies each conversation's tags into conversations.tag_list (what
    // the list reads): a database that had tags before the upgrade lists
    // them afterwards, sorted, and untagged rows stay NULL.
    void tagListMigrationCopiesExistingTags()
    {
        QTemporaryDir root;
        QVERIFY(root.isValid());
        auto tdb = TestDatabase::create(TestDatabase::Schema::Empty);
        QVERIFY(tdb);
        const QString dialect = tdb->isPostgreSql() ? u"postgresql"_s : u"sqlite"_s;
        QVERIFY(QDir().mkpath(root.path() + u'/' + dialect));
        const auto copyUpTo = [&](int last) {
            const auto all = Migrator::list(u":/migrations"_s, tdb->url().dialect);
            QVERIFY(all.ok());
            for (const Migration &m : all.value()) {
                const QString name = QFileInfo(m.path).fileName();
                const QString target = root.path() + u'/' + dialect + u'/' + name;
                if (m.version <= last && !QFile::exists(target))
                    QVERIFY(QFile::copy(m.path, target));
            }
        };
        copyUpTo(3);
        PARLANCE_VERIFY_OK(Migrator(tdb->database(), root.path()).migrate());
        {
            auto db = tdb->database().connection();
            PARLANCE_VERIFY_OK(db);
            PARLANCE_VERIFY_OK(sql::exec(
                *db,
                u"INSERT INTO users (id, email, created_at, updated_at) VALUES ('u1', 'a@x', 0, 0)"_s));
            for (const QString &id : { u"c1"_s, u"c2"_s }) {
                PARLANCE_VERIFY_OK(sql::exec(*db,
                                             u"INSERT INTO conversations (id, user_id, model, "
                                             u"created_at, updated_at, last_activity_at) "
                                             u"VALUES (?, 'u1', 'm', 0, 0, 0)"_s,
                                             { id }));
            }
            for (const QString &tag : { u"zeta"_s, u"alpha"_s, u"Mid"_s }) {
                PARLANCE_VERIFY_OK(sql::exec(*db,
                                             u"INSERT INTO conversation_tags (user_id, "
                                             u"conversation_id, tag) VALUES ('u1', 'c1', ?)"_s,
                                             { tag }));
            }
        }
        copyUpTo(4);
        const auto applied = Migrator(tdb->database(), root.path()).migrate();
        PARLANCE_VERIFY_OK(applied);
        QCOMPARE(versionsOf(applied.value()), QList<int> { 4 });
        auto db = tdb->database().connection();
        auto rows = sql::exec(*db, u"SELECT id, tag_list FROM conversations ORDER BY id"_s);
        PARLANCE_VERIFY_OK(rows);
        QVERIFY(rows.value().next());
        QCOMPARE(rows.value().value(1).toString(), u"Mid\nalpha\nzeta"_s);
        QVERIFY(rows.value().next());
        QVERIFY(rows.value().value(1).isNull());
    }

    // Several nodes starting at once against one database: each migration is
    // applied exactly once and every node ends up satisfied.
    void concurrentMigrationsApplyEachOnce()
    {
        auto tdb = TestDatabase::create(TestDatabase::Schema::Empty);
        QVERIFY(tdb);
        constexpr int Nodes = 4;
        QList<std::shared_ptr<Database>> nodes;
        for (int i = 0; i < Nodes; ++i)
            nodes.append(tdb->openAnother());
        QList<int> appliedCounts(Nodes, -1);
        QList<QString> errors(Nodes);
        QSemaphore ready;
        QSemaphore go;
        QList<QThread *> threads;
        for (int i = 0; i < Nodes; ++i) {
            threads.append(QThread::create([&, i] {
                (void)nodes[i]->connection(); // connect before the race starts
                ready.release();
                go.acquire();
                const auto applied = Migrator(*nodes[i]).migrate();
                if (applied.ok())
                    appliedCounts[i] = int(applied->size());
                else
                    errors[i] = applied.error().message;
                nodes[i]->closeThreadConnection();
            }));
            threads.last()->start();
        }
        ready.acquire(Nodes);
        go.release(Nodes);
        for (QThread *thread : threads) {
            QVERIFY(thread->wait(120000));
            delete thread;
        }
        QCOMPARE(errors, QList<QString>(Nodes));
        const auto available = Migrator(tdb->database()).available();
        int total = 0;
        for (const int n : appliedCounts)
            total += n;
        QCOMPARE(total, int(available->size()));
        auto db = tdb->database().connection();
        auto rows = sql::exec(
            *db,
            u"SELECT version, COUNT(*) FROM schema_migrations GROUP BY version ORDER BY version"_s);
        PARLANCE_VERIFY_OK(rows);
        QList<int> versions;
        while (rows.value().next()) {
            versions.append(rows.value().value(0).toInt());
            QCOMPARE(rows.value().value(1).toInt(), 1);
        }
        QCOMPARE(versions, versionsOf(available.value()));
    }
};

QTEST_GUILESS_MAIN(TestStorageMigrator)
#include "tst_storagemigrator.moc"
