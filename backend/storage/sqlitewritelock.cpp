#include "storage/sqlitewritelock.h"

#include <QHash>
#include <QMutex>

#include <memory>

using namespace Qt::StringLiterals;

namespace parlance {

QRecursiveMutex *SqliteWriteLock::forConnection(const QSqlDatabase &db)
{
    if (db.driverName() != "QSQLITE"_L1)
        return nullptr;
    // Entries live as long as the process: one per database file ever opened.
    static QMutex mapMutex;
    static QHash<QString, std::shared_ptr<QRecursiveMutex>> locks;
    const QMutexLocker guard(&mapMutex);
    auto &lock = locks[db.databaseName()];
    if (!lock)
        lock = std::make_shared<QRecursiveMutex>();
    return lock.get();
}

bool SqliteWriteLock::isWriteStatement(QStringView statement)
{
    statement = statement.trimmed();
    static const QLatin1StringView writes[] = { "INSERT"_L1, "UPDATE"_L1, "DELETE"_L1, "REPLACE"_L1,
                                                "CREATE"_L1, "DROP"_L1,   "ALTER"_L1,  "WITH"_L1 };
    for (const QLatin1StringView word : writes) {
        if (statement.size() >= word.size()
            && statement.first(word.size()).compare(word, Qt::CaseInsensitive) == 0
            && (statement.size() == word.size() || !statement[word.size()].isLetterOrNumber()))
            return true;
    }
    return false;
}

} // namespace parlance
