#include "conversations/conversationservice.h"

#include "contract/errorcodes.h"

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

Status checkPathLimit(const PathQuery &query)
{
    if (query.limit < 1 || query.limit > PathQuery::MaxLimit) {
        return invalidField(
            u"limit"_s, u"must be between 1 and "_s + QString::number(PathQuery::MaxLimit) + u'.');
    }
    return Done {};
}

} // namespace

ConversationService::ConversationService(Database &db, ConversationServiceOptions options,
                                         WallClock clock)
    : m_rules(options.limits, options.defaultModel)
    , m_folders(db, clock)
    , m_conversations(db, clock, options.retention)
    , m_messages(db, clock)
{ }

// ---- Folders ----

Result<Folder> ConversationService::createFolder(const QString &userId, const QString &name,
                                                 const QString &parentId)
{
    auto validName = m_rules.folderName(name);
    if (!validName)
        return validName.error();
    return m_folders.create(userId, *validName, parentId);
}

Result<Folder> ConversationService::getFolder(const QString &userId, const QString &folderId)
{
    return m_folders.get(userId, folderId);
}

Result<QList<Folder>> ConversationService::listFolders(const QString &userId)
{
    return m_folders.list(userId);
}

Result<Folder> ConversationService::updateFolder(const QString &userId, const QString &folderId,
                                                 FolderPatch patch)
{
    if (patch.name) {
        auto validName = m_rules.folderName(*patch.name);
        if (!validName)
            return validName.error();
        patch.name = *validName;
    }
    return m_folders.update(userId, folderId, patch);
}

Status ConversationService::deleteFolder(const QString &userId, const QString &folderId)
{
    return m_folders.remove(userId, folderId);
}

// ---- Conversations ----

Result<Conversation> ConversationService::createConversation(const QString &userId,
                                                             const ConversationDraft &draft)
{
    NewConversation clean;
    auto title = m_rules.title(draft.title);
    if (!title)
        return title.error();
    auto model = m_rules.model(draft.model);
    if (!model)
        return model.error();
    auto prompt = m_rules.systemPrompt(draft.systemPrompt);
    if (!prompt)
        return prompt.error();
    auto tags = m_rules.tags(draft.tags);
    if (!tags)
        return tags.error();
    clean.title = *title;
    clean.model = *model;
    clean.systemPrompt = *prompt;
    clean.folderId = draft.folderId;
    clean.tags = *tags;
    return m_conversations.create(userId, clean);
}

Result<Conversation> ConversationService::getConversation(const QString &userId,
                                                          const QString &conversationId)
{
    return m_conversations.get(userId, conversationId);
}

Result<ConversationPage> ConversationService::listConversations(const QString &userId,
                                                                ConversationFilter filter)
{
    if (filter.limit < 1 || filter.limit > ConversationFilter::MaxLimit) {
        return invalidField(u"limit"_s,
                            u"must be between 1 and "_s
                                + QString::number(ConversationFilter::MaxLimit) + u'.');
    }
    if (!filter.tag.isEmpty()) {
        auto tag = m_rules.tag(filter.tag);
        if (!tag)
            return tag.error();
        filter.tag = *tag;
    }
    if (filter.activeFrom.isValid() && filter.activeTo.isValid()
        && filter.activeFrom > filter.activeTo) {
        return invalidField(u"from"_s, u"must not be later than \"to\"."_s);
    }
    return m_conversations.list(userId, filter);
}

Result<ConversationPatch> ConversationService::validated(const ConversationPatch &raw) const
{
    ConversationPatch clean = raw;
    if (raw.title) {
        auto title = m_rules.title(*raw.title);
        if (!title)
            return title.error();
        clean.title = *title;
    }
    if (raw.model) {
        // Changing the model to "nothing" is a mistake, not a request for the
        // default: only creation falls back.
        if (raw.model->trimmed().isEmpty())
            return invalidField(u"model"_s, u"must not be empty."_s);
        auto model = m_rules.model(*raw.model);
        if (!model)
            return model.error();
        clean.model = *model;
    }
    if (raw.systemPrompt) {
        auto prompt = m_rules.systemPrompt(*raw.systemPrompt);
        if (!prompt)
            return prompt.error();
        clean.systemPrompt = *prompt;
    }
    if (raw.tags) {
        auto tags = m_rules.tags(*raw.tags);
        if (!tags)
            return tags.error();
        clean.tags = *tags;
    }
    return clean;
}

