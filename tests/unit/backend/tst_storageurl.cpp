// DatabaseUrl: the one string that says where data lives.
#include "storage/databaseurl.h"

#include <QDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace parlance;

class TestStorageUrl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sqlitePaths_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("inMemory");
        QTest::addColumn<bool>("full");
        QTest::newRow("relative-to-data-dir")
            << u"sqlite:parlance.db"_s << u"/var/lib/parlance/parlance.db"_s << false << false;
        QTest::newRow("relative-subdir")
            << u"sqlite:db/x.sqlite"_s << u"/var/lib/parlance/db/x.sqlite"_s << false << false;
        QTest::newRow("absolute") << u"sqlite:/srv/data/p.db"_s << u"/srv/data/p.db"_s << false
                                  << false;
        QTest::newRow("triple-slash-absolute")
            << u"sqlite:///srv/p.db"_s << u"/srv/p.db"_s << false << false;
        QTest::newRow("dot-segments-cleaned")
            << u"sqlite:a/../b.db"_s << u"/var/lib/parlance/b.db"_s << false << false;
        QTest::newRow("percent-decoded")
            << u"sqlite:my%20data.db"_s << u"/var/lib/parlance/my data.db"_s << false << false;
        QTest::newRow("memory") << u"sqlite::memory:"_s << QString() << true << false;
        QTest::newRow("synchronous-full")
            << u"sqlite:p.db?synchronous=full"_s << u"/var/lib/parlance/p.db"_s << false << true;
        QTest::newRow("synchronous-normal")
            << u"sqlite:p.db?synchronous=normal"_s << u"/var/lib/parlance/p.db"_s << false << false;
        QTest::newRow("surrounding-space")
            << u"  sqlite:p.db \n"_s << u"/var/lib/parlance/p.db"_s << false << false;
    }
    void sqlitePaths()
    {
        QFETCH(QString, text);
        QFETCH(QString, path);
        QFETCH(bool, inMemory);
        QFETCH(bool, full);
        const auto url = DatabaseUrl::parse(text, u"/var/lib/parlance"_s);
        QVERIFY2(url.ok(), qPrintable(url.ok() ? QString() : url.error().message));
        QVERIFY(url->dialect.isSqlite());
        QCOMPARE(url->path, path);
        QCOMPARE(url->inMemory, inMemory);
        QCOMPARE(url->synchronousFull, full);
    }

    void sqliteCheckpointPages()
    {
        auto byDefault = DatabaseUrl::parse(u"sqlite:p.db"_s, u"/d"_s);
        QVERIFY(byDefault.ok());
        QCOMPARE(byDefault->walAutocheckpointPages, 4000);
        auto set =
            DatabaseUrl::parse(u"sqlite:p.db?synchronous=full&wal_autocheckpoint=1000"_s, u"/d"_s);
        QVERIFY(set.ok());
        QCOMPARE(set->walAutocheckpointPages, 1000);
        QVERIFY(set->synchronousFull);
        QCOMPARE(set->redacted(), u"sqlite:/d/p.db?synchronous=full&wal_autocheckpoint=1000"_s);
    }

    void sqliteWithoutDataDirUsesCurrentDirectory()
    {
        const auto url = DatabaseUrl::parse(u"sqlite:x.db"_s);
        QVERIFY(url.ok());
        QCOMPARE(url->path, QDir::current().absoluteFilePath(u"x.db"_s));
    }

    void postgres_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("dbname");
        QTest::addColumn<QString>("options");
        QTest::newRow("full") << u"postgresql://app:secret@db.example.com:6432/parlance"_s
                              << u"db.example.com"_s << 6432 << u"app"_s << u"secret"_s
                              << u"parlance"_s << QString();
        QTest::newRow("short-scheme") << u"postgres://app@localhost/p"_s << u"localhost"_s << 5432
                                      << u"app"_s << QString() << u"p"_s << QString();
        QTest::newRow("default-port") << u"postgresql://u:p@10.0.0.5/x"_s << u"10.0.0.5"_s << 5432
                                      << u"u"_s << u"p"_s << u"x"_s << QString();
        QTest::newRow("password-percent-encoded")
            << u"postgresql://u:p%40ss%3Aw%2Frd%25@h/d"_s << u"h"_s << 5432 << u"u"_s
            << u"p@ss:w/rd%"_s << u"d"_s << QString();
        QTest::newRow("user-percent-encoded") << u"postgresql://us%20er@h/d"_s << u"h"_s << 5432
                                              << u"us er"_s << QString() << u"d"_s << QString();
        QTest::newRow("ipv6") << u"postgresql://u@[::1]:5433/d"_s << u"::1"_s << 5433 << u"u"_s
                              << QString() << u"d"_s << QString();
        QTest::newRow("socket-dir-in-query")
            << u"postgresql://u@/d?host=/run/postgresql"_s << u"/run/postgresql"_s << 5432 << u"u"_s
            << QString() << u"d"_s << QString();
        QTest::newRow("socket-dir-encoded-host")
            << u"postgresql://u@%2Ftmp%2Fpg:5999/d"_s << u"/tmp/pg"_s << 5999 << u"u"_s << QString()
            << u"d"_s << QString();
        QTest::newRow("libpq-options")
            << u"postgresql://u@h/d?sslmode=require&connect_timeout=3"_s << u"h"_s << 5432 << u"u"_s
            << QString() << u"d"_s << u"sslmode=require;connect_timeout=3"_s;
        QTest::newRow("user-password-in-query")
            << u"postgresql://h/d?user=a&password=b&port=7000"_s << u"h"_s << 7000 << u"a"_s
            << u"b"_s << u"d"_s << QString();
    }
    void postgres()
    {
        QFETCH(QString, text);
        const auto url = DatabaseUrl::parse(text);
        QVERIFY2(url.ok(), qPrintable(url.ok() ? QString() : url.error().message));
        QVERIFY(url->dialect.isPostgreSql());
        QTEST(url->host, "host");
        QTEST(url->port, "port");
        QTEST(url->user, "user");
        QTEST(url->password, "password");
        QTEST(url->databaseName, "dbname");
        QTEST(url->postgresConnectOptions(), "options");
    }

    void refused_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << QString();
        QTest::newRow("unknown-scheme") << u"mysql://u@h/d"_s;
        QTest::newRow("sqlite-no-path") << u"sqlite:"_s;
        QTest::newRow("sqlite-authority") << u"sqlite://host/x.db"_s;
        QTest::newRow("sqlite-unknown-option") << u"sqlite:x.db?journal=delete"_s;
        QTest::newRow("sqlite-checkpoint-negative") << u"sqlite:x.db?wal_autocheckpoint=-1"_s;
        QTest::newRow("sqlite-checkpoint-text") << u"sqlite:x.db?wal_autocheckpoint=often"_s;
        QTest::newRow("pg-no-host") << u"postgresql://u:p@/d"_s;
        QTest::newRow("pg-no-database") << u"postgresql://u:p@h:5432"_s;
        QTest::newRow("pg-port-zero") << u"postgresql://u@h:0/d"_s;
        QTest::newRow("pg-port-huge") << u"postgresql://u@h:70000/d"_s;
        QTest::newRow("pg-port-text") << u"postgresql://u@h:abc/d"_s;
        QTest::newRow("pg-unknown-option") << u"postgresql://u@h/d?sslmodee=require"_s;
        QTest::newRow("pg-option-injection")
            << u"postgresql://u@h/d?sslmode=disable%20host%3Devil"_s;
        QTest::newRow("pg-option-empty") << u"postgresql://u@h/d?sslmode="_s;
        QTest::newRow("pg-unterminated-ipv6") << u"postgresql://u@[::1/d"_s;
    }
    void refused()
    {
        QFETCH(QString, text);
        const auto url = DatabaseUrl::parse(text);
        QVERIFY(!url.ok());
        QCOMPARE(url.error().code, u"invalid_field"_s);
    }

    void errorsNeverContainThePassword()
    {
        const auto url = DatabaseUrl::parse(u"postgresql://u:hunter2secret@h/d?bogus=1"_s);
        QVERIFY(!url.ok());
        QVERIFY(!url.error().message.contains(u"hunter2secret"_s));
    }

    void redactedHidesPassword_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("redacted");
        QTest::newRow("tcp") << u"postgresql://app:hunter2@db:6432/parlance?sslmode=require"_s
                             << u"postgresql://app:***@db:6432/parlance?sslmode=require"_s;
        QTest::newRow("socket") << u"postgres://app@/p?host=/run/pg"_s
                                << u"postgresql://app@:5432/p?host=/run/pg"_s;
        QTest::newRow("sqlite") << u"sqlite:/x/y.db?synchronous=full"_s
                                << u"sqlite:/x/y.db?synchronous=full"_s;
    }
    void redactedHidesPassword()
    {
        QFETCH(QString, text);
        const auto url = DatabaseUrl::parse(text);
        QVERIFY(url.ok());
        QTEST(url->redacted(), "redacted");
    }
};

QTEST_GUILESS_MAIN(TestStorageUrl)
#include "tst_storageurl.moc"
