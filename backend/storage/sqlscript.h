#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>

namespace parlance {

// Splits a migration file into statements, because QSqlQuery runs one
// statement at a time. A ';' ends a statement except inside '…' strings,
// "…" identifiers, -- and /* */ comments, PostgreSQL $tag$…$tag$ bodies, and
// between BEGIN and END of a CREATE TRIGGER (SQLite trigger bodies hold
// statements of their own). Comment-only pieces are dropped.
class SqlScript
{
public:
    [[nodiscard]] static QStringList split(QStringView script);
};

} // namespace parlance
