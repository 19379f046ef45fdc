#include "conversations/folderrepository.h"

#include "conversations/conversationrules.h"
#include "conversations/sqltext.h"
#include "storage/database.h"
#include "storage/sql.h"
#include "storage/transaction.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

const QString Columns = u"id, name, parent_id, created_at"_s;

Folder folderFrom(const QSqlQuery &row)
{
    Folder folder;
    folder.id = row.value(0).toString();
    folder.name = row.value(1).toString();
    folder.parentId = row.value(2).isNull() ? QString() : row.value(2).toString();
    folder.createdAt = sql::timeFromDb(row.value(3));
    return folder;
}

ApiError folderNotFound()
{
    return notFound(u"Folder"_s);
}

// The parent a folder may be put under: an existing top-level folder of the
// same user, other than the folder itself.
Status checkParent(const QSqlDatabase &db, const QString &userId, const QString &parentId,
                   const QString &selfId)
{
    if (parentId == selfId)
        return invalidField(u"parent_id"_s, u"cannot be the folder itself."_s);
    auto parent = sql::exec(db, u"SELECT parent_id FROM folders WHERE user_id = ? AND id = ?"_s,
                            { userId, parentId });
    if (!parent)
        return parent.error();
    if (!parent.value().next())
        return notFound(u"Parent folder"_s);
    if (!parent->value(0).isNull()) {
        return invalidField(u"parent_id"_s,
                            u"must be a top-level folder: folders nest one level only."_s);
    }
    return Done {};
}

} // namespace

FolderRepository::FolderRepository(Database &db, WallClock clock)
    : m_db(db)
    , m_clock(std::move(clock))
{ }

Result<Folder> FolderRepository::create(const QString &userId, const QString &name,
                                        const QString &parentId)
{
    return sql::withTransaction(m_db, [&](const QSqlDatabase &db) -> Result<Folder> {
        if (!parentId.isEmpty()) {
            if (auto ok = checkParent(db, userId, parentId, {}); !ok)
                return ok.error();
        }
        Folder folder;
        folder.id = sql::newId();
        folder.name = name;
        folder.parentId = parentId.isEmpty() ? QString() : parentId;
        folder.createdAt = m_clock();
        const QVariant now = sql::toDb(folder.createdAt);
        folder.createdAt = sql::timeFromDb(now); // millisecond precision, as read back later
        auto inserted = sql::execUpdate(
            db,
            u"INSERT INTO folders (id, user_id, parent_id, name, created_at, updated_at) "
            u"VALUES (?, ?, ?, ?, ?, ?)"_s,
            { folder.id, userId, sql::nullIfEmpty(folder.parentId), textToDb(name), now, now });
        if (!inserted)
            return inserted.error();
        return folder;
    });
}

Result<Folder> FolderRepository::get(const QString &userId, const QString &folderId)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    auto row =
        sql::exec(*db, u"SELECT "_s + Columns + u" FROM folders WHERE user_id = ? AND id = ?"_s,
                  { userId, folderId });
    if (!row)
        return row.error();
    if (!row.value().next())
        return folderNotFound();
    return folderFrom(*row);
}

Result<QList<Folder>> FolderRepository::list(const QString &userId)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    auto rows = sql::exec(
        *db, u"SELECT "_s + Columns + u" FROM folders WHERE user_id = ? ORDER BY name, id"_s,
        { userId });
    if (!rows)
        return rows.error();
    QList<Folder> folders;
    while (rows.value().next())
        folders.append(folderFrom(*rows));
    return folders;
}

Result<Folder> FolderRepository::update(const QString &userId, const QString &folderId,
                                        const FolderPatch &patch)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Transaction tx(*db);
    if (auto begun = tx.begin(); !begun)
        return begun.error();

    auto current =
        sql::exec(*db, u"SELECT "_s + Columns + u" FROM folders WHERE user_id = ? AND id = ?"_s,
                  { userId, folderId });
    if (!current)
        return current.error();
    if (!current.value().next())
        return folderNotFound();
    Folder folder = folderFrom(*current);
    current.value().finish();

    if (patch.parentId && *patch.parentId != folder.parentId) {
        const QString &parentId = *patch.parentId;
        if (!parentId.isEmpty()) {
            if (auto ok = checkParent(*db, userId, parentId, folderId); !ok)
                return ok.error();
            auto children = sql::exec(
                *db, u"SELECT 1 FROM folders WHERE user_id = ? AND parent_id = ? LIMIT 1"_s,
                { userId, folderId });
            if (!children)
                return children.error();
            if (children.value().next()) {
                return invalidField(u"parent_id"_s,
                                    u"cannot be set on a folder that has subfolders: folders "
                                    u"nest one level only."_s);
            }
        }
        folder.parentId = parentId.isEmpty() ? QString() : parentId;
    }
    if (patch.name)
        folder.name = *patch.name;

    auto updated = sql::execUpdate(
        *db,
        u"UPDATE folders SET name = ?, parent_id = ?, updated_at = ? WHERE user_id = ? AND id = ?"_s,
        { folder.name, sql::nullIfEmpty(folder.parentId), sql::toDb(m_clock()), userId, folderId });
    if (!updated)
        return updated.error();
    if (auto committed = tx.commit(); !committed)
        return committed.error();
    return folder;
}

Status FolderRepository::remove(const QString &userId, const QString &folderId)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Transaction tx(*db);
    if (auto begun = tx.begin(); !begun)
        return begun.error();
    // The foreign keys say the same (ON DELETE SET NULL), but saying it here
    // keeps the rule independent of whether SQLite enforces foreign keys, and
    // scoped by user_id like everything else.
    const QVariant now = sql::toDb(m_clock());
    auto moved = sql::execUpdate(
        *db,
        u"UPDATE conversations SET folder_id = NULL, updated_at = ? WHERE user_id = ? AND folder_id = ?"_s,
        { now, userId, folderId });
    if (!moved)
        return moved.error();
    auto lifted = sql::execUpdate(
        *db,
        u"UPDATE folders SET parent_id = NULL, updated_at = ? WHERE user_id = ? AND parent_id = ?"_s,
        { now, userId, folderId });
    if (!lifted)
        return lifted.error();
    auto removed = sql::execUpdate(*db, u"DELETE FROM folders WHERE user_id = ? AND id = ?"_s,
                                   { userId, folderId });
    if (!removed)
        return removed.error();
    if (*removed == 0)
        return folderNotFound(); // The transaction rolls back the moves above.
    if (auto committed = tx.commit(); !committed)
        return committed.error();
    return Done {};
}

} // namespace parlance
