#include "storage/database.h"

#include "contract/errorcodes.h"
#include "storage/groupcommit.h"
#include "storage/sql.h"
#include "storage/storagelog.h"

#include <QDir>
#include <QFileInfo>
#include <QMutex>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

#include <atomic>

using namespace Qt::StringLiterals;

namespace parlance {

struct Database::Shared
{
    mutable QMutex mutex;
    QSet<QString> names; // connections open right now, on any thread
};

namespace {

std::atomic<quint64> g_nextDatabaseId { 1 };
std::atomic<quint64> g_nextConnectionId { 1 };

ApiError unavailable(const QString &message)
{
    return ApiError { QString(errc::Unavailable), message, std::nullopt };
}

// Runs a session setting; PRAGMAs that return a row are fine here.
bool execSetting(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery query(db);
    if (!query.exec(sql)) {
        qCWarning(lcStorage) << "session setting failed:" << sql << query.lastError().text();
        return false;
    }
    return true;
}

} // namespace

// Owned by QThreadStorage: deleted on the thread that used it when that thread
// finishes, which is the only thread allowed to close the connection.
class Database::ThreadConnection
{
public:
    ThreadConnection(std::weak_ptr<Shared> shared, QString name, QSqlDatabase db)
        : m_shared(std::move(shared))
        , m_name(std::move(name))
        , m_db(std::move(db))
    { }
    ~ThreadConnection()
    {
        sql::dropStatementCache(m_db);
        m_db.close();
        m_db = QSqlDatabase(); // drop our handle so removeDatabase finds it unused
        QSqlDatabase::removeDatabase(m_name);
        if (const auto shared = m_shared.lock()) {
            const QMutexLocker lock(&shared->mutex);
            shared->names.remove(m_name);
        }
    }
    ThreadConnection(const ThreadConnection &) = delete;
    ThreadConnection &operator=(const ThreadConnection &) = delete;

    [[nodiscard]] QSqlDatabase &db() { return m_db; }

private:
    std::weak_ptr<Shared> m_shared;
    QString m_name;
    QSqlDatabase m_db;
};

Database::Database(DatabaseUrl url, DatabaseOptions options)
    : m_url(std::move(url))
    , m_options(options)
    , m_id(g_nextDatabaseId.fetch_add(1))
    , m_shared(std::make_shared<Shared>())
    // PARLANCE_GROUP_COMMIT=0: every write commits alone (for A/B runs).
    , m_groupCommit(std::make_unique<GroupCommit>(
          *this,
          m_url.dialect.isSqlite() ? GroupCommit::Leader::WriterThread
                                   : GroupCommit::Leader::CallerLeads,
          qEnvironmentVariableIsSet("PARLANCE_GROUP_COMMIT")
                  && qEnvironmentVariableIntValue("PARLANCE_GROUP_COMMIT") == 0
              ? 1
              : 64))
{ }

Database::~Database()
{
    m_groupCommit.reset(); // finishes queued writes, closes the writer's connection
    m_perThread.setLocalData(nullptr); // closes this thread's connection
    const QMutexLocker lock(&m_shared->mutex);
    if (!m_shared->names.isEmpty()) {
        qCWarning(lcStorage) << m_shared->names.size()
                             << "database connection(s) still owned by running threads;"
                                " stop worker threads before destroying the Database";
    }
}

Result<QSqlDatabase> Database::connection()
{
    if (m_perThread.hasLocalData()) {
        ThreadConnection *current = m_perThread.localData();
        if (current && current->db().isOpen())
            return current->db();
        if (current) {
            // Closed after a lost connection: reopen the same handle, so
            // copies callers still hold stay valid. Statements prepared on
            // the old session are gone with it.
            sql::dropStatementCache(current->db());
            if (auto reopened = openAndConfigure(current->db()); !reopened.ok())
                return reopened.error();
            qCInfo(lcStorage) << "reconnected to" << m_url.redacted();
            return current->db();
        }
    }
    const QString name = u"parlance-storage-%1"_s.arg(g_nextConnectionId.fetch_add(1));
    auto opened = open(name);
    if (!opened.ok()) {
        QSqlDatabase::removeDatabase(name);
        return opened.error();
    }
    {
        const QMutexLocker lock(&m_shared->mutex);
        m_shared->names.insert(name);
    }
    auto *holder = new ThreadConnection(m_shared, name, opened.value());
    m_perThread.setLocalData(holder);
    return holder->db();
}

Result<QSqlDatabase> Database::open(const QString &name)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(m_url.dialect.driverName(), name);
    if (!db.isValid())
        return unavailable(
            u"The %1 SQL driver is not available."_s.arg(m_url.dialect.driverName()));

