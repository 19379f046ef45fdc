#pragma once

#include "domain/conversation.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QList>
#include <QtQml/qqmlregistration.h>

#include <functional>
#include <optional>

namespace parlance::client {

// The sidebar's conversations, newest activity first with pinned ones on
// top, each tagged with its section (Pinned, Today, Previous 7 days, Older)
// for ListView's section delegate. Every change is incremental — an upsert
// moves one row, a page appends rows — so the view keeps its scroll position
// and selection; only replaceAll() resets.
class ConversationListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by ConversationsController")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)

public:
    enum Roles {
        IdRole = Qt::UserRole + 1,
        TitleRole,
        ModelRole,
        SystemPromptRole,
        FolderIdRole,
        TagsRole,
        PinnedRole,
        ArchivedRole,
        DeletedRole,
        LastActivityRole,
        MessageCountRole,
        SectionRole,
    };
    Q_ENUM(Roles)

    explicit ConversationListModel(QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    void replaceAll(QList<Conversation> conversations);
    // A further page: rows not already present, in sorted position.
    void appendPage(const QList<Conversation> &conversations);
    // Inserts or updates one conversation, moving its row if its order changed.
    void upsert(const Conversation &conversation);
    bool remove(const QString &id);
    void clear();

    [[nodiscard]] int indexOf(const QString &id) const;
    [[nodiscard]] std::optional<Conversation> find(const QString &id) const;
    [[nodiscard]] const QList<Conversation> &conversations() const { return m_rows; }

    // Sections depend on today's date: the controller calls this when the
    // day changes. Tests set the clock.
    void refreshSections();
    void setClock(std::function<QDateTime()> now);

    // Ordering: pinned first, then last activity (newest first), then id.
    [[nodiscard]] static bool sortsBefore(const Conversation &a, const Conversation &b);
    [[nodiscard]] static QDateTime lastActivity(const Conversation &conversation);

Q_SIGNALS:
    void countChanged();

private:
    [[nodiscard]] int insertionRow(const Conversation &conversation) const;

    QList<Conversation> m_rows;
    std::function<QDateTime()> m_now;
};

} // namespace parlance::client
