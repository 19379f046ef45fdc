#include "conversations/messagerepository.h"

#include "conversations/conversationrules.h"
#include "conversations/conversationslog.h"
#include "conversations/messagerows.h"
#include "conversations/sqltext.h"
#include "conversations/storedcontent.h"
#include "storage/database.h"
#include "storage/groupcommit.h"
#include "storage/sql.h"
#include "storage/transaction.h"

#include <QSqlQuery>

#include <algorithm>
#include <array>
#include <limits>

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

ApiError messageNotFound()
{
    return notFound(u"Message"_s);
}

QVariant nullableInt(std::optional<qint64> value)
{
    return value ? QVariant(*value) : QVariant(QMetaType::fromType<qint64>());
}

// Where a message lives, if the user may see it: its conversation must be
// the user's and outside the trash.
struct Located
{
    QString conversationId;
};

Result<Located> locate(const QSqlDatabase &db, const QString &userId, const QString &messageId)
{
    auto row = sql::exec(db,
                         u"SELECT m.conversation_id FROM messages m JOIN conversations c "
                         u"ON c.user_id = m.user_id AND c.id = m.conversation_id "
                         u"WHERE m.user_id = ? AND m.id = ? AND c.deleted_at IS NULL"_s,
                         { userId, messageId });
    if (!row)
        return row.error();
    if (!row.value().next())
        return messageNotFound();
    return Located { row->value(0).toString() };
}

// Statement (1) of append(), per dialect and kind of parent: the parent
// column comes from the conversation row (its selected leaf), is NULL, or is
// the given message, joined to prove it belongs to the conversation.
QString insertStatementText(SqlDialect dialect, NewMessage::Parent parent)
{
    QString parentColumn = u"c.selected_leaf_id"_s;
    QString from = u"FROM conversations c"_s;
    if (parent == NewMessage::Parent::Root) {
        parentColumn = u"NULL"_s;
    } else if (parent == NewMessage::Parent::Id) {
        parentColumn = u"p.id"_s;
        from += u" JOIN messages p ON p.user_id = c.user_id AND p.conversation_id = c.id "
                u"AND p.id = ?"_s;
    }
    return u"INSERT INTO messages (id, conversation_id, user_id, parent_id, seq, role, content, "
           u"status, error_code, error_message, model, deployment, input_tokens, output_tokens, "
           u"cached_tokens, usage_estimated, cost_micros, ttft_ms, total_ms, created_at) "
           u"SELECT ?, c.id, c.user_id, "_s
        + parentColumn + u", c.message_count + 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? "_s
        + from + u" WHERE c.user_id = ? AND c.id = ? AND c.deleted_at IS NULL"_s
        + dialect.forUpdateOf(u"c") + u" RETURNING parent_id, seq"_s;
}

const QString &insertStatement(SqlDialect dialect, NewMessage::Parent parent)
{
    static const auto texts = [] {
        std::array<QString, 6> all;
        for (const SqlDialect d : { SqlDialect::Kind::Sqlite, SqlDialect::Kind::PostgreSql }) {
            for (const auto p : { NewMessage::Parent::SelectedLeaf, NewMessage::Parent::Root,
                                  NewMessage::Parent::Id })
                all[size_t(d.isPostgreSql()) * 3 + size_t(p)] = insertStatementText(d, p);
        }
        return all;
    }();
    return texts[size_t(dialect.isPostgreSql()) * 3 + size_t(parent)];
}

// Statement (2) of append(): the conversation's count, times and (when
// `select`) selected leaf, RETURNING the new message's siblings so far: the
// parent's children with a lower seq (its seq is the conversation's highest,
// so it is the last of its siblings).
const QString &updateStatement(bool select, bool root)
{
    static const auto texts = [] {
        std::array<QString, 4> all;
        for (const bool sel : { false, true }) {
            for (const bool isRoot : { false, true }) {
                all[size_t(sel) * 2 + size_t(isRoot)] =
                    u"UPDATE conversations SET message_count = message_count + 1, "
                    u"updated_at = ?, last_message_at = ?, last_activity_at = CASE "
                    u"WHEN last_activity_at > ? THEN last_activity_at ELSE ? END"_s
                    + (sel ? u", selected_leaf_id = ?"_s : QString())
                    + u" WHERE user_id = ? AND id = ? RETURNING (SELECT COUNT(*) FROM messages s "
                      u"WHERE s.user_id = conversations.user_id "
                      u"AND s.conversation_id = conversations.id AND "_s
                    + (isRoot ? u"s.parent_id IS NULL"_s : u"s.parent_id = ?"_s)
                    + u" AND s.seq < ?)"_s;
            }
        }
        return all;
    }();
    return texts[size_t(select) * 2 + size_t(root)];
}