Result<Conversation> ConversationService::updateConversation(const QString &userId,
                                                             const QString &conversationId,
                                                             const ConversationChanges &changes)
{
    auto patch = validated(changes.patch);
    if (!patch)
        return patch.error();
    if (changes.selectedMessageId) {
        // Checked before anything changes, so a bad id leaves the metadata
        // untouched too. Another conversation's message is simply not found.
        auto message = m_messages.get(userId, *changes.selectedMessageId);
        if (!message || message->conversationId != conversationId)
            return notFound(u"The message named by \"selected_message_id\" was"_s);
    }
    auto updated = m_conversations.update(userId, conversationId, *patch);
    if (!updated || !changes.selectedMessageId)
        return updated;
    auto selected = m_messages.selectBranch(userId, *changes.selectedMessageId);
    if (!selected)
        return selected.error();
    return m_conversations.get(userId, conversationId);
}

Status ConversationService::deleteConversation(const QString &userId, const QString &conversationId)
{
    return m_conversations.softDelete(userId, conversationId);
}

Result<Conversation> ConversationService::restoreConversation(const QString &userId,
                                                              const QString &conversationId)
{
    return m_conversations.restore(userId, conversationId);
}

Result<QList<TagCount>> ConversationService::listTags(const QString &userId)
{
    return m_conversations.tags(userId);
}

Result<int> ConversationService::purgeExpired()
{
    return m_conversations.purgeExpired();
}

// ---- Messages ----

Result<MessagePage> ConversationService::listMessages(const QString &userId,
                                                      const QString &conversationId,
                                                      const PathQuery &query)
{
    if (auto ok = checkPathLimit(query); !ok)
        return ok.error();
    return m_messages.selectedPath(userId, conversationId, query);
}

Result<PathHead> ConversationService::messagePathHead(const QString &userId,
                                                      const QString &conversationId)
{
    return m_messages.pathHead(userId, conversationId);
}

Result<MessagePage> ConversationService::listMessages(const QString &userId,
                                                      const QString &conversationId,
                                                      const PathQuery &query, const PathHead &head)
{
    if (auto ok = checkPathLimit(query); !ok)
        return ok.error();
    return m_messages.selectedPath(userId, conversationId, query, head);
}

Result<Message> ConversationService::getMessage(const QString &userId, const QString &messageId)
{
    return m_messages.get(userId, messageId);
}

Result<QList<Message>> ConversationService::branchTo(const QString &userId,
                                                     const QString &messageId, int maxDepth)
{
    return m_messages.branchTo(userId, messageId, maxDepth);
}

Result<QStringList> ConversationService::messageSiblings(const QString &userId,
                                                         const QString &messageId)
{
    return m_messages.siblingIds(userId, messageId);
}

Result<Message> ConversationService::postUserMessage(const QString &userId,
                                                     const QString &conversationId,
                                                     const MessageDraft &draft, const QString &id)
{
    if (auto ok = m_rules.content(draft.content); !ok)
        return ok.error();
    NewMessage message;
    message.id = id;
    message.parent = draft.parent;
    message.parentId = draft.parentId;
    message.role = Message::Role::User;
    message.content = draft.content;
    return m_messages.append(userId, conversationId, message);
}

Result<Message> ConversationService::editUserMessage(const QString &userId,
                                                     const QString &messageId,
                                                     const QList<ContentPart> &content)
{
    if (auto ok = m_rules.content(content); !ok)
        return ok.error();
    auto original = m_messages.get(userId, messageId);
    if (!original)
        return original.error();
    if (original->role != Message::Role::User) {
        return ApiError { QString(errc::InvalidField),
                          u"Only a user message can be edited."_s,
                          {} };
    }
    NewMessage message;
    message.role = Message::Role::User;
    message.content = content;
    return createSibling(userId, messageId, std::move(message));
}

Result<Message> ConversationService::createSibling(const QString &userId, const QString &messageId,
                                                   NewMessage message)
{
    auto original = m_messages.get(userId, messageId);
    if (!original)
        return original.error();
    message.parent =
        original->parentId.isEmpty() ? NewMessage::Parent::Root : NewMessage::Parent::Id;
    message.parentId = original->parentId;
    message.select = true;
    return m_messages.append(userId, original->conversationId, message);
}

Result<Message>
ConversationService::appendMessage(const QString &userId, const QString &conversationId,
                                   const NewMessage &message,
                                   const MessageRepository::AlongsideWrite &alongside)
{
    return m_messages.append(userId, conversationId, message, alongside);
}

Result<Conversation> ConversationService::selectBranch(const QString &userId,
                                                       const QString &messageId)
{
    auto selected = m_messages.selectBranch(userId, messageId);
    if (!selected)
        return selected.error();
    return m_conversations.get(userId, selected->conversationId);
}

} // namespace parlance
