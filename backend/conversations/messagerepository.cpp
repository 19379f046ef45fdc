#include "conversations/messagerepository.h"

#include "conversations/conversationrules.h"
#include "conversations/messagerows.h"
#include "conversations/sqltext.h"
#include "conversations/storedcontent.h"
#include "storage/database.h"
#include "storage/groupcommit.h"
#include "storage/sql.h"
#include "storage/transaction.h"

#include <QSqlQuery>

#include <algorithm>

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

} // namespace

MessageRepository::MessageRepository(Database &db, WallClock clock)
    : m_db(db)
    , m_clock(std::move(clock))
{ }

Result<Message> MessageRepository::append(const QString &userId, const QString &conversationId,
                                          const NewMessage &message)
{
    // Five statements: BEGIN, UPDATE … RETURNING, INSERT, UPDATE of the
    // selected leaf, COMMIT (plus a lookup for an explicit parent, plus a
    // sibling count for a new root). The stored message is built from the
    // values written rather than read back: a message store is on the path
    // of every chat turn (docs/benchmarks.md), so it goes through the group
    // commit: appends that arrive together share one transaction.
    return m_db.groupCommit().run([&](const QSqlDatabase &db) -> Result<Message> {
        // Taking the next sequence number first locks the conversation row
        // (PostgreSQL) or the database (SQLite's BEGIN IMMEDIATE), so
        // concurrent appends to one conversation line up and get distinct
        // numbers. It also counts the children of the selected leaf (or the
        // roots when there is none): the new message's siblings so far, when
        // it goes under that leaf. Its seq is the conversation's highest, so
        // it is the last of its siblings.
        const QDateTime nowTime = m_clock();
        const QVariant now = sql::toDb(nowTime);
        auto counted = sql::exec(
            db,
            u"UPDATE conversations SET message_count = message_count + 1, updated_at = ?, "
            u"last_message_at = ?, "
            u"last_activity_at = CASE WHEN last_activity_at > ? THEN last_activity_at ELSE ? END "
            u"WHERE user_id = ? AND id = ? AND deleted_at IS NULL "
            u"RETURNING message_count, selected_leaf_id, "
            u"CASE WHEN selected_leaf_id IS NULL THEN (SELECT COUNT(*) FROM messages s "
            u"WHERE s.user_id = conversations.user_id AND s.conversation_id = conversations.id "
            u"AND s.parent_id IS NULL) ELSE (SELECT COUNT(*) FROM messages s "
            u"WHERE s.user_id = conversations.user_id AND s.conversation_id = conversations.id "
            u"AND s.parent_id = conversations.selected_leaf_id) END"_s,
            { now, now, now, now, userId, conversationId });
        if (!counted)
            return counted.error();
        if (!counted.value().next())
            return notFound(u"Conversation"_s);
        const qint64 seq = counted->value(0).toLongLong();
        const QString selectedLeaf =
            counted->value(1).isNull() ? QString() : counted->value(1).toString();
        const qint64 leafChildren = counted->value(2).toLongLong();
        counted.value().finish();

        QString parentId;
        qint64 siblingsBefore = 0;
        switch (message.parent) {
        case NewMessage::Parent::SelectedLeaf:
            parentId = selectedLeaf;
            siblingsBefore = leafChildren;
            break;
        case NewMessage::Parent::Root: {
            auto roots = sql::exec(db,
                                   u"SELECT COUNT(*) FROM messages WHERE user_id = ? "
                                   u"AND conversation_id = ? AND parent_id IS NULL"_s,
                                   { userId, conversationId });
            if (!roots)
                return roots.error();
            if (roots.value().next())
                siblingsBefore = roots->value(0).toLongLong();
            break;
        }
        case NewMessage::Parent::Id: {
            auto parent = sql::exec(
                db,
                u"SELECT (SELECT COUNT(*) FROM messages s WHERE s.user_id = m.user_id "
                u"AND s.conversation_id = m.conversation_id AND s.parent_id = m.id) "
                u"FROM messages m WHERE m.user_id = ? AND m.conversation_id = ? AND m.id = ?"_s,
                { userId, conversationId, message.parentId });
            if (!parent)
                return parent.error();
            if (!parent.value().next())
                return notFound(u"The message named by \"parent_id\" was"_s);
            siblingsBefore = parent->value(0).toLongLong();
            parentId = message.parentId;
            break;
        }
        }

        const QString id = message.id.isEmpty() ? sql::newId() : message.id;
        const std::optional<Usage> &usage = message.usage;
        const QString content = storedcontent::encode(message.content);
        auto inserted = sql::execUpdate(
            db,
            u"INSERT INTO messages (id, conversation_id, user_id, parent_id, seq, role, content, "
            u"status, error_code, error_message, model, deployment, input_tokens, output_tokens, "
            u"cached_tokens, usage_estimated, cost_micros, ttft_ms, total_ms, created_at) "
            u"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
            { id,
              conversationId,
              userId,
              sql::nullIfEmpty(parentId),
              seq,
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
              now });
        if (!inserted)
            return inserted.error();
        if (message.select) {
            auto selected = sql::execUpdate(
                db, u"UPDATE conversations SET selected_leaf_id = ? WHERE user_id = ? AND id = ?"_s,
                { id, userId, conversationId });
            if (!selected)
                return selected.error();
        }

        // What messagerows::load would read back for this row.
        Message stored;
        stored.id = id;
        stored.conversationId = conversationId;
        stored.parentId = parentId;
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
        stored.siblingCount = int(siblingsBefore + 1);
        stored.siblingIndex = int(siblingsBefore);
        return stored;
    });
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
    auto rows = sql::exec(
        *db,
        u"SELECT s.id FROM messages m JOIN messages s ON s.user_id = m.user_id "
        u"AND s.conversation_id = m.conversation_id "
        u"AND (s.parent_id = m.parent_id OR (s.parent_id IS NULL AND m.parent_id IS NULL)) "
        u"WHERE m.user_id = ? AND m.id = ? ORDER BY s.seq"_s,
        { userId, messageId });
    if (!rows)
        return rows.error();
    QStringList ids;
    while (rows.value().next())
        ids.append(rows->value(0).toString());
    return ids;
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

    // The ids of the whole path, leaf first. Only ids: the path of a long
    // conversation is thousands of rows, the window a few dozen.
    QStringList path;
    if (!leaf.isEmpty()) {
        auto rows = sql::exec(*db,
                              u"WITH RECURSIVE path (id, parent_id, depth) AS ("
                              u" SELECT id, parent_id, 0 FROM messages WHERE user_id = ? AND "
                              u"conversation_id = ? AND id = ?"
                              u" UNION ALL"
                              u" SELECT m.id, m.parent_id, p.depth + 1 FROM path p JOIN messages m "
                              u"ON m.id = p.parent_id"
                              u" WHERE m.user_id = ? AND m.conversation_id = ?)"
                              u" SELECT id FROM path ORDER BY depth DESC"_s,
                              { userId, conversationId, leaf, userId, conversationId });
        if (!rows)
            return rows.error();
        while (rows.value().next())
            path.append(rows->value(0).toString());
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
    auto loaded = messagerows::load(*db, userId, path.mid(first, end - first));
    if (!loaded)
        return loaded.error();
    page.items = std::move(loaded).value();
    return page;
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