// Why append() stored nothing: the conversation is missing (or in the
// trash), or else the explicit parent is not one of its messages.
ApiError missingConversationOrParent(const QSqlDatabase &db, const QString &userId,
                                     const QString &conversationId)
{
    auto conversation = sql::exec(db,
                                  u"SELECT 1 FROM conversations WHERE user_id = ? AND id = ? "
                                  u"AND deleted_at IS NULL"_s,
                                  { userId, conversationId });
    if (!conversation)
        return conversation.error();
    if (!conversation.value().next())
        return notFound(u"Conversation"_s);
    return notFound(u"The message named by \"parent_id\" was"_s);
}

// Column 0 of every row, as text (ids).
Result<QStringList> firstColumn(Result<sql::Query> rows)
{
    if (!rows)
        return rows.error();
    QStringList texts;
    while (rows.value().next())
        texts.append(rows->value(0).toString());
    return texts;
}

// The ids from the root to `fromId` (oldest first), walking parent links up
// from `fromId` inside one conversation; at most `maxDepth` of them (the
// newest), or all when `maxDepth` is 0.
Result<QStringList> pathIds(const QSqlDatabase &db, const QString &userId,
                            const QString &conversationId, const QString &fromId, int maxDepth)
{
    return firstColumn(
        sql::exec(db,
                  u"WITH RECURSIVE path (id, parent_id, depth) AS ("
                  u" SELECT id, parent_id, 0 FROM messages WHERE user_id = ? AND "
                  u"conversation_id = ? AND id = ?"
                  u" UNION ALL"
                  u" SELECT m.id, m.parent_id, p.depth + 1 FROM path p JOIN messages m "
                  u"ON m.id = p.parent_id"
                  u" WHERE m.user_id = ? AND m.conversation_id = ? AND p.depth + 1 < ?)"
                  u" SELECT id FROM path ORDER BY depth DESC"_s,
                  { userId, conversationId, fromId, userId, conversationId,
                    maxDepth > 0 ? maxDepth : std::numeric_limits<int>::max() }));
}

} // namespace

MessageRepository::MessageRepository(Database &db, WallClock clock)
    : m_db(db)
    , m_clock(std::move(clock))
{ }

