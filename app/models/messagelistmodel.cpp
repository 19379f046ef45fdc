#include "messagelistmodel.h"

#include <QSet>

namespace parlance::client {

MessageListModel::MessageListModel(QObject *parent)
    : QAbstractListModel(parent)
{ }

int MessageListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant MessageListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const Message &m = row.message;
    switch (role) {
    case Qt::DisplayRole:
    case TextRole:
        return row.text;
    case IdRole:
        return m.id;
    case RoleRole:
        return QString(Message::roleName(m.role));
    case StatusRole:
        return QString(Message::statusName(m.status));
    case ErrorCodeRole:
        return m.errorCode();
    case ErrorMessageRole:
        return m.errorMessage();
    case ModelRole:
        return m.model;
    case ParentIdRole:
        return m.parentId;
    case SiblingIndexRole:
        return m.siblingIndex;
    case SiblingCountRole:
        return m.siblingCount;
    case CreatedAtRole:
        return m.createdAt;
    case HasFilesRole:
        return m.hasFiles();
    default:
        return {};
    }
}

QHash<int, QByteArray> MessageListModel::roleNames() const
{
    return {
        { IdRole, "messageId" },
        { RoleRole, "role" },
        { TextRole, "text" },
        { StatusRole, "status" },
        { ErrorCodeRole, "errorCode" },
        { ErrorMessageRole, "errorMessage" },
        { ModelRole, "model" },
        { ParentIdRole, "parentId" },
        { SiblingIndexRole, "siblingIndex" },
        { SiblingCountRole, "siblingCount" },
        { CreatedAtRole, "createdAt" },
        { HasFilesRole, "hasFiles" },
    };
}

MessageListModel::Row MessageListModel::makeRow(const Message &message)
{
    return { message, message.plainText() };
}

void MessageListModel::replaceAll(const QList<Message> &messages)
{
    const auto oldCount = m_rows.size();
    beginResetModel();
    m_rows.clear();
    m_rows.reserve(messages.size());
    for (const Message &m : messages)
        m_rows.append(makeRow(m));
    endResetModel();
    if (oldCount != m_rows.size())
        Q_EMIT countChanged();
}

void MessageListModel::prependPage(const QList<Message> &messages)
{
    QList<Row> fresh;
    for (const Message &m : messages) {
        if (indexOf(m.id) < 0)
            fresh.append(makeRow(m));
    }
    if (fresh.isEmpty())
        return;
    beginInsertRows({}, 0, int(fresh.size()) - 1);
    fresh.append(std::move(m_rows));
    m_rows = std::move(fresh);
    endInsertRows();
    Q_EMIT countChanged();
}

void MessageListModel::append(const Message &message)
{
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.append(makeRow(message));
    endInsertRows();
    Q_EMIT countChanged();
}

void MessageListModel::update(const Message &message)
{
    const int row = indexOf(message.id);
    if (row < 0) {
        append(message);
        return;
    }
    m_rows[row] = makeRow(message);
    emitRowChanged(row);
}

bool MessageListModel::replace(const QString &id, const Message &message)
{
    const int row = indexOf(id);
    if (row < 0)
        return false;
    m_rows[row] = makeRow(message);
    emitRowChanged(row);
    return true;
}

bool MessageListModel::remove(const QString &id)
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

bool MessageListModel::appendText(const QString &id, QStringView delta)
{
    // The streaming row is nearly always the last one.
    int row = int(m_rows.size()) - 1;
    if (row < 0 || m_rows.at(row).message.id != id)
        row = indexOf(id);
    if (row < 0)
        return false;
    m_rows[row].text.append(delta);
    emitRowChanged(row, { TextRole });
    return true;
}

bool MessageListModel::setStatus(const QString &id, Message::Status status,
                                 const std::optional<ApiError> &error)
{
    const int row = indexOf(id);
    if (row < 0)
        return false;
    Message &m = m_rows[row].message;
    m.status = status;
    m.error = error;
    emitRowChanged(row, { StatusRole, ErrorCodeRole, ErrorMessageRole });
    return true;
}

void MessageListModel::truncateFrom(int row)
{
    if (row < 0 || row >= m_rows.size())
        return;
    beginRemoveRows({}, row, int(m_rows.size()) - 1);
    m_rows.resize(row);
    endRemoveRows();
    Q_EMIT countChanged();
}

void MessageListModel::clear()
{
    replaceAll({});
}

int MessageListModel::indexOf(const QString &id) const
{
    for (int i = int(m_rows.size()) - 1; i >= 0; --i) {
        if (m_rows.at(i).message.id == id)
            return i;
    }
    return -1;
}

std::optional<Message> MessageListModel::find(const QString &id) const
{
    const int row = indexOf(id);
    if (row < 0)
        return std::nullopt;
    return m_rows.at(row).message;
}

std::optional<Message> MessageListModel::last() const
{
    if (m_rows.isEmpty())
        return std::nullopt;
    return m_rows.constLast().message;
}

std::optional<Message> MessageListModel::lastWithRole(Message::Role role) const
{
    for (int i = int(m_rows.size()) - 1; i >= 0; --i) {
        if (m_rows.at(i).message.role == role)
            return m_rows.at(i).message;
    }
    return std::nullopt;
}

QString MessageListModel::textAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).text : QString();
}

QList<Message> MessageListModel::messages() const
{
    QList<Message> out;
    out.reserve(m_rows.size());
    for (const Row &row : m_rows)
        out.append(row.message);
    return out;
}

void MessageListModel::emitRowChanged(int row, const QList<int> &roles)
{
    const QModelIndex changed = index(row);
    Q_EMIT dataChanged(changed, changed, roles);
}

} // namespace parlance::client
