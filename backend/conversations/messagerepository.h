#pragma once

#include "auth/authclock.h"
#include "common/result.h"
#include "domain/message.h"

#include <QList>
#include <QString>
#include <QStringList>

class QSqlDatabase;

#include <functional>
#include <optional>

namespace parlance {

class Database;

// A message to store; content already validated (ConversationRules).
struct NewMessage
{
    // Where the message hangs in the tree: under the conversation's selected
    // leaf (continuing the branch on screen), as a new first message (editing
    // the first message), or under a given message of the same conversation
    // (editing or regenerating adds a sibling this way).
    enum class Parent { SelectedLeaf, Root, Id };
    Parent parent = Parent::SelectedLeaf;
    QString parentId; // For Parent::Id.
    // Empty: a new id is made. The generation names the assistant message
    // before it exists (its stream URL is answered at once), then stores it
    // under that id when the answer ends.
    QString id;

    Message::Role role = Message::Role::User;
    QList<ContentPart> content;
    Message::Status status = Message::Status::Complete;
    std::optional<ApiError> error;
    QString model;
    QString deployment;
    std::optional<Usage> usage;
    std::optional<qint64> timeToFirstTokenMs;
    std::optional<qint64> totalTimeMs;
    // The new message becomes the conversation's selected leaf.
    bool select = true;
};

// A window of the selected path. `before` / `after` name a message on the
// path; without either the window is the end of the path (the newest
// messages), which is what a chat opens on.
struct PathQuery
{
    QString before;
    QString after;
    int limit = DefaultLimit;
    // Sibling counts ("2/3") for each message; a model's context leaves them
    // out (one query less per turn).
    bool withSiblings = true;

    static constexpr int DefaultLimit = 50;
    static constexpr int MaxLimit = 200;
};

// What the selected path of a conversation depends on: its selected leaf and
// how many messages it holds. Messages are never changed or removed one by
// one, so the same head always means the same path and sibling counts
// (HistoryPageCache keys on it).
struct PathHead
{
    QString leafId; // Null: no message yet.
    qint64 messageCount = 0;
};

struct MessagePage
{
    QList<Message> items; // Root first.
    bool hasMoreBefore = false;
    bool hasMoreAfter = false;
};

struct BranchSelection
{
    QString conversationId;
    QString leafId;
};

// The messages table: a tree per conversation (parent_id), with the
// conversation's selected leaf naming the branch the user sees. Blocking:
// call it on a worker thread. Every statement is scoped by user_id, and only
// messages of conversations outside the trash are visible: anything else is
// not_found, exactly like a message that never existed.
class MessageRepository
{
public:
    explicit MessageRepository(Database &db, WallClock clock = systemWallClock());

    // Stores the message with the next sequence number of its conversation,
    // raises the conversation's message count and last activity, and selects
    // it when asked. not_found for a missing conversation or parent.
    // `alongside`, when given, writes more in the same transaction once the
    // message is in (an answer's usage record): both are stored or neither.
    // It runs on the committing thread's connection, perhaps twice (see
    // GroupCommit), and must only touch the database it is given.
    using AlongsideWrite = std::function<Status(const QSqlDatabase &, const Message &stored)>;
    [[nodiscard]] Result<Message> append(const QString &userId, const QString &conversationId,
                                         const NewMessage &message,
                                         const AlongsideWrite &alongside = {});
    // With its place among its siblings.
    [[nodiscard]] Result<Message> get(const QString &userId, const QString &messageId);
    // The children of the message's parent, oldest first (the message itself
    // included).
    [[nodiscard]] Result<QStringList> siblingIds(const QString &userId, const QString &messageId);
    // The path from the root to the selected leaf, windowed by `query`, each
    // message annotated with its sibling index and count. invalid_field when
    // `before`/`after` is not on the path or both are given.
    [[nodiscard]] Result<MessagePage>
    selectedPath(const QString &userId, const QString &conversationId, const PathQuery &query);
    // The conversation's head; not_found for a missing or deleted one.
    [[nodiscard]] Result<PathHead> pathHead(const QString &userId, const QString &conversationId);
    // The path from a head read before (the leaf is not read again).
    [[nodiscard]] Result<MessagePage> selectedPath(const QString &userId,
                                                   const QString &conversationId,
                                                   const PathQuery &query, const PathHead &head);
    // The branch ending at `messageId`: its ancestors and itself, oldest
    // first, at most `maxDepth` messages (the newest ones), without sibling
    // counts (what a model's context is built from). not_found when the
    // message is not the user's or its conversation is in the trash.
    [[nodiscard]] Result<QList<Message>> branchTo(const QString &userId, const QString &messageId,
                                                  int maxDepth);
    // Selects the branch through `messageId`: the selected leaf becomes the
    // deepest descendant reached by following the most recent child at each
    // step (the message itself when it has no children).
    [[nodiscard]] Result<BranchSelection> selectBranch(const QString &userId,
                                                       const QString &messageId);

private:
    Database &m_db;
    WallClock m_clock;
};

} // namespace parlance
