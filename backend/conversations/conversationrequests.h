#pragma once

#include "common/result.h"
#include "conversations/conversationrepository.h"
#include "conversations/conversationservice.h"
#include "conversations/folderrepository.h"
#include "conversations/messagerepository.h"

#include <QJsonObject>
#include <QUrlQuery>

// Request bodies and query strings of the conversation routes turned into
// service inputs, with the API's reading rules: unknown fields are ignored;
// for a field that cannot be "nothing" (title, pinned, tags, …) absent and
// null both mean "unchanged"; for a nullable reference (folder_id, parent_id)
// null means "none"; a wrong type is invalid_field naming the field. Plain
// Qt Core, so the rules are unit-tested without a server.
namespace parlance::requests {

[[nodiscard]] Result<ConversationDraft> conversationDraft(const QJsonObject &body);
[[nodiscard]] Result<ConversationChanges> conversationChanges(const QJsonObject &body);
// {"name", "parent_id"?}
[[nodiscard]] Result<std::pair<QString, QString>> newFolder(const QJsonObject &body);
[[nodiscard]] Result<FolderPatch> folderPatch(const QJsonObject &body);
// {"content": [parts], "parent_id"?: id|null}
[[nodiscard]] Result<MessageDraft> messageDraft(const QJsonObject &body);

// limit, cursor, folder (an id, or "none"), tag, pinned, archived, model,
// from, to (ISO 8601 with zone; bound last activity, from inclusive, to
// exclusive), deleted (the trash).
[[nodiscard]] Result<ConversationFilter> conversationFilter(const QUrlQuery &query);
// before, after, limit.
[[nodiscard]] Result<PathQuery> pathQuery(const QUrlQuery &query);

} // namespace parlance::requests
