#pragma once

#include "common/result.h"
#include "storage/sqldialect.h"

#include <QList>
#include <QPair>
#include <QString>
#include <QStringView>

namespace parlance {

// Where the data lives, parsed from one string:
//   sqlite:PATH                  a file; a relative PATH is taken from the data dir
//   sqlite:PATH?synchronous=full stronger durability (see docs/storage.md)
//   sqlite:PATH?wal_autocheckpoint=N  checkpoint when the WAL holds N pages
//   sqlite::memory:              a private in-memory database (tests)
//   postgresql://user:password@host:port/dbname?sslmode=require&connect_timeout=5
//   postgres://…                 the same; host may also be given as ?host=/socket/dir
// User, password and database name are percent-decoded. Never log url text:
// log redacted(), which drops the password.
struct DatabaseUrl
{
    SqlDialect dialect;

    // SQLite
    QString path; // absolute file path; empty for in-memory
    bool inMemory = false;
    bool synchronousFull = false;
    // Pages in the WAL before a commit copies them into the database file.
    // SQLite's default is 1,000; a page rewritten several times between two
    // checkpoints is copied once, and a message store rewrites the same
    // index pages all the time, so 4,000 (16 MiB with 4 KiB pages) stored
    // about a fifth more messages per second (docs/benchmarks.md). 0 turns
    // automatic checkpoints off (then something else must run them).
    int walAutocheckpointPages = 4000;

    // PostgreSQL
    QString host; // host name, address, or a directory holding the unix socket
    int port = 5432;
    QString user;
    QString password;
    QString databaseName;
    // libpq parameters passed through (allow-listed, values checked).
    QList<QPair<QString, QString>> options;

    [[nodiscard]] bool operator==(const DatabaseUrl &) const = default;

    // The URL again with the password replaced by "***", for logs and errors.
    [[nodiscard]] QString redacted() const;
    // QSqlDatabase::setConnectOptions() text for QPSQL ("k=v;k=v").
    [[nodiscard]] QString postgresConnectOptions() const;

    // `dataDir` anchors relative SQLite paths; it is made absolute too.
    // Errors are invalid_field with a message that never contains the password.
    [[nodiscard]] static Result<DatabaseUrl> parse(QStringView text, const QString &dataDir = {});
};

} // namespace parlance
