#pragma once

#include "controllers/requeststatus.h"
#include "domain/conversation.h"
#include "domain/folder.h"

#include <QObject>
#include <QPointer>
#include <QSortFilterProxyModel>
#include <QTimer>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

namespace parlance::client {

class ApiClient;
class ConversationListModel;
class LocalCache;
struct ConversationChange;

// The sidebar: which conversations are listed (chats, archive or trash;
// a folder; a tag), the title search, paging, and the actions on one
// conversation (rename, pin, archive, move, delete with undo, restore).
// Registered in QML as the singleton Conversations.
class ConversationsController : public RequestStatus
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use the Conversations singleton")
    Q_PROPERTY(QSortFilterProxyModel *model READ model CONSTANT)
    Q_PROPERTY(View view READ view WRITE setView NOTIFY viewChanged)
    Q_PROPERTY(QString folderId READ folderId WRITE setFolderId NOTIFY filterChanged)
    Q_PROPERTY(QString tag READ tag WRITE setTag NOTIFY filterChanged)
    Q_PROPERTY(QString searchText READ searchText WRITE setSearchText NOTIFY searchTextChanged)
    Q_PROPERTY(QVariantList folders READ folders NOTIFY foldersChanged)
    Q_PROPERTY(QStringList tags READ tags NOTIFY tagsChanged)
    Q_PROPERTY(bool hasMore READ hasMore NOTIFY hasMoreChanged)
    Q_PROPERTY(bool canUndoDelete READ canUndoDelete NOTIFY canUndoDeleteChanged)

public:
    enum class View { Chats, Archived, Trash };
    Q_ENUM(View)

    explicit ConversationsController(ApiClient *api, QObject *parent = nullptr);
    ~ConversationsController() override;

    // The account's local cache (may be null): the main list shows its copy
    // until the server answers, and each fresh first page is saved to it.
    void setCache(LocalCache *cache) { m_cache = cache; }

    [[nodiscard]] QSortFilterProxyModel *model() const { return m_filter; }
    [[nodiscard]] ConversationListModel *source() const { return m_list; }
    [[nodiscard]] View view() const { return m_view; }
    void setView(View view);
    [[nodiscard]] QString folderId() const { return m_folderId; }
    void setFolderId(const QString &folderId);
    [[nodiscard]] QString tag() const { return m_tag; }
    void setTag(const QString &tag);
    [[nodiscard]] QString searchText() const { return m_searchText; }
    void setSearchText(const QString &text);
    [[nodiscard]] QVariantList folders() const;
    [[nodiscard]] QStringList tags() const { return m_tags; }
    [[nodiscard]] bool hasMore() const { return !m_nextCursor.isEmpty(); }
    [[nodiscard]] bool canUndoDelete() const { return !m_lastDeleted.isEmpty(); }

    Q_INVOKABLE void reload();
    // The cached main list, without asking the server (starting, offline).
    void showCached();
    Q_INVOKABLE void loadMore();
    Q_INVOKABLE void rename(const QString &id, const QString &title);
    Q_INVOKABLE void setPinned(const QString &id, bool pinned);
    Q_INVOKABLE void setArchived(const QString &id, bool archived);
    // An empty folder id moves it out of its folder.
    Q_INVOKABLE void moveToFolder(const QString &id, const QString &folderId);
    Q_INVOKABLE void setTags(const QString &id, const QStringList &tags);
    // To the trash; undoDelete() brings the last one back.
    Q_INVOKABLE void remove(const QString &id);
    Q_INVOKABLE void undoDelete();
    Q_INVOKABLE void restore(const QString &id);
    Q_INVOKABLE void createFolder(const QString &name);
    Q_INVOKABLE void renameFolder(const QString &id, const QString &name);
    Q_INVOKABLE void deleteFolder(const QString &id);
    // Row in `model` of a conversation, -1 when not listed.
    Q_INVOKABLE int rowOf(const QString &id) const;

public Q_SLOTS:
    // A conversation changed elsewhere (the chat created or renamed it, or it
    // got a new answer): shown where it belongs if it matches the view.
    void upsert(const parlance::Conversation &conversation);

Q_SIGNALS:
    void viewChanged();
    void filterChanged();
    void searchTextChanged();
    void foldersChanged();
    void tagsChanged();
    void hasMoreChanged();
    void canUndoDeleteChanged();
    // For the "Moved to trash — Undo" notice.
    void deleted(const QString &id, const QString &title);
    // The open conversation went away (deleted, archived out of view).
    void removed(const QString &id);

private:
    void fetchPage(bool reset);
    void reloadFolders();
    void reloadTags();
    void change(const QString &id, const ConversationChange &change);
    [[nodiscard]] bool matchesView(const Conversation &conversation) const;
    [[nodiscard]] bool showsMainList() const;
    void setNextCursor(const QString &cursor);

    QPointer<ApiClient> m_api;
    LocalCache *m_cache = nullptr;
    ConversationListModel *m_list = nullptr;
    QSortFilterProxyModel *m_filter = nullptr;
    QTimer m_dayTimer;
    View m_view = View::Chats;
    QString m_folderId;
    QString m_tag;
    QString m_searchText;
    QList<Folder> m_folders;
    QStringList m_tags;
    QString m_nextCursor;
    QString m_lastDeleted;
    quint64 m_generation = 0;
};

} // namespace parlance::client
