#pragma once

#include "auth/authclock.h"
#include "common/result.h"
#include "conversations/listcursor.h"
#include "domain/conversation.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <chrono>
#include <optional>

namespace parlance {

class Database;

// A new conversation; values already validated and normalised
// (ConversationRules). An empty folderId means no folder.
struct NewConversation
{
    QString title;
    QString model;
    QString systemPrompt;
    QString folderId;
    QStringList tags;
};

// A partial update; an absent member is left alone. `folderId` holding an
// empty QString takes the conversation out of its folder; `tags` replaces the
// whole set.
struct ConversationPatch
{
    std::optional<QString> title;
    std::optional<QString> model;
    std::optional<QString> systemPrompt;
    std::optional<QString> folderId;
    std::optional<QStringList> tags;
    std::optional<bool> pinned;
    std::optional<bool> archived;

    [[nodiscard]] bool isEmpty() const
    {
        return !title && !model && !systemPrompt && !folderId && !tags && !pinned && !archived;
    }
};

// Which conversations a list shows. Absent filters match everything, except
// `archived`: a list leaves archived conversations out unless asked for them
// (archived=true shows only those). `deleted` switches to the trash: the
// conversations deleted within the retention period.
struct ConversationFilter
{
    enum class Folder { Any, None, Id };
    Folder folder = Folder::Any;
    QString folderId;
    QString tag; // Normalised; empty: any.
    std::optional<bool> pinned;
    std::optional<bool> archived;
    QString model; // Empty: any.
    QDateTime activeFrom; // Last activity >= this (invalid: unbounded).
    QDateTime activeTo; // Last activity < this (invalid: unbounded).
    bool deleted = false;
    std::optional<ListCursor> after;
    int limit = DefaultLimit;

    static constexpr int DefaultLimit = 50;
    static constexpr int MaxLimit = 200;
};

struct ConversationPage
{
    QList<Conversation> items;
    QString nextCursor; // Empty on the last page.
};

struct TagCount
{
    QString tag;
    int count = 0;

    [[nodiscard]] bool operator==(const TagCount &) const = default;
};

// The conversations and conversation_tags tables. Blocking: call it on a
// worker thread; it uses that thread's connection. Every statement is scoped
// by user_id, so another user's conversation is indistinguishable from a
// missing one (not_found). Deleting is soft (deleted_at); a deleted
// conversation can be read and restored for `retention`, after which it is as
// good as gone and purge() removes it with its messages and tags.
class ConversationRepository
{
public:
    static constexpr std::chrono::days DefaultRetention { 30 };

    explicit ConversationRepository(Database &db, WallClock clock = systemWallClock(),
                                    std::chrono::days retention = DefaultRetention);

    // not_found (naming the folder) when folderId is not one of the user's.
    [[nodiscard]] Result<Conversation> create(const QString &userId, const NewConversation &draft);
    // Live conversations, and deleted ones still within retention (with
    // deletedAt set).
    [[nodiscard]] Result<Conversation> get(const QString &userId, const QString &conversationId);
    [[nodiscard]] Result<ConversationPage> list(const QString &userId,
                                                const ConversationFilter &filter);
    // Live conversations only; an empty patch returns the conversation as is.
    [[nodiscard]] Result<Conversation> update(const QString &userId, const QString &conversationId,
                                              const ConversationPatch &patch);
    // Idempotent within retention: deleting a deleted conversation keeps its
    // first deletion time (the retention clock does not restart).
    [[nodiscard]] Status softDelete(const QString &userId, const QString &conversationId);
    // Restoring a live conversation returns it unchanged; one deleted longer
    // than the retention period ago is not_found.
    [[nodiscard]] Result<Conversation> restore(const QString &userId,
                                               const QString &conversationId);
    // Maintenance across users: removes conversations deleted more than the
    // retention period ago, with their messages and tags, in batches of at
    // most `batchSize` conversations per transaction. Returns how many went.
    [[nodiscard]] Result<int> purgeExpired(int batchSize = 500);
    // The user's tags on conversations not in the trash, with how many
    // conversations carry each, by tag.
    [[nodiscard]] Result<QList<TagCount>> tags(const QString &userId);

    [[nodiscard]] std::chrono::days retention() const { return m_retention; }

private:
    [[nodiscard]] QDateTime retentionCutoff() const;

    Database &m_db;
    WallClock m_clock;
    std::chrono::days m_retention;
};

} // namespace parlance
