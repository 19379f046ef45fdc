#pragma once

#include "storage/database.h"
#include "storage/databaseurl.h"

#include <QString>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

// QVERIFY for Result/Status values, printing the error's code and message.
#define PARLANCE_VERIFY_OK(expr)                                                                   \
    do {                                                                                           \
        const auto &parlance_result_ = (expr);                                                     \
        QVERIFY2(parlance_result_.ok(),                                                            \
                 qPrintable(parlance_result_.ok() ? QString()                                      \
                                                  : parlance_result_.error().code + u": "          \
                                    + parlance_result_.error().message));                          \
    } while (false)

namespace parlance::test {

// A fresh database for one test, on whatever PARLANCE_TEST_DATABASE_URL names
// (parlance_add_db_test sets it; unset means SQLite):
//   "sqlite:" or unset   a new file in a temporary directory
//   postgresql://…       the admin URL of a server; a uniquely named database
//                        is created on it and dropped (WITH (FORCE)) at the end
// Usage:
//   auto tdb = TestDatabase::create();          // QVERIFY(tdb) — or QSKIP on failure
//   Database &db = tdb->database();             // migrated unless asked otherwise
class TestDatabase
{
public:
    enum class Schema { Migrated, Empty };

    // nullptr (with a qWarning saying why) when the database cannot be made.
    [[nodiscard]] static std::unique_ptr<TestDatabase> create(Schema schema = Schema::Migrated);
    ~TestDatabase();
    TestDatabase(const TestDatabase &) = delete;
    TestDatabase &operator=(const TestDatabase &) = delete;

    [[nodiscard]] Database &database() { return *m_database; }
    [[nodiscard]] const DatabaseUrl &url() const { return m_url; }
    // The URL as text (with the password), e.g. to hand to a child process.
    [[nodiscard]] QString urlText() const { return m_urlText; }
    [[nodiscard]] bool isPostgreSql() const { return m_url.dialect.isPostgreSql(); }

    // Another Database object on the same data: a second "node" or a reopen
    // after the first was closed.
    [[nodiscard]] std::unique_ptr<Database> openAnother() const;
    // Deletes every row of every table except schema_migrations, on the
    // calling thread's connection: much cheaper than a new database (CREATE
    // DATABASE costs ~0.5 s on PostgreSQL), so suites create one TestDatabase
    // in initTestCase() and clear() it in init(). Virtual (FTS) tables are
    // emptied with DELETE and their shadow tables left to them.
    [[nodiscard]] Status clear();

    // Destroys the Database (closing this thread's connection) and opens it anew.
    void reopen();

    // The URL the environment asks for ("sqlite:" when unset).
    [[nodiscard]] static QString requestedUrl();

private:
    TestDatabase() = default;

    QTemporaryDir m_tempDir;
    DatabaseUrl m_url;
    QString m_urlText;
    DatabaseUrl m_adminUrl; // PostgreSQL: where to drop the database from
    std::unique_ptr<Database> m_database;
};

} // namespace parlance::test
