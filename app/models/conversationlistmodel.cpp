#include "conversationlistmodel.h"

#include "conversationsections.h"

#include <algorithm>

namespace parlance::client {

ConversationListModel::ConversationListModel(QObject *parent)
    : QAbstractListModel(parent)
    , m_now([] { return QDateTime::currentDateTime(); })
{ }

int ConversationListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant ConversationListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Conversation &c = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case TitleRole:
        return c.title;
    case IdRole:
        return c.id;
    case ModelRole:
        return c.model;
    case SystemPromptRole:
        return c.systemPrompt;
    case FolderIdRole:
        return c.folderId;
    case TagsRole:
        return c.tags;
    case PinnedRole:
        return c.pinned;
    case ArchivedRole:
        return c.archived;
    case DeletedRole:
        return c.isDeleted();
    case LastActivityRole:
        return lastActivity(c);
    case MessageCountRole:
        return c.messageCount;
    case SectionRole:
        return sectionTitle(sectionFor(c.pinned, lastActivity(c), m_now()));
    default:
        return {};
    }
}

QHash<int, QByteArray> ConversationListModel::roleNames() const
{
    return {
        { IdRole, "conversationId" },
        { TitleRole, "title" },
        { ModelRole, "model" },
        { SystemPromptRole, "systemPrompt" },
        { FolderIdRole, "folderId" },
        { TagsRole, "tags" },
        { PinnedRole, "pinned" },
        { ArchivedRole, "archived" },
        { DeletedRole, "deleted" },
        { LastActivityRole, "lastActivity" },
        { MessageCountRole, "messageCount" },
        { SectionRole, "section" },
    };
}

QDateTime ConversationListModel::lastActivity(const Conversation &conversation)
{
    return conversation.lastMessageAt.isValid() ? conversation.lastMessageAt
                                                : conversation.createdAt;
}

bool ConversationListModel::sortsBefore(const Conversation &a, const Conversation &b)
{
    if (a.pinned != b.pinned)
        return a.pinned;
    const QDateTime ta = lastActivity(a);
    const QDateTime tb = lastActivity(b);
    if (ta != tb)
        return ta > tb;
    return a.id > b.id;
}

int ConversationListModel::insertionRow(const Conversation &conversation) const
{
    const auto it = std::lower_bound(m_rows.cbegin(), m_rows.cend(), conversation, sortsBefore);
    return int(it - m_rows.cbegin());
}

void ConversationListModel::replaceAll(QList<Conversation> conversations)
{
    std::stable_sort(conversations.begin(), conversations.end(), sortsBefore);
    const auto oldCount = m_rows.size();
    beginResetModel();
    m_rows = std::move(conversations);
    endResetModel();
    if (oldCount != m_rows.size())
        Q_EMIT countChanged();
}

void ConversationListModel::appendPage(const QList<Conversation> &conversations)
{
    for (const Conversation &c : conversations) {
        if (indexOf(c.id) < 0)
            upsert(c);
    }
}

void ConversationListModel::upsert(const Conversation &conversation)
{
    const int current = indexOf(conversation.id);
    if (current < 0) {
        const int row = insertionRow(conversation);
        beginInsertRows({}, row, row);
        m_rows.insert(row, conversation);
        endInsertRows();
        Q_EMIT countChanged();
        return;
    }
    m_rows[current] = conversation;
    // Where it belongs among the others (computed without itself).
    Conversation moved = m_rows.takeAt(current);
    const int target = insertionRow(moved);
    m_rows.insert(current, std::move(moved));
    if (target != current) {
        // beginMoveRows wants the destination as a row of the model before the move.
        const int destination = target > current ? target + 1 : target;
        beginMoveRows({}, current, current, {}, destination);
        m_rows.move(current, target);
        endMoveRows();
    }
    const QModelIndex changed = index(target);
    Q_EMIT dataChanged(changed, changed);
}

bool ConversationListModel::remove(const QString &id)
{
    const int row = indexOf(id);
    if (row < 0)
        return false;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
    Q_EMIT countChanged();
    return true;
}

void ConversationListModel::clear()
{
    replaceAll({});
}

int ConversationListModel::indexOf(const QString &id) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).id == id)
            return i;
    }
    return -1;
}

std::optional<Conversation> ConversationListModel::find(const QString &id) const
{
    const int row = indexOf(id);
    if (row < 0)
        return std::nullopt;
    return m_rows.at(row);
}

void ConversationListModel::refreshSections()
{
    if (m_rows.isEmpty())
        return;
    Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1), { SectionRole });
}

void ConversationListModel::setClock(std::function<QDateTime()> now)
{
    m_now = std::move(now);
    refreshSections();
}

} // namespace parlance::client
