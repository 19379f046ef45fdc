#pragma once

#include "common/result.h"
#include "storage/sqldialect.h"

#include <QList>
#include <QString>

namespace parlance {

class Database;

// One numbered schema change: `:/migrations/<dialect>/NNNN_name.sql`.
struct Migration
{
    int version = 0;
    QString name; // file name without number and extension: "accounts"
    QString path; // resource or file path

    [[nodiscard]] bool operator==(const Migration &) const = default;
};

// Brings a database to the schema this binary knows. Each backend module adds
// its own files to the same resource folders (docs/storage.md); the migrator
// lists them, sorts by number and applies the missing ones in order, each in
// its own transaction together with its row in
// schema_migrations(version, name, applied_at).
//
// Safe to run from several processes at once: on PostgreSQL the whole run
// holds a session advisory lock; on SQLite each migration re-checks its
// version inside a BEGIN IMMEDIATE transaction. Refuses (internal_error) to
// touch a database that has a version this binary does not know: that
// database belongs to a newer release.
class Migrator
{
public:
    static constexpr qint64 AdvisoryLockKey = 0x7061726C616E6365; // "parlance"

    // `root` holds one folder per dialect; tests point it at their own files.
    explicit Migrator(Database &database, QString root = QStringLiteral(":/migrations"));

    // The migrations for the database's dialect, sorted by version. Fails on
    // a malformed file name or two files with one number.
    [[nodiscard]] Result<QList<Migration>> available() const;

    // The versions recorded in schema_migrations (empty on a fresh database).
    [[nodiscard]] Result<QList<int>> appliedVersions();

    // Applies what is missing; returns the migrations it applied.
    [[nodiscard]] Result<QList<Migration>> migrate();

    // Lists migrations of any dialect folder under `root`.
    [[nodiscard]] static Result<QList<Migration>> list(const QString &root, SqlDialect dialect);

private:
    Database &m_database;
    QString m_root;
};

} // namespace parlance
