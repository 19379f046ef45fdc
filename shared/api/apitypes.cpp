#include "api/apitypes.h"

#include "domain/jsonreader.h"

#include <QJsonArray>
#include <QJsonValue>

using namespace Qt::StringLiterals;

namespace parlance::client {

namespace {

QString boolText(bool value)
{
    return value ? u"true"_s : u"false"_s;
}

} // namespace

Result<AuthSession> AuthSession::fromJson(const QJsonObject &json)
{
    JsonReader reader(json);
    AuthSession session;
    session.user = reader.object("user"_L1, [](JsonReader &r) { return User::readFrom(r); });
    session.accessToken = reader.nonEmptyString("access_token"_L1);
    session.refreshToken = reader.nonEmptyString("refresh_token"_L1);
    session.expiresInSeconds = reader.optionalInteger("expires_in"_L1).value_or(0);
    session.refreshExpiresInSeconds = reader.optionalInteger("refresh_expires_in"_L1).value_or(0);
    return reader.finish(std::move(session));
}

QUrlQuery ConversationQuery::toUrlQuery() const
{
    QUrlQuery query;
    if (!folderId.isEmpty())
        query.addQueryItem(u"folder"_s, folderId);
    if (!tag.isEmpty())
        query.addQueryItem(u"tag"_s, tag);
    if (pinned)
        query.addQueryItem(u"pinned"_s, boolText(*pinned));
    if (archived)
        query.addQueryItem(u"archived"_s, boolText(*archived));
    if (!model.isEmpty())
        query.addQueryItem(u"model"_s, model);
    if (deleted)
        query.addQueryItem(u"deleted"_s, u"true"_s);
    if (!cursor.isEmpty())
        query.addQueryItem(u"cursor"_s, cursor);
    if (limit > 0)
        query.addQueryItem(u"limit"_s, QString::number(limit));
    return query;
}

Result<ConversationPage> ConversationPage::fromJson(const QJsonObject &json)
{
    JsonReader reader(json);
    ConversationPage page;
    page.items = reader.objectList("conversations"_L1,
                                   [](JsonReader &r) { return Conversation::readFrom(r); });
    page.nextCursor = reader.optionalNonEmptyString("next_cursor"_L1);
    return reader.finish(std::move(page));
}

QJsonObject NewConversation::toJson() const
{
    QJsonObject json;
    if (!title.isEmpty())
        json.insert(u"title"_s, title);
    if (!model.isEmpty())
        json.insert(u"model"_s, model);
    if (!systemPrompt.isEmpty())
        json.insert(u"system_prompt"_s, systemPrompt);
    if (!folderId.isEmpty())
        json.insert(u"folder_id"_s, folderId);
    if (!tags.isEmpty())
        json.insert(u"tags"_s, QJsonArray::fromStringList(tags));
    return json;
}

QJsonObject ConversationChange::toJson() const
{
    QJsonObject json;
    if (title)
        json.insert(u"title"_s, *title);
    if (model)
        json.insert(u"model"_s, *model);
    if (systemPrompt)
        json.insert(u"system_prompt"_s, *systemPrompt);
    if (folderId) {
        json.insert(u"folder_id"_s,
                    folderId->isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(*folderId));
    }
    if (tags)
        json.insert(u"tags"_s, QJsonArray::fromStringList(*tags));
    if (pinned)
        json.insert(u"pinned"_s, *pinned);
    if (archived)
        json.insert(u"archived"_s, *archived);
    if (selectedMessageId)
        json.insert(u"selected_message_id"_s, *selectedMessageId);
    return json;
}

QUrlQuery MessageWindow::toUrlQuery() const
{
    QUrlQuery query;
    if (!before.isEmpty())
        query.addQueryItem(u"before"_s, before);
    if (!after.isEmpty())
        query.addQueryItem(u"after"_s, after);
    if (limit > 0)
        query.addQueryItem(u"limit"_s, QString::number(limit));
    return query;
}

Result<MessagePage> MessagePage::fromJson(const QJsonObject &json)
{
    JsonReader reader(json);
    MessagePage page;
    page.items =
        reader.objectList("messages"_L1, [](JsonReader &r) { return Message::readFrom(r); });
    page.hasMoreBefore = reader.boolean("has_more_before"_L1);
    page.hasMoreAfter = reader.boolean("has_more_after"_L1);
    return reader.finish(std::move(page));
}

Result<MessageDetail> MessageDetail::fromJson(const QJsonObject &json)
{
    JsonReader reader(json);
    MessageDetail detail;
    detail.message = Message::readFrom(reader);
    detail.siblingIds = reader.nonEmptyStringList("sibling_ids"_L1);
    return reader.finish(std::move(detail));
}

Result<StartedAnswer> StartedAnswer::fromJson(const QJsonObject &json)
{
    JsonReader reader(json);
    StartedAnswer started;
    started.userMessage =
        reader.optionalObject("message"_L1, [](JsonReader &r) { return Message::readFrom(r); });
    started.assistantMessageId = reader.nonEmptyString("assistant_message_id"_L1);
    started.streamUrl = reader.nonEmptyString("stream_url"_L1);
    started.model = reader.nonEmptyString("model"_L1);
    return reader.finish(std::move(started));
}

Result<ModelList> ModelList::fromJson(const QJsonObject &json)
{
    JsonReader reader(json);
    ModelList list;
    list.models =
        reader.objectList("models"_L1, [](JsonReader &r) { return ModelInfo::readFrom(r); });
    list.defaultModel = reader.optionalNonEmptyString("default_model"_L1);
    return reader.finish(std::move(list));
}

} // namespace parlance::client