    if (m_url.dialect.isSqlite()) {
        QStringList connectOptions { u"QSQLITE_BUSY_TIMEOUT=%1"_s.arg(
            m_options.sqliteBusyTimeoutMs) };
        if (m_url.inMemory) {
            // One shared-cache in-memory database per Database object, so
            // every thread's connection sees the same tables while at least
            // one connection is open.
            db.setDatabaseName(u"file:parlance-mem-%1?mode=memory&cache=shared"_s.arg(m_id));
            connectOptions.append(u"QSQLITE_OPEN_URI"_s);
        } else {
            QDir().mkpath(QFileInfo(m_url.path).absolutePath());
            db.setDatabaseName(m_url.path);
        }
        db.setConnectOptions(connectOptions.join(u';'));
    } else {
        db.setHostName(m_url.host);
        db.setPort(m_url.port);
        db.setDatabaseName(m_url.databaseName);
        db.setUserName(m_url.user);
        db.setPassword(m_url.password);
        QString options = m_url.postgresConnectOptions();
        const bool hasTimeout =
            std::any_of(m_url.options.cbegin(), m_url.options.cend(),
                        [](const auto &kv) { return kv.first == "connect_timeout"_L1; });
        if (!hasTimeout) {
            if (!options.isEmpty())
                options.append(u';');
            options.append(u"connect_timeout=%1"_s.arg(m_options.postgresConnectTimeoutSeconds));
        }
        db.setConnectOptions(options);
    }
    if (auto opened = openAndConfigure(db); !opened.ok())
        return opened.error();
    return db;
}

Status Database::openAndConfigure(QSqlDatabase &db)
{
    if (!db.open()) {
        // libpq and SQLite error texts do not contain the password.
        qCWarning(lcStorage) << "cannot open" << m_url.redacted() << ':' << db.lastError().text();
        return unavailable(u"The database is not reachable."_s);
    }

    if (m_url.dialect.isSqlite()) {
        // WAL: readers never block the writer. synchronous=NORMAL in WAL mode
        // survives a crash or kill -9 of the process (committed pages are in
        // the WAL file, i.e. in the OS page cache); only an OS crash or power
        // loss can lose the last transactions. synchronous=FULL fsyncs the WAL
        // at every commit. foreign_keys is off by default in SQLite, per
        // connection. busy_timeout is also set through the driver option.
        bool ok = true;
        if (!m_url.inMemory)
            ok = execSetting(db, u"PRAGMA journal_mode=WAL"_s);
        ok = ok
            && execSetting(db,
                           m_url.synchronousFull ? u"PRAGMA synchronous=FULL"_s
                                                 : u"PRAGMA synchronous=NORMAL"_s);
        ok = ok && execSetting(db, u"PRAGMA foreign_keys=ON"_s);
        ok = ok && execSetting(db, u"PRAGMA busy_timeout=%1"_s.arg(m_options.sqliteBusyTimeoutMs));
        // No memory map (SQLite's default): while the file grows, every
        // connection re-maps it at its next transaction and faults its pages
        // back in, and with messages stored all the time that cost the
        // readers more than the pread() calls it saves: a 60 s HTTP store ran
        // 861-866 rows/s mapped against 980-992 unmapped, and no read row was
        // slower (docs/benchmarks.md). PARLANCE_SQLITE_MMAP=1 maps 256 MiB
        // (for A/B runs).
        if (!m_url.inMemory && qEnvironmentVariableIntValue("PARLANCE_SQLITE_MMAP") == 1)
            ok = ok && execSetting(db, u"PRAGMA mmap_size=268435456"_s);
        if (!m_url.inMemory) {
            ok = ok
                && execSetting(db,
                               u"PRAGMA wal_autocheckpoint=%1"_s.arg(m_url.walAutocheckpointPages));
        }
        if (!ok) {
            db.close();
            return unavailable(u"The database could not be configured."_s);
        }
    }
    return Done {};
}

Status Database::ping()
{
    auto db = connection();
    if (!db.ok())
        return db.error();
    QSqlQuery query(db.value());
    if (!query.exec(u"SELECT 1"_s) || !query.next()) {
        qCWarning(lcStorage) << "ping failed on" << m_url.redacted() << ':'
                             << query.lastError().text();
        if (m_url.dialect.isPostgreSql()) {
            sql::dropStatementCache(db.value());
            db.value().close(); // reconnect on the next call
        }
        return unavailable(u"The database does not answer."_s);
    }
    return Done {};
}

void Database::closeThreadConnection()
{
    m_perThread.setLocalData(nullptr);
}

int Database::openConnectionCount() const
{
    const QMutexLocker lock(&m_shared->mutex);
    return int(m_shared->names.size());
}

} // namespace parlance