Result<Message> MessageRepository::append(const QString &userId, const QString &conversationId,
                                          const NewMessage &message,
                                          const AlongsideWrite &alongside)
{
    // Two statements per message (there were three to five), each prepared
    // once per connection (StatementCache), in a transaction shared with the
    // appends that arrive together (GroupCommit: a message store is on the
    // path of every chat turn, docs/benchmarks.md):
    //  1. INSERT … SELECT from the conversation row: the sequence number
    //     (message_count + 1) and the parent (the selected leaf, none, or the
    //     given message, joined to prove it is one of the conversation's) come
    //     from that row, so nothing reads them first. PostgreSQL reads the row
    //     FOR UPDATE (SQLite's BEGIN IMMEDIATE already serialises writers), so
    //     concurrent appends to one conversation line up and each reads the
    //     count the previous one left.
    //  2. UPDATE of the conversation (count, times, selected leaf), RETURNING
    //     the parent's children with a lower seq: the new message's siblings
    //     so far. Its seq is the conversation's highest, so it is the last of
    //     its siblings; counting by seq, in a statement that starts after the
    //     row lock is held, sees every sibling committed before it on
    //     PostgreSQL and never the new message itself.
    // No row from (1) means a missing conversation or parent; one more query
    // tells which, on that failure path only. The stored message is built
    // from the values written rather than read back.
    //
    // The group's leader runs every write of its group one after the other
    // while the database's write lock is held, so that critical section is
    // what bounds messages stored per second: everything that needs no
    // database (the id, the content's JSON both ways, the bound values, the
    // returned message) is done here, on the caller's thread, before and
    // after it.
    const QVariant now = sql::toDb(m_clock());
    const QString id = message.id.isEmpty() ? sql::newId() : message.id;
    const std::optional<Usage> &usage = message.usage;
    const QString content = storedcontent::encode(message.content);
    QVariantList values {
        id,
        QString(Message::roleName(message.role)),
        content,
        QString(Message::statusName(message.status)),
        sql::nullIfEmpty(message.error ? message.error->code : QString()),
        sql::nullIfEmpty(message.error ? message.error->message : QString()),
        textToDb(message.model),
        sql::nullIfEmpty(message.deployment),
        nullableInt(usage ? std::optional(usage->inputTokens) : std::nullopt),
        nullableInt(usage ? std::optional(usage->outputTokens) : std::nullopt),
        nullableInt(usage ? std::optional(usage->cachedTokens) : std::nullopt),
        usage ? QVariant(usage->estimated) : QVariant(QMetaType::fromType<bool>()),
        nullableInt(usage ? std::optional(usage->costMicros) : std::nullopt),
        nullableInt(message.timeToFirstTokenMs),
        nullableInt(message.totalTimeMs),
        now,
    };
    if (message.parent == NewMessage::Parent::Id)
        values.append(message.parentId);
    values << userId << conversationId;

    // What messagerows::load would read back for this row; the parent and
    // the sibling figures come from the statements.
    Message stored;
    stored.id = id;
    stored.conversationId = conversationId;
    stored.role = message.role;
    stored.content = storedcontent::decode(content);
    stored.status = message.status;
    if (message.error && !message.error->code.isEmpty()) // stored as NULL otherwise
        stored.error = ApiError { message.error->code, message.error->message, {} };
    stored.model = textToDb(message.model).toString();
    stored.deployment = message.deployment;
    stored.usage = usage;
    stored.timeToFirstTokenMs = message.timeToFirstTokenMs;
    stored.totalTimeMs = message.totalTimeMs;
    stored.createdAt = sql::timeFromDb(now);

    const QString &insertText = insertStatement(m_db.dialect(), message.parent);
    auto written = m_db.groupCommit().run([&](const QSqlDatabase &db) -> Status {
        auto inserted = sql::exec(db, insertText, values);
        if (!inserted)
            return inserted.error();
        if (!inserted.value().next()) {
            inserted.value().finish();
            return missingConversationOrParent(db, userId, conversationId);
        }
        const QString parentId =
            inserted->value(0).isNull() ? QString() : inserted->value(0).toString();
        const qint64 seq = inserted->value(1).toLongLong();
        inserted.value().finish();

        QVariantList update { now, now, now, now };
        if (message.select)
            update.append(id);
        update << userId << conversationId;
        if (!parentId.isEmpty())
            update.append(parentId);
        update.append(seq);
        auto counted = sql::exec(db, updateStatement(message.select, parentId.isEmpty()), update);
        if (!counted)
            return counted.error();
        if (!counted.value().next()) { // The row read FOR UPDATE (or under the write lock).
            qCWarning(lcConversations) << "message append: the conversation row vanished";
            return sql::internalError();
        }
        const qint64 siblingsBefore = counted->value(0).toLongLong();
        counted.value().finish();

        // Set on every run: a group rolled back and replayed runs this again.
        stored.parentId = parentId;
        stored.siblingCount = int(siblingsBefore + 1);
        stored.siblingIndex = int(siblingsBefore);
        if (alongside)
            return alongside(db, stored);
        return Done {};
    });
    if (!written)
        return written.error();
    return stored;
}

Result<Message> MessageRepository::get(const QString &userId, const QString &messageId)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    if (auto located = locate(*db, userId, messageId); !located)
        return located.error();
    auto loaded = messagerows::load(*db, userId, { messageId });
    if (!loaded)
        return loaded.error();
    if (loaded->isEmpty())
        return messageNotFound();
    return loaded->front();
}

Result<QStringList> MessageRepository::siblingIds(const QString &userId, const QString &messageId)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    auto located = locate(*db, userId, messageId);
    if (!located)
        return located.error();
    return firstColumn(sql::exec(
        *db,
        u"SELECT s.id FROM messages m JOIN messages s ON s.user_id = m.user_id "
        u"AND s.conversation_id = m.conversation_id "
        u"AND (s.parent_id = m.parent_id OR (s.parent_id IS NULL AND m.parent_id IS NULL)) "
        u"WHERE m.user_id = ? AND m.id = ? ORDER BY s.seq"_s,
        { userId, messageId }));
}

Result<MessagePage> MessageRepository::selectedPath(const QString &userId,
                                                    const QString &conversationId,
                                                    const PathQuery &query)
{
    auto head = pathHead(userId, conversationId);
    if (!head)
        return head.error();
    return selectedPath(userId, conversationId, query, *head);
}

