#pragma once

#include <QAbstractListModel>
#include <QList>
#include <QString>

// A message model with the role names TranscriptBridge reads, for tests and
// the transcript benchmark (the client's MessageListModel has the same names).
class TranscriptTestModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role {
        MessageIdRole = Qt::UserRole + 1,
        RoleRole,
        TextRole,
        StatusRole,
        ErrorMessageRole,
        SiblingIndexRole,
        SiblingCountRole,
    };

    struct Row
    {
        Row() = default;
        Row(QString id_, QString role_, QString text_,
            QString status_ = QStringLiteral("complete"))
            : id(std::move(id_))
            , role(std::move(role_))
            , text(std::move(text_))
            , status(std::move(status_))
        { }

        QString id;
        QString role;
        QString text;
        QString status = QStringLiteral("complete");
        QString errorMessage;
        int siblingIndex = 0;
        int siblingCount = 1;
    };

    using QAbstractListModel::QAbstractListModel;

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_rows.size());
    }

    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override
    {
        if (!checkIndex(index, CheckIndexOption::IndexIsValid))
            return {};
        const Row &r = m_rows.at(index.row());
        switch (role) {
        case MessageIdRole:
            return r.id;
        case RoleRole:
            return r.role;
        case TextRole:
            return r.text;
        case StatusRole:
            return r.status;
        case ErrorMessageRole:
            return r.errorMessage;
        case SiblingIndexRole:
            return r.siblingIndex;
        case SiblingCountRole:
            return r.siblingCount;
        default:
            return {};
        }
    }

    [[nodiscard]] QHash<int, QByteArray> roleNames() const override
    {
        return {
            { MessageIdRole, "messageId" },
            { RoleRole, "role" },
            { TextRole, "text" },
            { StatusRole, "status" },
            { ErrorMessageRole, "errorMessage" },
            { SiblingIndexRole, "siblingIndex" },
            { SiblingCountRole, "siblingCount" },
        };
    }

    void append(const Row &row) { append(QList<Row> { row }); }
    void append(const QList<Row> &rows)
    {
        if (rows.isEmpty())
            return;
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + rows.size() - 1));
        m_rows.append(rows);
        endInsertRows();
    }

    void removeAt(int row)
    {
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    }

    void appendText(int row, QStringView delta)
    {
        m_rows[row].text.append(delta);
        changed(row, TextRole);
    }

    void setStatus(int row, const QString &status)
    {
        m_rows[row].status = status;
        changed(row, StatusRole);
    }

    void setErrorMessage(int row, const QString &message)
    {
        m_rows[row].errorMessage = message;
        changed(row, ErrorMessageRole);
    }

    [[nodiscard]] const Row &at(int row) const { return m_rows.at(row); }

private:
    void changed(int row, int role)
    {
        const QModelIndex i = index(row);
        Q_EMIT dataChanged(i, i, { role });
    }

    QList<Row> m_rows;
};
