#include "testdatabase.h"

#include "storage/migrator.h"
#include "storage/sql.h"

#include <QCoreApplication>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>
#include <QtDebug>

#include <atomic>

using namespace Qt::StringLiterals;

namespace parlance::test {

namespace {

std::atomic<int> g_counter { 0 };

// Runs one statement on the server's admin database over a short-lived
// connection of its own.
bool adminExec(const DatabaseUrl &admin, const QString &statement)
{
    const QString name = u"parlance-test-admin-%1"_s.arg(g_counter.fetch_add(1));
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, name);
        db.setHostName(admin.host);
        db.setPort(admin.port);
        db.setUserName(admin.user);
        db.setPassword(admin.password);
        db.setDatabaseName(admin.databaseName);
        if (!db.open()) {
            qWarning() << "TestDatabase: cannot reach" << admin.redacted() << db.lastError().text();
        } else {
            QSqlQuery query(db);
            ok = query.exec(statement);
            if (!ok)
                qWarning() << "TestDatabase:" << statement << query.lastError().text();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

QString postgresUrlText(const DatabaseUrl &url)
{
    const auto enc = [](const QString &s) { return QString::fromUtf8(QUrl::toPercentEncoding(s)); };
    QString text = u"postgresql://"_s + enc(url.user);
    if (!url.password.isEmpty())
        text += u':' + enc(url.password);
    text += u'@' + url.host + u':' + QString::number(url.port) + u'/' + enc(url.databaseName);
    return text;
}

} // namespace

QString TestDatabase::requestedUrl()
{
    const QString env = qEnvironmentVariable("PARLANCE_TEST_DATABASE_URL");
    return env.isEmpty() ? u"sqlite:"_s : env;
}

std::unique_ptr<TestDatabase> TestDatabase::create(Schema schema)
{
    std::unique_ptr<TestDatabase> t(new TestDatabase);
    const QString requested = requestedUrl();
    if (requested == "sqlite:"_L1) {
        if (!t->m_tempDir.isValid()) {
            qWarning() << "TestDatabase: no temporary directory";
            return nullptr;
        }
        t->m_urlText = u"sqlite:"_s + t->m_tempDir.filePath(u"test.sqlite"_s);
    } else {
        auto admin = DatabaseUrl::parse(requested);
        if (!admin.ok()) {
            qWarning() << "TestDatabase:" << admin.error().message;
            return nullptr;
        }
        t->m_adminUrl = admin.value();
        if (t->m_adminUrl.dialect.isSqlite()) {
            t->m_urlText = requested;
        } else {
            // Unique per process and call, so parallel tests never share data.
            const QString dbName = u"parlance_test_%1_%2_%3"_s.arg(
                QString::number(QCoreApplication::applicationPid()),
                QString::number(g_counter.fetch_add(1)),
                QString::number(QRandomGenerator::global()->bounded(1000000)));
            if (!adminExec(t->m_adminUrl, u"CREATE DATABASE "_s + dbName))
                return nullptr;
            DatabaseUrl url = t->m_adminUrl;
            url.databaseName = dbName;
            t->m_urlText = postgresUrlText(url);
        }
    }
    auto url = DatabaseUrl::parse(t->m_urlText);
    if (!url.ok()) {
        qWarning() << "TestDatabase:" << url.error().message;
        return nullptr;
    }
    t->m_url = url.value();
    t->m_database = std::make_unique<Database>(t->m_url);
    if (schema == Schema::Migrated) {
        auto migrated = Migrator(*t->m_database).migrate();
        if (!migrated.ok()) {
            qWarning() << "TestDatabase: migration failed:" << migrated.error().message;
            return nullptr;
        }
    }
    return t;
}

TestDatabase::~TestDatabase()
{
    m_database.reset();
    if (m_url.dialect.isPostgreSql() && !m_url.databaseName.isEmpty()
        && m_url.databaseName != m_adminUrl.databaseName) {
        (void)adminExec(m_adminUrl,
                        u"DROP DATABASE IF EXISTS "_s + m_url.databaseName + u" WITH (FORCE)"_s);
    }
}

std::unique_ptr<Database> TestDatabase::openAnother() const
{
    return std::make_unique<Database>(m_url);
}

Status TestDatabase::clear()
{
    auto db = m_database->connection();
    if (!db.ok())
        return db.error();
    QStringList tables;
    QStringList virtualTables;
    if (isPostgreSql()) {
        auto q = sql::exec(
            *db, u"SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"_s);
        if (!q.ok())
            return q.error();
        while (q.value().next())
            tables.append(q.value().value(0).toString());
    } else {
        auto q = sql::exec(
            *db,
            u"SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"_s);
        if (!q.ok())
            return q.error();
        while (q.value().next()) {
            const QString name = q.value().value(0).toString();
            if (q.value().value(1).toString().startsWith(u"CREATE VIRTUAL TABLE"_s,
                                                         Qt::CaseInsensitive))
                virtualTables.append(name);
            tables.append(name);
        }
    }
    tables.removeAll(u"schema_migrations"_s);
    // Shadow tables of a virtual table belong to it.
    tables.removeIf([&](const QString &table) {
        return std::any_of(virtualTables.cbegin(), virtualTables.cend(),
                           [&](const QString &v) { return table.startsWith(v + u'_'); });
    });
    if (tables.isEmpty())
        return Done {};
    if (isPostgreSql())
        return sql::execRaw(*db, u"TRUNCATE "_s + tables.join(u", "_s) + u" CASCADE"_s);
    if (auto off = sql::execRaw(*db, u"PRAGMA foreign_keys=OFF"_s); !off.ok())
        return off;
    for (const QString &table : std::as_const(tables)) {
        if (auto deleted = sql::execRaw(*db, u"DELETE FROM "_s + table); !deleted.ok()) {
            (void)sql::execRaw(*db, u"PRAGMA foreign_keys=ON"_s);
            return deleted;
        }
    }
    return sql::execRaw(*db, u"PRAGMA foreign_keys=ON"_s);
}

void TestDatabase::reopen()
{
    m_database.reset();
    m_database = std::make_unique<Database>(m_url);
}

} // namespace parlance::test