Result<PathHead> MessageRepository::pathHead(const QString &userId, const QString &conversationId)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    auto conversation =
        sql::exec(*db,
                  u"SELECT selected_leaf_id, message_count FROM conversations WHERE user_id = ? "
                  u"AND id = ? AND deleted_at IS NULL"_s,
                  { userId, conversationId });
    if (!conversation)
        return conversation.error();
    if (!conversation.value().next())
        return notFound(u"Conversation"_s);
    PathHead head;
    if (!conversation->value(0).isNull())
        head.leafId = conversation->value(0).toString();
    head.messageCount = conversation->value(1).toLongLong();
    return head;
}

Result<MessagePage> MessageRepository::selectedPath(const QString &userId,
                                                    const QString &conversationId,
                                                    const PathQuery &query, const PathHead &head)
{
    if (!query.before.isEmpty() && !query.after.isEmpty())
        return invalidField(u"before"_s, u"cannot be combined with \"after\"."_s);
    auto db = m_db.connection();
    if (!db)
        return db.error();
    const QString &leaf = head.leafId;

    // The ids of the whole path. Only ids: the path of a long conversation
    // is thousands of rows, the window a few dozen.
    QStringList path;
    if (!leaf.isEmpty()) {
        auto ids = pathIds(*db, userId, conversationId, leaf, 0);
        if (!ids)
            return ids.error();
        path = std::move(ids).value();
    }

    const qsizetype limit = std::clamp(query.limit, 1, PathQuery::MaxLimit);
    const qsizetype size = path.size();
    qsizetype first = std::max<qsizetype>(size - limit, 0);
    qsizetype end = size; // One past the last.
    if (!query.before.isEmpty()) {
        const qsizetype at = path.indexOf(query.before);
        if (at < 0)
            return invalidField(u"before"_s, u"is not a message on the selected branch."_s);
        end = at;
        first = std::max<qsizetype>(at - limit, 0);
    } else if (!query.after.isEmpty()) {
        const qsizetype at = path.indexOf(query.after);
        if (at < 0)
            return invalidField(u"after"_s, u"is not a message on the selected branch."_s);
        first = at + 1;
        end = std::min(first + limit, size);
    }

    MessagePage page;
    page.hasMoreBefore = first > 0;
    page.hasMoreAfter = end < size;
    auto loaded = messagerows::load(*db, userId, path.mid(first, end - first),
                                    query.withSiblings ? messagerows::Siblings::Counted
                                                       : messagerows::Siblings::Skipped);
    if (!loaded)
        return loaded.error();
    page.items = std::move(loaded).value();
    return page;
}

Result<QList<Message>> MessageRepository::branchTo(const QString &userId, const QString &messageId,
                                                   int maxDepth)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    auto located = locate(*db, userId, messageId);
    if (!located)
        return located.error();
    auto ids = pathIds(*db, userId, located->conversationId, messageId, std::max(maxDepth, 1));
    if (!ids)
        return ids.error();
    return messagerows::load(*db, userId, *ids, messagerows::Siblings::Skipped);
}

Result<BranchSelection> MessageRepository::selectBranch(const QString &userId,
                                                        const QString &messageId)
{
    return sql::withTransaction(m_db, [&](const QSqlDatabase &db) -> Result<BranchSelection> {
        auto located = locate(db, userId, messageId);
        if (!located)
            return located.error();
        const QString &conversationId = located->conversationId;

        // Down from the message, always into the child with the highest seq (the
        // most recent answer or edit), as far as the tree goes.
        auto rows = sql::exec(
            db,
            u"WITH RECURSIVE down (id, depth) AS ("
            u" SELECT id, 0 FROM messages WHERE user_id = ? AND conversation_id = ? AND id = ?"
            u" UNION ALL"
            u" SELECT m.id, d.depth + 1 FROM down d JOIN messages m ON m.user_id = ?"
            u" AND m.conversation_id = ? AND m.parent_id = d.id"
            u" AND m.seq = (SELECT MAX(s.seq) FROM messages s WHERE s.user_id = ?"
            u" AND s.conversation_id = ? AND s.parent_id = d.id))"
            u" SELECT id FROM down ORDER BY depth DESC LIMIT 1"_s,
            { userId, conversationId, messageId, userId, conversationId, userId, conversationId });
        if (!rows)
            return rows.error();
        if (!rows.value().next())
            return messageNotFound();
        BranchSelection selection { conversationId, rows->value(0).toString() };
        rows.value().finish();

        auto updated =
            sql::execUpdate(db,
                            u"UPDATE conversations SET selected_leaf_id = ?, updated_at = ? "
                            u"WHERE user_id = ? AND id = ? AND deleted_at IS NULL"_s,
                            { selection.leafId, sql::toDb(m_clock()), userId, conversationId });
        if (!updated)
            return updated.error();
        return selection;
    });
}

} // namespace parlance
