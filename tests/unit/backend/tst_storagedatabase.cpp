// Database: per-thread connections, session settings, transactions, the query
// helper's error mapping, dialect fragments, and durability across kill -9.
// Runs on SQLite and on PostgreSQL (parlance_add_db_test).
#include "contract/errorcodes.h"
#include "storage/database.h"
#include "storage/migrator.h"
#include "storage/sql.h"
#include "storage/transaction.h"
#include "storage/userrepository.h"
#include "testdatabase.h"

#include <QCoreApplication>
#include <QProcess>
#include <QSet>
#include <QSqlQuery>
#include <QThread>
#include <QUuid>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace parlance;
using parlance::test::TestDatabase;

namespace {

Result<qint64> countRows(Database &database, const QString &table)
{
    auto db = database.connection();
    if (!db.ok())
        return db.error();
    auto q = sql::exec(*db, u"SELECT COUNT(*) FROM "_s + table);
    if (!q.ok())
        return q.error();
    q.value().next();
    return q.value().value(0).toLongLong();
}

// The child side of durabilityAfterKill: insert users one by one and print
// each acknowledged id; the parent kills us with SIGKILL mid-stream.
int runDurabilityWriter(const QString &urlText)
{
    const auto url = DatabaseUrl::parse(urlText);
    if (!url.ok())
        return 2;
    Database database(url.value());
    UserRepository users(database);
    for (int i = 0; i < 1000000; ++i) {
        auto created = users.create(u"durable-%1@example.com"_s.arg(i), u"x"_s);
        if (!created.ok())
            return 3;
        std::printf("ACK %s\n", qPrintable(created->id));
        std::fflush(stdout);
    }
    return 0;
}

bool tableExistsAfter(const QSqlDatabase &db)
{
    return db.tables().contains(u"users"_s);
}

} // namespace

class TestStorageDatabase : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestDatabase> m_valuesDb;

