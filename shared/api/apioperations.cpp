// The typed operations of ApiClient: each is the generic call plus the
// domain type's fromJson (shapes in docs/auth.md, docs/conversations.md,
// docs/streaming.md).
#include "api/apiclient.h"
#include "api/apiclient_p.h"
#include "contract/apipaths.h"
#include "contract/errorcodes.h"
#include "domain/jsonreader.h"

#include <QJsonArray>
#include <QMetaObject>

using namespace Qt::StringLiterals;

namespace parlance::client {

namespace {

Status toStatus(const Result<QJsonObject> &result)
{
    if (!result)
        return result.error();
    return Done {};
}

QJsonArray contentJson(const QList<ContentPart> &content)
{
    QJsonArray parts;
    for (const ContentPart &part : content)
        parts.append(part.toJson());
    return parts;
}

} // namespace

// ---- Accounts ---------------------------------------------------------------

void ApiClient::registerAccount(const QString &email, const QString &password,
                                const QString &displayName, QObject *context,
                                Callback<AuthSession> done)
{
    QJsonObject body { { u"email"_s, email }, { u"password"_s, password } };
    if (!displayName.isEmpty())
        body.insert(u"display_name"_s, displayName);
    // The tokens are adopted even if the context went away meanwhile: the
    // server has started a session, and forgetting it would strand it.
    call(
        "POST", QString(api::AuthRegister), body, {}, this,
        [this, done = guarded(context, std::move(done))](Result<QJsonObject> answer) {
            if (!answer)
                return done(answer.error());
            auto session = asAnswer(AuthSession::fromJson(*answer));
            if (session)
                adoptSession(*session);
            done(std::move(session));
        },
        Auth::None);
}

void ApiClient::login(const QString &email, const QString &password, QObject *context,
                      Callback<AuthSession> done)
{
    call(
        "POST", QString(api::AuthLogin),
        QJsonObject { { u"email"_s, email }, { u"password"_s, password } }, {}, this,
        [this, done = guarded(context, std::move(done))](Result<QJsonObject> answer) {
            if (!answer)
                return done(answer.error());
            auto session = asAnswer(AuthSession::fromJson(*answer));
            if (session)
                adoptSession(*session);
            done(std::move(session));
        },
        Auth::None);
}

void ApiClient::refresh(QObject *context, Callback<AuthSession> done)
{
    refreshSession(this, [this, done = guarded(context, std::move(done))](Status status) {
        if (!status)
            return done(status.error());
        // The user is not part of what the client keeps; ask for it.
        me(this, [this, done](Result<User> user) {
            if (!user)
                return done(user.error());
            done(AuthSession { *user, m_accessToken, m_refreshToken, 0, 0 });
        });
    });
}

void ApiClient::logout(QObject *context, StatusCallback done)
{
    const QString token = m_refreshToken;
    clearSession();
    if (token.isEmpty()) {
        QMetaObject::invokeMethod(
            this, [done = guarded(context, std::move(done))] { done(Done {}); },
            Qt::QueuedConnection);
        return;
    }
    call(
        "POST", QString(api::AuthLogout), QJsonObject { { u"refresh_token"_s, token } }, {},
        context, [done = std::move(done)](Result<QJsonObject> answer) { done(toStatus(answer)); },
        Auth::None);
}

void ApiClient::me(QObject *context, Callback<User> done)
{
    typed<User>("GET", QString(api::AuthMe), {}, {}, context, std::move(done), &User::fromJson);
}

void ApiClient::changePassword(const QString &currentPassword, const QString &newPassword,
                               QObject *context, Callback<AuthSession> done)
{
    call("POST", QString(api::AuthPassword),
         QJsonObject { { u"current_password"_s, currentPassword },
                       { u"new_password"_s, newPassword } },
         {}, this, [this, done = guarded(context, std::move(done))](Result<QJsonObject> answer) {
             if (!answer)
                 return done(answer.error());
             auto session = asAnswer(AuthSession::fromJson(*answer));
             if (session)
                 adoptSession(*session);
             done(std::move(session));
         });
}

// ---- Conversations, folders, tags ---------------------------------------------

void ApiClient::listConversations(const ConversationQuery &query, QObject *context,
                                  Callback<ConversationPage> done)
{
    typed<ConversationPage>("GET", QString(api::Conversations), {}, query.toUrlQuery(), context,
                            std::move(done), &ConversationPage::fromJson);
}

void ApiClient::getConversation(const QString &id, QObject *context, Callback<Conversation> done)
{
    typed<Conversation>("GET", api::path(api::Conversation, id), {}, {}, context, std::move(done),
                        &Conversation::fromJson);
}

void ApiClient::createConversation(const NewConversation &fields, QObject *context,
                                   Callback<Conversation> done)
{
    typed<Conversation>("POST", QString(api::Conversations), fields.toJson(), {}, context,
                        std::move(done), &Conversation::fromJson);
}

void ApiClient::updateConversation(const QString &id, const ConversationChange &change,
                                   QObject *context, Callback<Conversation> done)
{
    typed<Conversation>("PATCH", api::path(api::Conversation, id), change.toJson(), {}, context,
                        std::move(done), &Conversation::fromJson);
}

void ApiClient::deleteConversation(const QString &id, QObject *context, StatusCallback done)
{
    call("DELETE", api::path(api::Conversation, id), {}, {}, context,
         [done = std::move(done)](Result<QJsonObject> answer) { done(toStatus(answer)); });
}

void ApiClient::restoreConversation(const QString &id, QObject *context,
                                    Callback<Conversation> done)
{
    typed<Conversation>("POST", api::path(api::ConversationRestore, id), {}, {}, context,
                        std::move(done), &Conversation::fromJson);
}

void ApiClient::listFolders(QObject *context, Callback<QList<Folder>> done)
{
    typed<QList<Folder>>("GET", QString(api::Folders), {}, {}, context, std::move(done),
                         [](const QJsonObject &json) -> Result<QList<Folder>> {
                             JsonReader reader(json);
                             auto folders = reader.objectList(
                                 "folders"_L1, [](JsonReader &r) { return Folder::readFrom(r); });
                             return reader.finish(std::move(folders));
                         });
}

void ApiClient::createFolder(const QString &name, const QString &parentId, QObject *context,
                             Callback<Folder> done)
{
    QJsonObject body { { u"name"_s, name } };
    if (!parentId.isEmpty())
        body.insert(u"parent_id"_s, parentId);
    typed<Folder>("POST", QString(api::Folders), body, {}, context, std::move(done),
                  &Folder::fromJson);
}

void ApiClient::renameFolder(const QString &id, const QString &name, QObject *context,
                             Callback<Folder> done)
{
    typed<Folder>("PATCH", api::path(api::Folder, id), QJsonObject { { u"name"_s, name } }, {},
                  context, std::move(done), &Folder::fromJson);
}

void ApiClient::deleteFolder(const QString &id, QObject *context, StatusCallback done)
{
    call("DELETE", api::path(api::Folder, id), {}, {}, context,
         [done = std::move(done)](Result<QJsonObject> answer) { done(toStatus(answer)); });
}

void ApiClient::listTags(QObject *context, Callback<QList<TagCount>> done)
{
    typed<QList<TagCount>>("GET", QString(api::Tags), {}, {}, context, std::move(done),
                           [](const QJsonObject &json) -> Result<QList<TagCount>> {
                               JsonReader reader(json);
                               auto tags = reader.objectList("tags"_L1, [](JsonReader &r) {
                                   TagCount tag;
                                   tag.tag = r.nonEmptyString("tag"_L1);
                                   tag.count = int(
                                       r.integer("count"_L1, 0, std::numeric_limits<int>::max()));
                                   return tag;
                               });
                               return reader.finish(std::move(tags));
                           });
}

// ---- Messages and answers -----------------------------------------------------

void ApiClient::listMessages(const QString &conversationId, const MessageWindow &window,
                             QObject *context, Callback<MessagePage> done)
{
    typed<MessagePage>("GET", api::path(api::ConversationMessages, conversationId), {},
                       window.toUrlQuery(), context, std::move(done), &MessagePage::fromJson);
}

void ApiClient::getMessage(const QString &id, QObject *context, Callback<MessageDetail> done)
{
    typed<MessageDetail>("GET", api::path(api::Message, id), {}, {}, context, std::move(done),
                         &MessageDetail::fromJson);
}

void ApiClient::sendMessage(const QString &conversationId, const QList<ContentPart> &content,
                            const MessageParent &parent, QObject *context,
                            Callback<StartedAnswer> done)
{
    QJsonObject body { { u"content"_s, contentJson(content) } };
    switch (parent.kind) {
    case MessageParent::Kind::SelectedLeaf:
        break; // absent: continue the selected branch
    case MessageParent::Kind::Root:
        body.insert(u"parent_id"_s, QJsonValue(QJsonValue::Null));
        break;
    case MessageParent::Kind::Message:
        body.insert(u"parent_id"_s, parent.messageId);
        break;
    }
    typed<StartedAnswer>("POST", api::path(api::ConversationMessages, conversationId), body, {},
                         context, std::move(done), &StartedAnswer::fromJson);
}

void ApiClient::editMessage(const QString &messageId, const QList<ContentPart> &content,
                            QObject *context, Callback<StartedAnswer> done)
{
    typed<StartedAnswer>("PATCH", api::path(api::Message, messageId),
                         QJsonObject { { u"content"_s, contentJson(content) } }, {}, context,
                         std::move(done), &StartedAnswer::fromJson);
}

void ApiClient::regenerate(const QString &assistantMessageId, QObject *context,
                           Callback<StartedAnswer> done)
{
    typed<StartedAnswer>("POST", api::path(api::MessageRegenerate, assistantMessageId), {}, {},
                         context, std::move(done), &StartedAnswer::fromJson);
}

void ApiClient::stopGeneration(const QString &assistantMessageId, QObject *context,
                               Callback<StopResult> done)
{
    typed<StopResult>("POST", api::path(api::MessageStop, assistantMessageId), {}, {}, context,
                      std::move(done), [](const QJsonObject &json) -> Result<StopResult> {
                          JsonReader reader(json);
                          StopResult result;
                          result.messageId = reader.nonEmptyString("message_id"_L1);
                          result.stopping = reader.boolean("stopping"_L1);
                          return reader.finish(std::move(result));
                      });
}

// ---- Models and usage -----------------------------------------------------------

void ApiClient::listModels(QObject *context, Callback<ModelList> done)
{
    typed<ModelList>("GET", QString(api::Models), {}, {}, context, std::move(done),
                     &ModelList::fromJson);
}

void ApiClient::usage(QObject *context, Callback<UsageSummary> done)
{
    typed<UsageSummary>("GET", QString(api::UserUsage), {}, {}, context, std::move(done),
                        &UsageSummary::fromJson);
}

} // namespace parlance::client
