#include "domain/conversation.h"

#include "domain/jsonreader.h"
#include "domain/jsonwriter.h"

#include <limits>

using namespace Qt::StringLiterals;

namespace parlance {

void Conversation::writeJson(JsonText &out) const
{
    JsonWriter(out)
        .string("id"_L1, id)
        .string("title"_L1, title)
        .string("model"_L1, model)
        .string("system_prompt"_L1, systemPrompt)
        .nullableString("folder_id"_L1, folderId)
        .stringList("tags"_L1, tags)
        .boolean("pinned"_L1, pinned)
        .boolean("archived"_L1, archived)
        .timestamp("created_at"_L1, createdAt)
        .timestamp("updated_at"_L1, updatedAt)
        .timestamp("last_message_at"_L1, lastMessageAt)
        .integer("message_count"_L1, messageCount)
        .timestamp("deleted_at"_L1, deletedAt)
        .nullableString("selected_leaf_id"_L1, selectedLeafId);
}

QJsonObject Conversation::toJson() const
{
    return toJsonObject(*this);
}

Conversation Conversation::readFrom(JsonReader &reader)
{
    Conversation conversation;
    conversation.id = reader.nonEmptyString("id"_L1);
    conversation.title = reader.string("title"_L1);
    conversation.model = reader.nonEmptyString("model"_L1);
    conversation.systemPrompt = reader.string("system_prompt"_L1);
    conversation.folderId = reader.optionalNonEmptyString("folder_id"_L1);
    conversation.tags = reader.nonEmptyStringList("tags"_L1);
    conversation.pinned = reader.boolean("pinned"_L1);
    conversation.archived = reader.boolean("archived"_L1);
    conversation.createdAt = reader.timestamp("created_at"_L1);
    conversation.updatedAt = reader.timestamp("updated_at"_L1);
    conversation.lastMessageAt = reader.optionalTimestamp("last_message_at"_L1);
    conversation.messageCount =
        static_cast<int>(reader.integer("message_count"_L1, 0, std::numeric_limits<int>::max()));
    conversation.deletedAt = reader.optionalTimestamp("deleted_at"_L1);
    conversation.selectedLeafId = reader.optionalNonEmptyString("selected_leaf_id"_L1);
    return conversation;
}

Result<Conversation> Conversation::fromJson(const QJsonObject &json)
{
    return readJson<Conversation>(json);
}

} // namespace parlance