private Q_SLOTS:
    void cleanupTestCase() { m_valuesDb.reset(); }

    void opensAndPings()
    {
        auto tdb = TestDatabase::create();
        QVERIFY(tdb);
        PARLANCE_VERIFY_OK(tdb->database().ping());
        QCOMPARE(tdb->database().openConnectionCount(), 1);
        qInfo() << "running on" << tdb->url().redacted();
    }

    void sameThreadGetsSameConnection()
    {
        auto tdb = TestDatabase::create();
        QVERIFY(tdb);
        auto a = tdb->database().connection();
        auto b = tdb->database().connection();
        PARLANCE_VERIFY_OK(a);
        PARLANCE_VERIFY_OK(b);
        QCOMPARE(a->connectionName(), b->connectionName());
        tdb->database().closeThreadConnection();
        QCOMPARE(tdb->database().openConnectionCount(), 0);
        auto c = tdb->database().connection();
        PARLANCE_VERIFY_OK(c);
        QVERIFY(c->connectionName() != a->connectionName());
    }

    void sqliteSessionSettingsOnEveryConnection()
    {
        auto tdb = TestDatabase::create();
        QVERIFY(tdb);
        if (tdb->isPostgreSql())
            QSKIP("SQLite PRAGMAs");
        const auto pragma = [&](const QString &name) {
            auto db = tdb->database().connection();
            auto q = sql::exec(*db, u"PRAGMA "_s + name);
            return q.ok() && q.value().next() ? q.value().value(0).toString() : QString();
        };
        QCOMPARE(pragma(u"journal_mode"_s), u"wal"_s);
        QCOMPARE(pragma(u"foreign_keys"_s), u"1"_s);
        QCOMPARE(pragma(u"synchronous"_s), u"1"_s); // NORMAL
        QCOMPARE(pragma(u"busy_timeout"_s), u"5000"_s);
        QCOMPARE(pragma(u"wal_autocheckpoint"_s),
                 QString::number(DatabaseUrl {}.walAutocheckpointPages));
    }

    void eachThreadGetsItsOwnConnection()
    {
        auto tdb = TestDatabase::create();
        QVERIFY(tdb);
        Database &database = tdb->database();
        PARLANCE_VERIFY_OK(database.ping()); // the main thread holds one too

        constexpr int Threads = 4;
        constexpr int RowsPerThread = 20;
        QList<QString> names(Threads);
        QList<int> failures(Threads, 0);
        QList<QThread *> threads;
        for (int t = 0; t < Threads; ++t) {
            threads.append(QThread::create([&, t] {
                auto db = database.connection();
                if (!db.ok()) {
                    failures[t] = RowsPerThread;
                    return;
                }
                names[t] = db->connectionName();
                UserRepository users(database); // constructed on the worker, as the pool does
                for (int i = 0; i < RowsPerThread; ++i) {
                    if (!users.create(u"t%1-%2@example.com"_s.arg(t).arg(i), u"h"_s).ok())
                        ++failures[t];
                }
            }));
        }
        for (QThread *thread : threads)
            thread->start();
        for (QThread *thread : threads) {
            QVERIFY(thread->wait(60000));
            delete thread;
        }
        QCOMPARE(failures, QList<int>(Threads, 0));
        QCOMPARE(QSet<QString>(names.cbegin(), names.cend()).size(), Threads);
        // Finished threads closed their connections; only the main one is left.
        QCOMPARE(database.openConnectionCount(), 1);
        const auto rows = countRows(database, u"users"_s);
        PARLANCE_VERIFY_OK(rows);
        QCOMPARE(rows.value(), qint64(Threads * RowsPerThread));
    }

    // PostgreSQL restarts or an admin kills the session: the failing call is
    // internal_error, the next one reconnects.
    void lostPostgresConnectionIsReopened()
    {
        auto tdb = TestDatabase::create();
        QVERIFY(tdb);
        if (!tdb->isPostgreSql())
            QSKIP("PostgreSQL sessions");
        Database &database = tdb->database();
        auto db = database.connection();
        PARLANCE_VERIFY_OK(db);
        auto pid = sql::exec(*db, u"SELECT pg_backend_pid()"_s);
        PARLANCE_VERIFY_OK(pid);
        QVERIFY(pid.value().next());
        const qint64 backend = pid.value().value(0).toLongLong();
        pid.value().finish();

        // Cached (prepared) on the session that is about to die.
        UserRepository users(database);
        PARLANCE_VERIFY_OK(users.count());

        auto killer = tdb->openAnother();
        QThread *thread = QThread::create([&] {
            auto other = killer->connection();
            if (other.ok())
                (void)sql::exec(*other, u"SELECT pg_terminate_backend(?)"_s, { backend });
        });
        thread->start();
        QVERIFY(thread->wait(30000));
        delete thread;

        const auto failed = users.count();
        QVERIFY(!failed.ok());
        QCOMPARE(failed.error().code, QString(errc::Internal));
        const auto recovered = users.count();
        PARLANCE_VERIFY_OK(recovered);
        PARLANCE_VERIFY_OK(database.ping());
    }

    void inMemorySqliteIsSharedByThreads()
    {
        auto url = DatabaseUrl::parse(u"sqlite::memory:"_s);
        PARLANCE_VERIFY_OK(url);
        Database database(url.value());
        PARLANCE_VERIFY_OK(Migrator(database).migrate()); // keeps the main connection open
        UserRepository users(database);
        PARLANCE_VERIFY_OK(users.create(u"mem@example.com"_s, u"h"_s));
        bool seen = false;
        QThread *thread = QThread::create([&] {
            UserRepository mine(database);
            const auto found = mine.findUserByEmail(u"mem@example.com"_s);
            seen = found.ok() && found->has_value();
        });
        thread->start();
        QVERIFY(thread->wait(30000));
        delete thread;
        QVERIFY(seen);
        // Another Database has its own in-memory data.
        Database other(url.value());
        const auto tables = other.connection();
        PARLANCE_VERIFY_OK(tables);
        QVERIFY(!tables->tables().contains(u"users"_s));
    }

    void transactionRollsBackUnlessCommitted()
    {
        auto tdb = TestDatabase::create();
        QVERIFY(tdb);
        auto db = tdb->database().connection();
        PARLANCE_VERIFY_OK(db);
        UserRepository users(tdb->database());
        {
            Transaction tx(*db);
            PARLANCE_VERIFY_OK(tx.begin());
            PARLANCE_VERIFY_OK(users.create(u"gone@example.com"_s, u"h"_s));
            // no commit: the destructor rolls back
        }
        {
            Transaction tx(*db);
            PARLANCE_VERIFY_OK(tx.begin());
            PARLANCE_VERIFY_OK(users.create(u"kept@example.com"_s, u"h"_s));
            PARLANCE_VERIFY_OK(tx.commit());
            QVERIFY(!tx.isActive());
        }
        auto gone = users.findUserByEmail(u"gone@example.com"_s);
        PARLANCE_VERIFY_OK(gone);
        QVERIFY(!gone->has_value());
        auto kept = users.findUserByEmail(u"kept@example.com"_s);
        PARLANCE_VERIFY_OK(kept);
        QVERIFY(kept->has_value());
    }

    void failedStatementIsInternalError()
    {
        auto tdb = TestDatabase::create();
        QVERIFY(tdb);
        auto db = tdb->database().connection();
        auto q = sql::exec(*db, u"SELECT no_such_column FROM users WHERE id = ?"_s, { u"x"_s });
        QVERIFY(!q.ok());
        QCOMPARE(q.error().code, QString(errc::Internal));
        // The connection stays usable.
        PARLANCE_VERIFY_OK(tdb->database().ping());
    }

    void constraintViolationsMapToGivenErrors()
    {
        auto tdb = TestDatabase::create();
        QVERIFY(tdb);
        auto db = tdb->database().connection();
        const ApiError dup { QString(errc::Conflict), u"dup"_s, std::nullopt };
        const ApiError missing { QString(errc::NotFound), u"missing"_s, std::nullopt };
        const QString insertUser =
            u"INSERT INTO users (id, email, created_at, updated_at) VALUES (?, ?, 0, 0)"_s;
        PARLANCE_VERIFY_OK(sql::exec(*db, insertUser, { u"u1"_s, u"a@example.com"_s }));
        auto again = sql::exec(*db, insertUser, { u"u2"_s, u"a@example.com"_s }, { dup, missing });
        QVERIFY(!again.ok());
        QCOMPARE(again.error(), dup);
        auto samePk = sql::exec(*db, insertUser, { u"u1"_s, u"b@example.com"_s }, { dup, missing });
        QVERIFY(!samePk.ok());
        QCOMPARE(samePk.error(), dup);
        auto orphan = sql::exec(
            *db,
            u"INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, created_at, "
            "expires_at, family_expires_at) VALUES (?, ?, ?, ?, 0, 0, 0)"_s,
            { u"t1"_s, u"f1"_s, u"nobody"_s, QByteArray(32, 'x') }, { dup, missing });
        QVERIFY(!orphan.ok());
        QCOMPARE(orphan.error(), missing);
        // Unmapped, the same violation is a bug: internal_error.
        auto unmapped = sql::exec(*db, insertUser, { u"u3"_s, u"a@example.com"_s });
        QVERIFY(!unmapped.ok());
        QCOMPARE(unmapped.error().code, QString(errc::Internal));
    }

    void unreachableDatabaseIsUnavailable()
    {
        const QString requested = TestDatabase::requestedUrl();
        QString text = requested.startsWith(u"postgres"_s)
            ? u"postgresql://nobody@127.0.0.1:1/nothing?connect_timeout=2"_s
            : u"sqlite:/proc/parlance-no-such-dir/x.db"_s;
        auto url = DatabaseUrl::parse(text);
        PARLANCE_VERIFY_OK(url);
        Database database(url.value());
        const auto pinged = database.ping();
        QVERIFY(!pinged.ok());
        QCOMPARE(pinged.error().code, QString(errc::Unavailable));
        QCOMPARE(database.openConnectionCount(), 0);
    }

    void dialectFragmentsRunOnTheDatabase()
    {
        auto tdb = TestDatabase::create();
        QVERIFY(tdb);
        Database &database = tdb->database();
        const SqlDialect dialect = database.dialect();
        auto db = database.connection();
        PARLANCE_VERIFY_OK(sql::execRaw(
            *db, u"CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT NOT NULL, n BIGINT)"_s));
        const QString upsert = u"INSERT INTO kv (k, v, n) VALUES (?, ?, ?) "_s
            + dialect.onConflictUpdate({ u"k"_s }, { u"v"_s, u"n"_s });
        PARLANCE_VERIFY_OK(sql::exec(*db, upsert, { u"a"_s, u"Hello World"_s, 1 }));
        PARLANCE_VERIFY_OK(sql::exec(*db, upsert, { u"a"_s, u"Hello 100% World_x"_s, 2 }));
        const QString insertOrKeep =
            u"INSERT INTO kv (k, v) VALUES (?, ?) "_s + dialect.onConflictDoNothing({ u"k"_s });
        auto kept = sql::execUpdate(*db, insertOrKeep, { u"a"_s, u"ignored"_s });
        PARLANCE_VERIFY_OK(kept);
        QCOMPARE(kept.value(), 0);

        const auto matches = [&](const QString &needle) {
            auto q = sql::exec(
                *db,
                u"SELECT COUNT(*) FROM kv WHERE "_s + dialect.containsInsensitive(u"v") + u" AND "_s
                    + dialect.boolLiteral(true) + u" = "_s + dialect.boolLiteral(true),
                { SqlDialect::likePattern(needle) });
            return q.ok() && q.value().next() ? q.value().value(0).toInt() : -1;
        };
        QCOMPARE(matches(u"hello"_s), 1);
        QCOMPARE(matches(u"100%"_s), 1);
        QCOMPARE(matches(u"0% w"_s), 1);
        QCOMPARE(matches(u"1000%"_s), 0); // % is literal, not a wildcard
        QCOMPARE(matches(u"d_X"_s), 1);
        QCOMPARE(matches(u"o_w"_s), 0); // _ is literal too

        auto returned =
            sql::exec(*db, u"UPDATE kv SET n = n + 1 WHERE k = ? RETURNING n"_s, { u"a"_s });
        PARLANCE_VERIFY_OK(returned);
        QVERIFY(returned.value().next());
        QCOMPARE(returned.value().value(0).toLongLong(), 3);

        auto now = sql::exec(*db, u"SELECT "_s + dialect.nowMillis());
        PARLANCE_VERIFY_OK(now);
        QVERIFY(now.value().next());
        const qint64 dbNow = now.value().value(0).toLongLong();
        // Same clock, so within a minute (a sanity bound, not a timing assertion).
        QVERIFY(qAbs(dbNow - QDateTime::currentMSecsSinceEpoch()) < 60000);
    }

    // Values reach the database exactly, whatever they contain (on
    // PostgreSQL they travel as driver-escaped literals: one round trip).
    void valuesRoundTripExactly_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("plain") << u"hello"_s << QByteArray("abc");
        QTest::newRow("quotes") << u"it's \"quoted\" ''twice''"_s << QByteArray("'\"");
        QTest::newRow("backslashes") << u"C:\\path\\n\\'"_s << QByteArray("\\\\x00");
        QTest::newRow("placeholder-and-comment")
            << u"? -- not a comment /* nor this */ ?"_s << QByteArray("?");
        QTest::newRow("injection-attempt")
            << u"'); DROP TABLE users; --"_s << QByteArray("'); DROP");
        QTest::newRow("unicode") << u"naïve 日本語 🙂 \u200b"_s << QByteArray("\xff\xfe");
        QTest::newRow("binary-with-nul") << u"x"_s << QByteArray("\0\x01\x27\x5c\x80", 5);
        QTest::newRow("empty") << u""_s << QByteArray("");
    }
    void valuesRoundTripExactly()
    {
        QFETCH(QString, text);
        QFETCH(QByteArray, bytes);
        // One database for all rows: CREATE DATABASE is the slow part on PostgreSQL.
        if (!m_valuesDb) {
            m_valuesDb = TestDatabase::create();
            QVERIFY(m_valuesDb);
            auto db = m_valuesDb->database().connection();
            const QString blob = m_valuesDb->isPostgreSql() ? u"BYTEA"_s : u"BLOB"_s;
            PARLANCE_VERIFY_OK(sql::execRaw(
                *db, u"CREATE TABLE v (t TEXT, b "_s + blob + u", n BIGINT, f BOOLEAN, z TEXT)"_s));
        }
        auto db = m_valuesDb->database().connection();
        // A '?' inside a literal of the statement is not a placeholder.
        PARLANCE_VERIFY_OK(
            sql::exec(*db, u"INSERT INTO v (t, b, n, f, z) VALUES (?, ?, ?, ?, ?) -- why?"_s,
                      { text, bytes, qint64(-9007199254740993), true,
                        QVariant(QMetaType::fromType<QString>()) }));
        auto q = sql::exec(*db, u"SELECT t, b, n, f, z, 'what?' FROM v WHERE t = ?"_s, { text });
        PARLANCE_VERIFY_OK(q);
        QVERIFY(q.value().next());
        QCOMPARE(q.value().value(0).toString(), text);
        QCOMPARE(q.value().value(1).toByteArray(), bytes);
        QCOMPARE(q.value().value(2).toLongLong(), qint64(-9007199254740993));
        QCOMPARE(q.value().value(3).toBool(), true);
        QVERIFY(q.value().value(4).isNull());
        QCOMPARE(q.value().value(5).toString(), u"what?"_s);
        QVERIFY(tableExistsAfter(*db));
    }

    void placeholderCountMismatchIsInternalError()
    {
        auto tdb = TestDatabase::create();
        QVERIFY(tdb);
        auto db = tdb->database().connection();
        auto tooFew =
            sql::exec(*db, u"SELECT id FROM users WHERE id = ? AND email = ?"_s, { u"a"_s });
        QVERIFY(!tooFew.ok());
        QCOMPARE(tooFew.error().code, QString(errc::Internal));
    }

    // sql::exec keeps prepared statements per connection: a reused statement
    // runs with its new values only.
    void cachedStatementRunsWithNewValues()
    {
        auto tdb = TestDatabase::create();
        QVERIFY(tdb);
        auto db = tdb->database().connection();
        PARLANCE_VERIFY_OK(db);
        UserRepository users(tdb->database());
        PARLANCE_VERIFY_OK(users.create(u"a@example.com"_s, u"h"_s));
        PARLANCE_VERIFY_OK(users.create(u"b@example.com"_s, u"h"_s));
        const QString byEmail = u"SELECT email FROM users WHERE email = ?"_s;
        for (const QString &email : { u"a@example.com"_s, u"b@example.com"_s, u"a@example.com"_s,
                                      u"nobody@example.com"_s, u"b@example.com"_s }) {
            auto q = sql::exec(*db, byEmail, { email });
            PARLANCE_VERIFY_OK(q);
            if (email.startsWith(u"nobody"_s)) {
                QVERIFY(!q.value().next());
                continue;
            }
            QVERIFY(q.value().next());
            QCOMPARE(q->value(0).toString(), email);
        }
        // Out of the cache while in use, back when done.
        const auto cache = sql::StatementCache::forConnection(*db);
        const int idle = cache->size();
        {
            auto q = sql::exec(*db, byEmail, { u"a@example.com"_s });
            PARLANCE_VERIFY_OK(q);
            QCOMPARE(cache->size(), idle - 1);
        }
        QCOMPARE(cache->size(), idle);
    }

    // The same SQL run again while a first result is still being read gets
    // its own statement; the first one reads on undisturbed.
    void sameStatementTwiceAtOnceIsIndependent()
    {
        auto tdb = TestDatabase::create();
        QVERIFY(tdb);
        auto db = tdb->database().connection();
        PARLANCE_VERIFY_OK(db);
        UserRepository users(tdb->database());
        PARLANCE_VERIFY_OK(users.create(u"a@example.com"_s, u"h"_s));
        PARLANCE_VERIFY_OK(users.create(u"b@example.com"_s, u"h"_s));
        if (tdb->isPostgreSql()) {
            // QPSQL reads forward-only results row by row: any other query on
            // the connection discards the rest of the first, cache or not.
            QSKIP("interleaved reads are a QSQLite capability");
        }
        const QString all = u"SELECT email FROM users ORDER BY email"_s;
        auto outer = sql::exec(*db, all);
        PARLANCE_VERIFY_OK(outer);
        QVERIFY(outer.value().next());
        QCOMPARE(outer->value(0).toString(), u"a@example.com"_s);
        for (int round = 0; round < 2; ++round) {
            auto inner = sql::exec(*db, all);
            PARLANCE_VERIFY_OK(inner);
            QVERIFY(inner.value().next());
            QCOMPARE(inner->value(0).toString(), u"a@example.com"_s);
            QVERIFY(inner.value().next());
            QCOMPARE(inner->value(0).toString(), u"b@example.com"_s);
            QVERIFY(!inner.value().next());
        }
        QVERIFY(outer.value().next());
        QCOMPARE(outer->value(0).toString(), u"b@example.com"_s);
        QVERIFY(!outer.value().next());
    }

    // A cached statement must not keep the values of an earlier run: too
    // few values is an error, as for a fresh statement.
    void cachedStatementChecksPlaceholderCount()
    {
        auto tdb = TestDatabase::create();
        QVERIFY(tdb);
        auto db = tdb->database().connection();
        const QString twoValues = u"SELECT id FROM users WHERE id = ? AND email = ?"_s;
        PARLANCE_VERIFY_OK(sql::exec(*db, twoValues, { u"a"_s, u"b"_s }));
        auto tooFew = sql::exec(*db, twoValues, { u"a"_s });
        QVERIFY(!tooFew.ok());
        QCOMPARE(tooFew.error().code, QString(errc::Internal));
        PARLANCE_VERIFY_OK(sql::exec(*db, twoValues, { u"a"_s, u"b"_s }));
    }

    // A statement that failed with an expected constraint violation runs
    // again fine with other values.
    void statementRunsAgainAfterAViolation()
    {
        auto tdb = TestDatabase::create();
        QVERIFY(tdb);
        UserRepository users(tdb->database());
        PARLANCE_VERIFY_OK(users.create(u"same@example.com"_s, u"h"_s));
        const auto again = users.create(u"same@example.com"_s, u"h"_s);
        QVERIFY(!again.ok());
        QCOMPARE(again.error().code, QString(errc::EmailTaken));
        PARLANCE_VERIFY_OK(users.create(u"other@example.com"_s, u"h"_s));
        const auto third = users.create(u"same@example.com"_s, u"h"_s);
        QVERIFY(!third.ok());
        QCOMPARE(third.error().code, QString(errc::EmailTaken));
        PARLANCE_VERIFY_OK(users.create(u"third@example.com"_s, u"h"_s));
    }

    // A SELECT read only up to its first row and dropped goes back to the
    // cache reset: an unreset SQLite statement would keep its read
    // transaction, and the connection would not see later commits.
    void droppedReadSeesLaterCommits()
    {
        auto tdb = TestDatabase::create();
        QVERIFY(tdb);
        Database &database = tdb->database();
        auto db = database.connection();
        PARLANCE_VERIFY_OK(db);
        {
            auto q = sql::exec(*db, u"SELECT email FROM users WHERE email <> ?"_s, { u"x"_s });
            PARLANCE_VERIFY_OK(q);
            QVERIFY(!q.value().next());
            auto count =
                sql::exec(*db, u"SELECT COUNT(*) FROM users WHERE email <> ?"_s, { u"x"_s });
            PARLANCE_VERIFY_OK(count);
            QVERIFY(count.value().next()); // one row read, the statement not at its end
            QCOMPARE(count->value(0).toLongLong(), 0);
        }
        QThread *thread = QThread::create([&] {
            UserRepository other(database);
            (void)other.create(u"later@example.com"_s, u"h"_s);
        });
        thread->start();
        QVERIFY(thread->wait(30000));
        delete thread;
        auto seen = sql::exec(*db, u"SELECT email FROM users WHERE email <> ?"_s, { u"y"_s });
        PARLANCE_VERIFY_OK(seen);
        QVERIFY(seen.value().next());
        QCOMPARE(seen->value(0).toString(), u"later@example.com"_s);
    }

    void statementCacheIsBounded()
    {
        auto tdb = TestDatabase::create();
        QVERIFY(tdb);
        auto db = tdb->database().connection();
        PARLANCE_VERIFY_OK(db);
        for (int i = 0; i < sql::StatementCache::Capacity + 20; ++i) {
            auto q = sql::exec(*db, u"SELECT id, %1 FROM users WHERE id = ?"_s.arg(i), { u"x"_s });
            PARLANCE_VERIFY_OK(q);
            QVERIFY(!q.value().next());
        }
        QCOMPARE(sql::StatementCache::forConnection(*db)->size(), sql::StatementCache::Capacity);
        // Closing the connection forgets its statements.
        tdb->database().closeThreadConnection();
        auto reopened = tdb->database().connection();
        PARLANCE_VERIFY_OK(reopened);
        QCOMPARE(sql::StatementCache::forConnection(*reopened)->size(), 0);
        PARLANCE_VERIFY_OK(
            sql::exec(*reopened, u"SELECT id, 1 FROM users WHERE id = ?"_s, { u"x"_s }));
    }

    void timesRoundTripAsUtcMilliseconds()
    {
        const QDateTime local =
            QDateTime(QDate(2026, 11, 25), QTime(13, 0, 0, 123), Qt::OffsetFromUTC, 3600);
        const QVariant stored = sql::toDb(local);
        QCOMPARE(stored.toLongLong(), local.toMSecsSinceEpoch());
        const QDateTime back = sql::timeFromDb(stored);
        QCOMPARE(back, local);
        QCOMPARE(back.timeSpec(), Qt::UTC);
        QVERIFY(sql::toDb(QDateTime()).isNull());
        QVERIFY(sql::toDb(std::optional<QDateTime>()).isNull());
        QVERIFY(!sql::optionalTimeFromDb(QVariant()).has_value());
    }

    void newIdsAreTimeOrderedUuidV7()
    {
        QString previous;
        QSet<QString> seen;
        for (int i = 0; i < 2000; ++i) {
            const QString id = sql::newId();
            QCOMPARE(id.size(), 36);
            const QUuid uuid(id);
            QVERIFY(!uuid.isNull());
            // Qt 6.4's QUuid::version() predates v7: read the nibbles.
            QCOMPARE(id.at(14), u'7');
            QVERIFY(QStringLiteral("89ab").contains(id.at(19)));
            QCOMPARE(uuid.variant(), QUuid::DCE);
            QCOMPARE(id, id.toLower());
            // Ordered by their millisecond prefix (within one ms the order is random).
            if (!previous.isEmpty())
                QVERIFY(id.left(13) >= previous.left(13));
            QVERIFY(!seen.contains(id));
            seen.insert(id);
            previous = id;
        }
    }

    void acknowledgedWritesSurviveKill()
    {
        auto tdb = TestDatabase::create();
        QVERIFY(tdb);
        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child.start(QCoreApplication::applicationFilePath(),
                    { u"--durability-writer"_s, tdb->urlText() });
        QVERIFY(child.waitForStarted());
        QStringList acknowledged;
        const auto readAcks = [&] {
            while (child.canReadLine()) {
                const QString line = QString::fromUtf8(child.readLine()).trimmed();
                if (line.startsWith(u"ACK "_s))
                    acknowledged.append(line.sliced(4));
            }
        };
        while (acknowledged.size() < 200 && child.state() == QProcess::Running) {
            child.waitForReadyRead(10000);
            readAcks();
        }
        QCOMPARE(child.state(), QProcess::Running); // the writer never stops by itself
        child.kill(); // SIGKILL: no destructors, no clean close of the database
        QVERIFY(child.waitForFinished(10000));
        readAcks(); // acknowledgements printed before the kill count too
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        QVERIFY2(acknowledged.size() >= 200,
                 qPrintable(u"only %1 acks"_s.arg(acknowledged.size())));

        tdb->reopen();
        UserRepository users(tdb->database());
        for (const QString &id : std::as_const(acknowledged)) {
            auto found = users.findById(id);
            PARLANCE_VERIFY_OK(found);
            QVERIFY2(found->has_value(), qPrintable(u"acknowledged user %1 lost"_s.arg(id)));
        }
    }
};

int main(int argc, char **argv)
{
    if (argc == 3 && qstrcmp(argv[1], "--durability-writer") == 0) {
        QCoreApplication app(argc, argv);
        return runDurabilityWriter(QString::fromLocal8Bit(argv[2]));
    }
    QCoreApplication app(argc, argv);
    TestStorageDatabase test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_storagedatabase.moc"
