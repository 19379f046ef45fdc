// SqlScript::split: migration files hold several statements.
#include "storage/sqlscript.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace parlance;

class TestStorageSqlScript : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void split_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<QStringList>("statements");
        QTest::newRow("two") << u"CREATE TABLE a (x INT);\nCREATE TABLE b (y INT);\n"_s
                             << QStringList { u"CREATE TABLE a (x INT)"_s,
                                              u"CREATE TABLE b (y INT)"_s };
        QTest::newRow("no-trailing-semicolon")
            << u"SELECT 1; SELECT 2"_s << QStringList { u"SELECT 1"_s, u"SELECT 2"_s };
        QTest::newRow("semicolon-in-string") << u"INSERT INTO t VALUES ('a;b');"_s
                                             << QStringList { u"INSERT INTO t VALUES ('a;b')"_s };
        QTest::newRow("doubled-quote")
            << u"INSERT INTO t VALUES ('it''s; fine'); SELECT 1;"_s
            << QStringList { u"INSERT INTO t VALUES ('it''s; fine')"_s, u"SELECT 1"_s };
        QTest::newRow("quoted-identifier") << u"CREATE TABLE \"a;b\" (x INT);"_s
                                           << QStringList { u"CREATE TABLE \"a;b\" (x INT)"_s };
        QTest::newRow("line-comment")
            << u"-- one; two\nSELECT 1; -- tail;\n"_s << QStringList { u"-- one; two\nSELECT 1"_s };
        QTest::newRow("block-comment")
            << u"/* a; b */ SELECT 1;"_s << QStringList { u"/* a; b */ SELECT 1"_s };
        QTest::newRow("comment-only-dropped")
            << u"SELECT 1;\n-- the end\n/* really */\n"_s << QStringList { u"SELECT 1"_s };
        QTest::newRow("dollar-quoted-body")
            << u"CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN NEW.x := 1; RETURN NEW; END; $$ LANGUAGE plpgsql; SELECT 1;"_s
            << QStringList {
                   u"CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN NEW.x := 1; RETURN NEW; END; $$ LANGUAGE plpgsql"_s,
                   u"SELECT 1"_s
               };
        QTest::newRow("tagged-dollar-quote")
            << u"DO $body$ BEGIN PERFORM 1; END $body$; SELECT 2;"_s
            << QStringList { u"DO $body$ BEGIN PERFORM 1; END $body$"_s, u"SELECT 2"_s };
        QTest::newRow("parameter-not-dollar-quote")
            << u"SELECT $1; SELECT $2;"_s << QStringList { u"SELECT $1"_s, u"SELECT $2"_s };
        QTest::newRow("sqlite-trigger")
            << u"CREATE TRIGGER t AFTER INSERT ON m BEGIN INSERT INTO f VALUES (new.id); DELETE FROM g; END;\nSELECT 1;"_s
            << QStringList {
                   u"CREATE TRIGGER t AFTER INSERT ON m BEGIN INSERT INTO f VALUES (new.id); DELETE FROM g; END"_s,
                   u"SELECT 1"_s
               };
        QTest::newRow("trigger-with-case")
            << u"CREATE TEMP TRIGGER t AFTER UPDATE ON m BEGIN UPDATE f SET x = CASE WHEN new.a THEN 1 ELSE 0 END; END; SELECT 1;"_s
            << QStringList {
                   u"CREATE TEMP TRIGGER t AFTER UPDATE ON m BEGIN UPDATE f SET x = CASE WHEN new.a THEN 1 ELSE 0 END; END"_s,
                   u"SELECT 1"_s
               };
        QTest::newRow("begin-outside-trigger")
            << u"BEGIN; SELECT 1; COMMIT;"_s
            << QStringList { u"BEGIN"_s, u"SELECT 1"_s, u"COMMIT"_s };
        QTest::newRow("empty") << QString() << QStringList {};
        QTest::newRow("unterminated-string-is-one-statement")
            << u"SELECT 'abc; SELECT 2"_s << QStringList { u"SELECT 'abc; SELECT 2"_s };
    }
    void split()
    {
        QFETCH(QString, script);
        QTEST(SqlScript::split(script), "statements");
    }
};

QTEST_GUILESS_MAIN(TestStorageSqlScript)
#include "tst_storagesqlscript.moc"
