#pragma once

#include "domain/message.h"

#include <QAbstractListModel>
#include <QList>
#include <QtQml/qqmlregistration.h>

#include <optional>

namespace parlance::client {

// The messages of the selected branch of one conversation, oldest first.
// Streaming touches one row: appendText() grows its text and emits
// dataChanged for the text role only, so views never reset or re-read other
// rows while tokens arrive. Role names are the contract with the transcript
// view (TranscriptBridge looks them up by name).
class MessageListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by ChatController")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)

public:
    enum Roles {
        IdRole = Qt::UserRole + 1,
        RoleRole,
        TextRole,
        StatusRole,
        ErrorCodeRole,
        ErrorMessageRole,
        ModelRole,
        ParentIdRole,
        SiblingIndexRole,
        SiblingCountRole,
        CreatedAtRole,
        HasFilesRole,
    };
    Q_ENUM(Roles)

    explicit MessageListModel(QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    void replaceAll(const QList<Message> &messages);
    // An older page, put in front (ids already present are skipped).
    void prependPage(const QList<Message> &messages);
    void append(const Message &message);
    // Replaces the row with the same id (e.g. the stored version of a
    // streamed answer), or appends it when absent.
    void update(const Message &message);
    // Replaces the row `id` by another message (an optimistic row by the
    // stored one, whose id the server chose). False when `id` is unknown.
    bool replace(const QString &id, const Message &message);
    bool remove(const QString &id);
    // Streaming: grows the text of a message. False when the id is unknown.
    bool appendText(const QString &id, QStringView delta);
    bool setStatus(const QString &id, Message::Status status,
                   const std::optional<ApiError> &error = std::nullopt);
    // Drops the given row and everything after it (branch switch, edit).
    void truncateFrom(int row);
    void clear();

    [[nodiscard]] int indexOf(const QString &id) const;
    [[nodiscard]] std::optional<Message> find(const QString &id) const;
    [[nodiscard]] std::optional<Message> last() const;
    // The newest message with this role, e.g. the last user message for "Up edits".
    [[nodiscard]] std::optional<Message> lastWithRole(Message::Role role) const;
    [[nodiscard]] QString textAt(int row) const;
    // Every row's message, oldest first (the stored content, not the text
    // streamed so far).
    [[nodiscard]] QList<Message> messages() const;

Q_SIGNALS:
    void countChanged();

private:
    struct Row
    {
        Message message;
        QString text; // message.plainText(), kept so streaming appends in place
    };
    [[nodiscard]] static Row makeRow(const Message &message);
    void emitRowChanged(int row, const QList<int> &roles = {});

    QList<Row> m_rows;
};

} // namespace parlance::client
