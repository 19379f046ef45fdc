#pragma once

#include "common/result.h"
#include "domain/contentpart.h"
#include "domain/conversation.h"
#include "domain/message.h"
#include "domain/modelinfo.h"
#include "domain/user.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrlQuery>

#include <optional>

// Requests and answers of the HTTP API as the client sees them (the domain
// types are in domain/). They live in parlance::client because the backend
// has its own, different ConversationPage, MessagePage, TagCount, ... in
// parlance, and a test may link both.
namespace parlance::client {

// The answer of register, login, refresh and password change
// (docs/auth.md "session"). The ApiClient adopts its tokens itself.
struct AuthSession
{
    User user;
    QString accessToken;
    QString refreshToken;
    qint64 expiresInSeconds = 0;
    qint64 refreshExpiresInSeconds = 0;

    [[nodiscard]] static Result<AuthSession> fromJson(const QJsonObject &json);
};

// GET /api/v1/conversations filters (docs/conversations.md). Empty strings and
// nullopt mean "no filter".
struct ConversationQuery
{
    QString folderId; // a folder id, or "none" for conversations in no folder
    QString tag;
    std::optional<bool> pinned;
    std::optional<bool> archived; // unset: archived ones are hidden; true: only them
    QString model;
    bool deleted = false; // the trash
    QString cursor; // next_cursor of the previous page
    int limit = 0; // 0: the server's default (50); 1-200

    [[nodiscard]] QUrlQuery toUrlQuery() const;
};

struct ConversationPage
{
    QList<Conversation> items;
    QString nextCursor; // empty on the last page

    [[nodiscard]] bool hasMore() const { return !nextCursor.isEmpty(); }
    [[nodiscard]] static Result<ConversationPage> fromJson(const QJsonObject &json);
};

// POST /api/v1/conversations. Empty fields are left out (the server then uses
// its defaults, e.g. the catalog's default model).
struct NewConversation
{
    QString title;
    QString model;
    QString systemPrompt;
    QString folderId;
    QStringList tags;

    [[nodiscard]] QJsonObject toJson() const;
};

// PATCH /api/v1/conversations/<id>: only the set fields change. For folderId
// an empty string moves the conversation out of its folder (JSON null).
struct ConversationChange
{
    std::optional<QString> title;
    std::optional<QString> model;
    std::optional<QString> systemPrompt;
    std::optional<QString> folderId;
    std::optional<QStringList> tags;
    std::optional<bool> pinned;
    std::optional<bool> archived;
    // Selects the branch through this message (the "< 2/3 >" switcher).
    std::optional<QString> selectedMessageId;

    [[nodiscard]] QJsonObject toJson() const;
};

struct TagCount
{
    QString tag;
    int count = 0;
};

// GET /api/v1/conversations/<id>/messages: a window of the selected branch.
// Neither before nor after: the newest messages (where a chat opens).
struct MessageWindow
{
    QString before; // message id: the `limit` messages before it
    QString after; // message id: the `limit` messages after it (not with before)
    int limit = 0; // 0: the server's default

    [[nodiscard]] QUrlQuery toUrlQuery() const;
};

struct MessagePage
{
    QList<Message> items; // root first
    bool hasMoreBefore = false;
    bool hasMoreAfter = false;

    [[nodiscard]] static Result<MessagePage> fromJson(const QJsonObject &json);
};

// GET /api/v1/messages/<id>: the message and its siblings' ids, oldest first.
struct MessageDetail
{
    Message message;
    QStringList siblingIds;

    [[nodiscard]] static Result<MessageDetail> fromJson(const QJsonObject &json);
};

// POST …/messages (send), PATCH /messages/<id> (edit and resend) and POST
// /messages/<id>/regenerate all start an answer: follow streamUrl with a
// StreamClient. `userMessage` is the stored user message (absent for
// regenerate).
struct StartedAnswer
{
    std::optional<Message> userMessage;
    QString assistantMessageId;
    QString streamUrl; // a path, e.g. /api/v1/stream/<assistantMessageId>
    QString model;

    [[nodiscard]] static Result<StartedAnswer> fromJson(const QJsonObject &json);
};

// Where a new message goes in the tree (POST …/messages "parent_id").
struct MessageParent
{
    enum class Kind { SelectedLeaf, Root, Message };
    Kind kind = Kind::SelectedLeaf;
    QString messageId; // Kind::Message only

    [[nodiscard]] static MessageParent selectedLeaf() { return {}; }
    [[nodiscard]] static MessageParent root() { return { Kind::Root, {} }; }
    [[nodiscard]] static MessageParent under(const QString &id) { return { Kind::Message, id }; }
};

// GET /api/v1/models.
struct ModelList
{
    QList<ModelInfo> models;
    QString defaultModel;

    [[nodiscard]] static Result<ModelList> fromJson(const QJsonObject &json);
};

// POST /api/v1/messages/<id>/stop: stopping is false when the answer had
// already finished (not an error).
struct StopResult
{
    QString messageId;
    bool stopping = false;
};

} // namespace parlance::client
