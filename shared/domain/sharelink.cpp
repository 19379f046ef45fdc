#include "domain/sharelink.h"

#include "domain/jsonreader.h"
#include "domain/jsonwriter.h"

using namespace Qt::StringLiterals;

namespace parlance {

void ShareLink::writeJson(JsonText &out) const
{
    JsonWriter(out)
        .string("id"_L1, id)
        .string("conversation_id"_L1, conversationId)
        .string("url"_L1, url)
        .timestamp("created_at"_L1, createdAt)
        .timestamp("expires_at"_L1, expiresAt)
        .boolean("include_future_messages"_L1, includeFutureMessages);
}

QJsonObject ShareLink::toJson() const
{
    return toJsonObject(*this);
}

ShareLink ShareLink::readFrom(JsonReader &reader)
{
    ShareLink link;
    link.id = reader.nonEmptyString("id"_L1);
    link.conversationId = reader.nonEmptyString("conversation_id"_L1);
    link.url = reader.nonEmptyString("url"_L1);
    link.createdAt = reader.timestamp("created_at"_L1);
    link.expiresAt = reader.optionalTimestamp("expires_at"_L1);
    link.includeFutureMessages = reader.boolean("include_future_messages"_L1);
    return link;
}

Result<ShareLink> ShareLink::fromJson(const QJsonObject &json)
{
    return readJson<ShareLink>(json);
}

} // namespace parlance
