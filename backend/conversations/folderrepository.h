#pragma once

#include "auth/authclock.h"
#include "common/result.h"
#include "domain/folder.h"

#include <QList>
#include <QString>

#include <optional>

namespace parlance {

class Database;

// Changes to a folder; an absent member is left alone. `parentId` holding a
// null QString moves the folder to the top level.
struct FolderPatch
{
    std::optional<QString> name;
    std::optional<QString> parentId;
};

// The folders table. Blocking: call it on a worker thread; it uses that
// thread's connection. Every statement is scoped by user_id, so another
// user's folder is indistinguishable from a missing one (not_found).
//
// Folders nest one level: a parent must be a top-level folder of the same
// user, and a folder with children cannot itself get a parent. Deleting a
// folder moves its conversations to no folder and its child folders to the
// top level; nothing the user wrote disappears with a folder.
class FolderRepository
{
public:
    explicit FolderRepository(Database &db, WallClock clock = systemWallClock());

    // `name` is already normalised (ConversationRules::folderName).
    [[nodiscard]] Result<Folder> create(const QString &userId, const QString &name,
                                        const QString &parentId = {});
    [[nodiscard]] Result<Folder> get(const QString &userId, const QString &folderId);
    // Top-level folders and children alike, by name (then id).
    [[nodiscard]] Result<QList<Folder>> list(const QString &userId);
    [[nodiscard]] Result<Folder> update(const QString &userId, const QString &folderId,
                                        const FolderPatch &patch);
    [[nodiscard]] Status remove(const QString &userId, const QString &folderId);

private:
    Database &m_db;
    WallClock m_clock;
};

} // namespace parlance
