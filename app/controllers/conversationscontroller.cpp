#include "conversationscontroller.h"

#include "api/apiclient.h"
#include "cache/localcache.h"
#include "conversationlistmodel.h"

using namespace Qt::StringLiterals;

namespace parlance::client {

namespace {

constexpr int PageSize = 50;
constexpr int SectionRefreshMs = 10 * 60 * 1000; // "Today" moves at midnight

} // namespace

ConversationsController::ConversationsController(ApiClient *api, QObject *parent)
    : RequestStatus(parent)
    , m_api(api)
    , m_list(new ConversationListModel(this))
    , m_filter(new QSortFilterProxyModel(this))
{
    m_filter->setSourceModel(m_list);
    m_filter->setFilterRole(ConversationListModel::TitleRole);
    m_filter->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_dayTimer.setInterval(SectionRefreshMs);
    connect(&m_dayTimer, &QTimer::timeout, m_list, &ConversationListModel::refreshSections);
    m_dayTimer.start();
}

ConversationsController::~ConversationsController() = default;

void ConversationsController::setView(View view)
{
    if (m_view == view)
        return;
    m_view = view;
    Q_EMIT viewChanged();
    reload();
}

void ConversationsController::setFolderId(const QString &folderId)
{
    if (m_folderId == folderId)
        return;
    m_folderId = folderId;
    Q_EMIT filterChanged();
    reload();
}

void ConversationsController::setTag(const QString &tag)
{
    if (m_tag == tag)
        return;
    m_tag = tag;
    Q_EMIT filterChanged();
    reload();
}

void ConversationsController::setSearchText(const QString &text)
{
    if (m_searchText == text)
        return;
    m_searchText = text;
    // Titles only until the server's full-text search exists.
    m_filter->setFilterFixedString(text.trimmed());
    Q_EMIT searchTextChanged();
}

QVariantList ConversationsController::folders() const
{
    QVariantList out;
    for (const Folder &folder : m_folders) {
        out.append(QVariantMap { { u"id"_s, folder.id },
                                 { u"name"_s, folder.name },
                                 { u"parentId"_s, folder.parentId } });
    }
    return out;
}

void ConversationsController::reload()
{
    fetchPage(true);
    reloadFolders();
    reloadTags();
}

void ConversationsController::showCached()
{
    if (m_cache && showsMainList())
        m_list->replaceAll(m_cache->conversations());
}

void ConversationsController::loadMore()
{
    if (hasMore() && !isLoading())
        fetchPage(false);
}

void ConversationsController::fetchPage(bool reset)
{
    if (!m_api)
        return;
    if (reset) {
        ++m_generation;
        if (m_list->rowCount() == 0)
            showCached();
    }
    ConversationQuery query;
    query.folderId = m_folderId;
    query.tag = m_tag;
    query.limit = PageSize;
    query.cursor = reset ? QString() : m_nextCursor;
    if (m_view == View::Archived)
        query.archived = true;
    query.deleted = m_view == View::Trash;
    const quint64 generation = m_generation;
    setLoading(true);
    m_api->listConversations(query, this, [this, generation, reset](Result<ConversationPage> page) {
        if (generation != m_generation)
            return;
        setLoading(false);
        if (!page) {
            setError(page.error().message);
            return;
        }
        if (reset) {
            m_list->replaceAll(page->items);
            if (m_cache && showsMainList())
                (void)m_cache->saveConversations(page->items);
        } else {
            m_list->appendPage(page->items);
        }
        setNextCursor(page->nextCursor);
    });
}

void ConversationsController::reloadFolders()
{
    m_api->listFolders(this, [this](Result<QList<Folder>> folders) {
        if (!folders)
            return setError(folders.error().message);
        m_folders = *folders;
        Q_EMIT foldersChanged();
    });
}

void ConversationsController::reloadTags()
{
    m_api->listTags(this, [this](Result<QList<TagCount>> tags) {
        if (!tags)
            return setError(tags.error().message);
        m_tags.clear();
        for (const TagCount &tag : *tags)
            m_tags.append(tag.tag);
        Q_EMIT tagsChanged();
    });
}

bool ConversationsController::showsMainList() const
{
    return m_view == View::Chats && m_folderId.isEmpty() && m_tag.isEmpty();
}

bool ConversationsController::matchesView(const Conversation &conversation) const
{
    if (conversation.isDeleted() != (m_view == View::Trash))
        return false;
    if (m_view != View::Trash && conversation.archived != (m_view == View::Archived))
        return false;
    if (!m_folderId.isEmpty()
        && conversation.folderId != (m_folderId == u"none"_s ? QString() : m_folderId))
        return false;
    return m_tag.isEmpty() || conversation.tags.contains(m_tag);
}

void ConversationsController::upsert(const Conversation &conversation)
{
    if (m_cache)
        (void)m_cache->upsertConversation(conversation);
    if (matchesView(conversation)) {
        m_list->upsert(conversation);
    } else if (m_list->remove(conversation.id)) {
        Q_EMIT removed(conversation.id);
    }
}

void ConversationsController::change(const QString &id, const ConversationChange &change)
{
    if (!m_api)
        return;
    m_api->updateConversation(id, change, this, [this](Result<Conversation> updated) {
        if (!updated)
            return setError(updated.error().message);
        upsert(*updated);
        if (!updated->tags.isEmpty())
            reloadTags();
    });
}

void ConversationsController::rename(const QString &id, const QString &title)
{
    ConversationChange c;
    c.title = title.trimmed();
    change(id, c);
}

void ConversationsController::setPinned(const QString &id, bool pinned)
{
    ConversationChange c;
    c.pinned = pinned;
    change(id, c);
}

void ConversationsController::setArchived(const QString &id, bool archived)
{
    ConversationChange c;
    c.archived = archived;
    change(id, c);
}

void ConversationsController::moveToFolder(const QString &id, const QString &folderId)
{
    ConversationChange c;
    c.folderId = folderId;
    change(id, c);
}

void ConversationsController::setTags(const QString &id, const QStringList &tags)
{
    ConversationChange c;
    c.tags = tags;
    change(id, c);
}

void ConversationsController::remove(const QString &id)
{
    if (!m_api)
        return;
    const QString title = m_list->find(id).value_or(Conversation()).title;
    m_api->deleteConversation(id, this, [this, id, title](Status status) {
        if (!status)
            return setError(status.error().message);
        m_list->remove(id);
        m_lastDeleted = id;
        Q_EMIT canUndoDeleteChanged();
        Q_EMIT removed(id);
        Q_EMIT deleted(id, title);
    });
}

void ConversationsController::undoDelete()
{
    if (m_lastDeleted.isEmpty())
        return;
    restore(m_lastDeleted);
}

void ConversationsController::restore(const QString &id)
{
    if (!m_api)
        return;
    m_api->restoreConversation(id, this, [this, id](Result<Conversation> restored) {
        if (!restored)
            return setError(restored.error().message);
        if (m_lastDeleted == id) {
            m_lastDeleted.clear();
            Q_EMIT canUndoDeleteChanged();
        }
        upsert(*restored);
    });
}

void ConversationsController::createFolder(const QString &name)
{
    if (!m_api || name.trimmed().isEmpty())
        return;
    m_api->createFolder(name.trimmed(), {}, this, [this](Result<Folder> folder) {
        if (!folder)
            return setError(folder.error().message);
        m_folders.append(*folder);
        Q_EMIT foldersChanged();
    });
}

void ConversationsController::renameFolder(const QString &id, const QString &name)
{
    if (!m_api)
        return;
    m_api->renameFolder(id, name.trimmed(), this, [this](Result<Folder> folder) {
        if (!folder)
            return setError(folder.error().message);
        for (Folder &f : m_folders) {
            if (f.id == folder->id)
                f = *folder;
        }
        Q_EMIT foldersChanged();
    });
}

void ConversationsController::deleteFolder(const QString &id)
{
    if (!m_api)
        return;
    m_api->deleteFolder(id, this, [this, id](Status status) {
        if (!status)
            return setError(status.error().message);
        if (m_folderId == id)
            setFolderId({});
        else
            reload(); // its conversations moved out of it
    });
}

int ConversationsController::rowOf(const QString &id) const
{
    const int sourceRow = m_list->indexOf(id);
    if (sourceRow < 0)
        return -1;
    return m_filter->mapFromSource(m_list->index(sourceRow)).row();
}

void ConversationsController::setNextCursor(const QString &cursor)
{
    if (m_nextCursor != cursor) {
        m_nextCursor = cursor;
        Q_EMIT hasMoreChanged();
    }
}

} // namespace parlance::client
