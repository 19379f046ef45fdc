#pragma once

#include "auth/authclock.h"
#include "common/result.h"
#include "conversations/conversationrepository.h"
#include "conversations/conversationrules.h"
#include "conversations/folderrepository.h"
#include "conversations/messagerepository.h"

#include <QString>
#include <QStringList>

#include <chrono>
#include <optional>

namespace parlance {

class Database;

struct ConversationServiceOptions
{
    ConversationLimits limits;
    // Used when a conversation is created without a model.
    QString defaultModel;
    std::chrono::days retention = ConversationRepository::DefaultRetention;
};

// A new conversation as the user asked for it (not yet validated).
struct ConversationDraft
{
    QString title;
    QString model;
    QString systemPrompt;
    QString folderId; // Empty: no folder.
    QStringList tags;
};

// What a PATCH may change; absent members stay. `selectedMessageId` switches
// the branch on screen (see MessageRepository::selectBranch).
struct ConversationChanges
{
    ConversationPatch patch; // Raw values, validated by the service.
    std::optional<QString> selectedMessageId;
};

// Where a posted message goes: absent parent continues the selected branch;
// an explicit null starts a new first message; an id adds a child (or, with
// the parent of an existing message, a sibling: an edit).
struct MessageDraft
{
    NewMessage::Parent parent = NewMessage::Parent::SelectedLeaf;
    QString parentId;
    QList<ContentPart> content;
};

// The rules of conversations, folders, tags and message trees, on top of the
// repositories. Knows nothing of HTTP: inputs are values, every failure an
// ApiError (invalid_field naming the field, not_found for anything the user
// does not own). Blocking: call it on a worker thread. Thread-safe: it holds
// no per-request state, and each thread uses its own connection.
class ConversationService
{
public:
    explicit ConversationService(Database &db, ConversationServiceOptions options = {},
                                 WallClock clock = systemWallClock());

    [[nodiscard]] const ConversationRules &rules() const { return m_rules; }

    // Folders
    [[nodiscard]] Result<Folder> createFolder(const QString &userId, const QString &name,
                                              const QString &parentId = {});
    [[nodiscard]] Result<Folder> getFolder(const QString &userId, const QString &folderId);
    [[nodiscard]] Result<QList<Folder>> listFolders(const QString &userId);
    [[nodiscard]] Result<Folder> updateFolder(const QString &userId, const QString &folderId,
                                              FolderPatch patch);
    [[nodiscard]] Status deleteFolder(const QString &userId, const QString &folderId);

    // Conversations
    [[nodiscard]] Result<Conversation> createConversation(const QString &userId,
                                                          const ConversationDraft &draft);
    [[nodiscard]] Result<Conversation> getConversation(const QString &userId,
                                                       const QString &conversationId);
    // `filter.tag` is normalised here; the limit is checked (1..200).
    [[nodiscard]] Result<ConversationPage> listConversations(const QString &userId,
                                                             ConversationFilter filter);
    [[nodiscard]] Result<Conversation> updateConversation(const QString &userId,
                                                          const QString &conversationId,
                                                          const ConversationChanges &changes);
    [[nodiscard]] Status deleteConversation(const QString &userId, const QString &conversationId);
    [[nodiscard]] Result<Conversation> restoreConversation(const QString &userId,
                                                           const QString &conversationId);
    [[nodiscard]] Result<QList<TagCount>> listTags(const QString &userId);
    // Maintenance (all users): see ConversationRepository::purgeExpired.
    [[nodiscard]] Result<int> purgeExpired();

    // Messages
    [[nodiscard]] Result<MessagePage>
    listMessages(const QString &userId, const QString &conversationId, const PathQuery &query);
    // The two halves of listMessages, for a caller that caches pages by head.
    [[nodiscard]] Result<PathHead> messagePathHead(const QString &userId,
                                                   const QString &conversationId);
    [[nodiscard]] Result<MessagePage> listMessages(const QString &userId,
                                                   const QString &conversationId,
                                                   const PathQuery &query, const PathHead &head);
    [[nodiscard]] Result<Message> getMessage(const QString &userId, const QString &messageId);
    // The message and its ancestors, oldest first, the newest `maxDepth` of
    // them, without sibling counts (MessageRepository::branchTo).
    [[nodiscard]] Result<QList<Message>> branchTo(const QString &userId, const QString &messageId,
                                                  int maxDepth);
    [[nodiscard]] Result<QStringList> messageSiblings(const QString &userId,
                                                      const QString &messageId);
    // A user message; it becomes the selected leaf. `id` empty: a new id;
    // else the id the caller announced (a generation launched before the
    // message was stored).
    [[nodiscard]] Result<Message> postUserMessage(const QString &userId,
                                                  const QString &conversationId,
                                                  const MessageDraft &draft,
                                                  const QString &id = QString());
    // Editing never overwrites: the new text is a sibling of the user message
    // (same parent), and the selection switches to it.
    [[nodiscard]] Result<Message> editUserMessage(const QString &userId, const QString &messageId,
                                                  const QList<ContentPart> &content);
    // A sibling of `messageId` (e.g. a regenerated answer), selected. The
    // message's parent and conversation are taken from `messageId`.
    [[nodiscard]] Result<Message> createSibling(const QString &userId, const QString &messageId,
                                                NewMessage message);
    // Any message, for the generation code: appended as given, with
    // `alongside` in the same transaction (MessageRepository::append).
    [[nodiscard]] Result<Message>
    appendMessage(const QString &userId, const QString &conversationId, const NewMessage &message,
                  const MessageRepository::AlongsideWrite &alongside = {});
    // Selects the branch through `messageId` and returns the conversation.
    [[nodiscard]] Result<Conversation> selectBranch(const QString &userId,
                                                    const QString &messageId);

private:
    [[nodiscard]] Result<ConversationPatch> validated(const ConversationPatch &raw) const;

    ConversationRules m_rules;
    FolderRepository m_folders;
    ConversationRepository m_conversations;
    MessageRepository m_messages;
};

} // namespace parlance
