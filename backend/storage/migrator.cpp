#include "storage/migrator.h"

#include "contract/errorcodes.h"
#include "storage/database.h"
#include "storage/sql.h"
#include "storage/sqlscript.h"
#include "storage/storagelog.h"
#include "storage/transaction.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

ApiError migrationError(const QString &message)
{
    qCCritical(lcStorage).noquote() << message;
    return ApiError { QString(errc::Internal), message, std::nullopt };
}

// Releases the PostgreSQL advisory lock however migrate() returns.
class AdvisoryLock
{
public:
    explicit AdvisoryLock(QSqlDatabase db)
        : m_db(std::move(db))
    { }
    ~AdvisoryLock()
    {
        if (m_held)
            (void)sql::exec(m_db, u"SELECT pg_advisory_unlock(?)"_s, { Migrator::AdvisoryLockKey });
    }
    AdvisoryLock(const AdvisoryLock &) = delete;
    AdvisoryLock &operator=(const AdvisoryLock &) = delete;

    [[nodiscard]] Status acquire()
    {
        // Blocks until a concurrently starting node has finished migrating.
        auto locked =
            sql::exec(m_db, u"SELECT pg_advisory_lock(?)"_s, { Migrator::AdvisoryLockKey });
        if (!locked.ok())
            return locked.error();
        m_held = true;
        return Done {};
    }

private:
    QSqlDatabase m_db;
    bool m_held = false;
};

} // namespace

Migrator::Migrator(Database &database, QString root)
    : m_database(database)
    , m_root(std::move(root))
{ }

Result<QList<Migration>> Migrator::list(const QString &root, SqlDialect dialect)
{
    static const QRegularExpression fileName(u"^(\\d{4})_([a-z0-9_]+)\\.sql$"_s);
    const QDir dir(root + u'/' + dialect.name());
    QList<Migration> migrations;
    const QStringList files = dir.entryList({ u"*"_s }, QDir::Files, QDir::Name);
    for (const QString &file : files) {
        const auto match = fileName.match(file);
        if (!match.hasMatch())
            return migrationError(
                u"Migration file name %1/%2 is not NNNN_lower_case_name.sql"_s.arg(dir.path(),
                                                                                   file));
        migrations.append(
            Migration { match.captured(1).toInt(), match.captured(2), dir.filePath(file) });
    }
    std::sort(migrations.begin(), migrations.end(),
              [](const Migration &a, const Migration &b) { return a.version < b.version; });
    for (qsizetype i = 1; i < migrations.size(); ++i) {
        if (migrations[i].version == migrations[i - 1].version)
            return migrationError(u"Two migrations have number %1: %2 and %3"_s.arg(
                QString::number(migrations[i].version), migrations[i - 1].path,
                migrations[i].path));
    }
    return migrations;
}

Result<QList<Migration>> Migrator::available() const
{
    return list(m_root, m_database.dialect());
}

Result<QList<int>> Migrator::appliedVersions()
{
    auto db = m_database.connection();
    if (!db.ok())
        return db.error();
    if (!db->tables().contains(u"schema_migrations"_s))
        return QList<int> {};
    auto query = sql::exec(*db, u"SELECT version FROM schema_migrations ORDER BY version"_s);
    if (!query.ok())
        return query.error();
    QList<int> versions;
    while (query.value().next())
        versions.append(query.value().value(0).toInt());
    return versions;
}

Result<QList<Migration>> Migrator::migrate()
{
    auto connection = m_database.connection();
    if (!connection.ok())
        return connection.error();
    const QSqlDatabase db = connection.value();
    const SqlDialect dialect = m_database.dialect();

    auto known = available();
    if (!known.ok())
        return known.error();

    AdvisoryLock lock(db);
    if (dialect.isPostgreSql()) {
        if (auto locked = lock.acquire(); !locked.ok())
            return locked.error();
    }

    if (auto created = sql::execRaw(db,
                                    u"CREATE TABLE IF NOT EXISTS schema_migrations ("
                                    "version INTEGER PRIMARY KEY, "
                                    "name TEXT NOT NULL, "
                                    "applied_at BIGINT NOT NULL)"_s);
        !created.ok()) {
        return created.error();
    }

    auto applied = appliedVersions();
    if (!applied.ok())
        return applied.error();
    const int newestKnown = known->isEmpty() ? 0 : known->constLast().version;
    for (const int version : applied.value()) {
        const bool isKnown =
            std::any_of(known->cbegin(), known->cend(),
                        [version](const Migration &m) { return m.version == version; });
        if (isKnown)
            continue;
        if (version > newestKnown)
            return migrationError(
                u"The database has schema version %1 but this parlanced knows only up to %2: "
                "it was migrated by a newer release. Run that release (or newer)."_s.arg(
                    QString::number(version), QString::number(newestKnown)));
        return migrationError(u"The database has schema version %1, which this parlanced does not "
                              "know (a removed or renamed migration?)."_s.arg(version));
    }

    QList<Migration> done;
    for (const Migration &migration : known.value()) {
        if (applied->contains(migration.version))
            continue;
        QFile file(migration.path);
        if (!file.open(QIODevice::ReadOnly))
            return migrationError(u"Cannot read migration %1"_s.arg(migration.path));
        const QStringList statements = SqlScript::split(QString::fromUtf8(file.readAll()));

        Transaction tx(db);
        if (auto begun = tx.begin(); !begun.ok())
            return begun.error();
        // Another process may have applied it since we listed (SQLite has no
        // advisory lock; BEGIN IMMEDIATE makes this check and the writes atomic).
        {
            auto exists = sql::exec(db, u"SELECT 1 FROM schema_migrations WHERE version = ?"_s,
                                    { migration.version });
            if (!exists.ok())
                return exists.error();
            if (exists.value().next())
                continue; // tx rolls back (nothing written)
        }
        for (const QString &statement : statements) {
            if (auto ran = sql::execRaw(db, statement); !ran.ok())
                return migrationError(u"Migration %1 (%2) failed; nothing of it was applied."_s.arg(
                    QString::number(migration.version), migration.name));
        }
        if (auto recorded = sql::exec(
                db,
                u"INSERT INTO schema_migrations (version, name, applied_at) "
                "VALUES (?, ?, ?)"_s,
                { migration.version, migration.name, QDateTime::currentMSecsSinceEpoch() });
            !recorded.ok()) {
            return recorded.error();
        }
        if (auto committed = tx.commit(); !committed.ok())
            return committed.error();
        qCInfo(lcStorage).noquote() << "applied migration" << migration.version << migration.name;
        done.append(migration);
    }
    return done;
}

} // namespace parlance
