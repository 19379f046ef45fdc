#pragma once

#include "common/result.h"
#include "storage/databaseurl.h"
#include "storage/sqldialect.h"

#include <QSqlDatabase>
#include <QString>
#include <QThreadStorage>

#include <memory>

namespace parlance {

class GroupCommit;

struct DatabaseOptions
{
    // How long a SQLite writer waits for the lock before failing.
    int sqliteBusyTimeoutMs = 5000;
    // libpq connect_timeout when the URL does not set one.
    int postgresConnectTimeoutSeconds = 5;
};

// The database a process talks to: its URL, dialect and one connection per
// thread. Qt requires a QSqlDatabase to be used only on the thread that opened
// it, so connection() hands each calling thread its own, opened on first use
// and closed when that thread finishes. Create one Database at start-up and
// share it by reference; it must outlive the worker threads that use it (the
// connections of threads still running at destruction are closed from the
// destroying thread, which is only safe when they are idle).
//
// Thread-safe: every method may be called from any thread.
class Database
{
public:
    explicit Database(DatabaseUrl url, DatabaseOptions options = {});
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    [[nodiscard]] const DatabaseUrl &url() const { return m_url; }
    [[nodiscard]] SqlDialect dialect() const { return m_url.dialect; }
    [[nodiscard]] const DatabaseOptions &options() const { return m_options; }

    // The calling thread's open connection. Fails with service_unavailable
    // when the database cannot be opened (logged with the redacted URL). A
    // PostgreSQL connection closed after a lost-connection error is reopened
    // here on the next call.
    [[nodiscard]] Result<QSqlDatabase> connection();

    // Readiness: opens the calling thread's connection if needed and runs
    // SELECT 1. service_unavailable when the database does not answer.
    [[nodiscard]] Status ping();

    // Closes the calling thread's connection now (it reopens on next use).
    void closeThreadConnection();

    // How many per-thread connections are open right now (for tests and
    // the admin health view).
    [[nodiscard]] int openConnectionCount() const;

    // The one group-commit queue of this database (storage/groupcommit.h):
    // hot writes go through it so concurrent ones share a transaction.
    [[nodiscard]] GroupCommit &groupCommit() { return *m_groupCommit; }

    struct Shared; // registry of per-thread connections; outlives threads' holders

private:
    [[nodiscard]] Result<QSqlDatabase> open(const QString &name);
    [[nodiscard]] Status openAndConfigure(QSqlDatabase &db);

    DatabaseUrl m_url;
    DatabaseOptions m_options;
    quint64 m_id;
    std::shared_ptr<Shared> m_shared;
    std::unique_ptr<GroupCommit> m_groupCommit;
    class ThreadConnection;
    QThreadStorage<ThreadConnection *> m_perThread;
};

} // namespace parlance
