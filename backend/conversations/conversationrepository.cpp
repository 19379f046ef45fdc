#include "conversations/conversationrepository.h"

#include "conversations/conversationrules.h"
#include "conversations/conversationslog.h"
#include "conversations/sqltext.h"
#include "storage/database.h"
#include "storage/sql.h"
#include "storage/transaction.h"

#include <QSqlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

// The conversation's columns, its tags last (tag_list: the tags in order,
// joined by SqlDialect::ListSeparator, which a tag never holds:
// ConversationRules::tag turns every whitespace run into one space, and
// tagListValue refuses one that does). Reads `conversations c`.
const QString &selectColumns()
{
    static const QString text =
        u"SELECT c.id, c.folder_id, c.title, c.model, c.system_prompt, c.pinned, c.archived, "
        u"c.message_count, c.selected_leaf_id, c.created_at, c.updated_at, "
        u"c.last_message_at, c.deleted_at, c.last_activity_at, c.tag_list"_s;
    return text;
}

struct Row
{
    Conversation conversation;
    QDateTime lastActivityAt;
};

Row rowFrom(const QSqlQuery &q)
{
    Row row;
    Conversation &c = row.conversation;
    c.id = q.value(0).toString();
    c.folderId = q.value(1).isNull() ? QString() : q.value(1).toString();
    c.title = q.value(2).toString();
    c.model = q.value(3).toString();
    c.systemPrompt = q.value(4).toString();
    c.pinned = q.value(5).toBool();
    c.archived = q.value(6).toBool();
    c.messageCount = q.value(7).toInt();
    c.selectedLeafId = q.value(8).isNull() ? QString() : q.value(8).toString();
    c.createdAt = sql::timeFromDb(q.value(9));
    c.updatedAt = sql::timeFromDb(q.value(10));
    c.lastMessageAt = sql::timeFromDb(q.value(11));
    c.deletedAt = sql::timeFromDb(q.value(12));
    row.lastActivityAt = sql::timeFromDb(q.value(13));
    // Column 14: the tags (selectColumns); NULL when there are none.
    const QString tags = q.value(14).toString();
    if (!tags.isEmpty())
        c.tags = tags.split(SqlDialect::ListSeparator);
    return row;
}

ApiError conversationNotFound()
{
    return notFound(u"Conversation"_s);
}

// Sorts `tags` (ConversationRules already does; the stored order must not
// depend on the caller) and returns conversations.tag_list for them: what
// the list reads instead of the conversation_tags rows.
Result<QVariant> tagListValue(QStringList &tags)
{
    std::sort(tags.begin(), tags.end());
    if (tags.isEmpty())
        return QVariant(QMetaType::fromType<QString>());
    for (const QString &tag : tags) {
        if (tag.contains(SqlDialect::ListSeparator)) {
            qCWarning(lcConversations) << "refused a tag holding a line feed";
            return sql::internalError();
        }
    }
    return QVariant(tags.join(SqlDialect::ListSeparator));
}

// The conversation_tags rows of a conversation (the tag filter and the tag
// counts read them), in the caller's transaction, which also writes the
// row's tag_list.
Status writeTagRows(const QSqlDatabase &db, const QString &userId, const QString &conversationId,
                    const QStringList &tags, bool replacing)
{
    if (replacing) {
        auto cleared = sql::execUpdate(
            db, u"DELETE FROM conversation_tags WHERE user_id = ? AND conversation_id = ?"_s,
            { userId, conversationId });
        if (!cleared)
            return cleared.error();
    }
    for (const QString &tag : tags) {
        auto added = sql::execUpdate(
            db, u"INSERT INTO conversation_tags (user_id, conversation_id, tag) VALUES (?, ?, ?)"_s,
            { userId, conversationId, tag });
        if (!added)
            return added.error();
    }
    return Done {};
}

Status checkFolder(const QSqlDatabase &db, const QString &userId, const QString &folderId)
{
    auto folder = sql::exec(db, u"SELECT 1 FROM folders WHERE user_id = ? AND id = ?"_s,
                            { userId, folderId });
    if (!folder)
        return folder.error();
    if (!folder.value().next())
        return notFound(u"The folder named by \"folder_id\" was"_s);
    return Done {};
}

} // namespace

ConversationRepository::ConversationRepository(Database &db, WallClock clock,
                                               std::chrono::days retention)
    : m_db(db)
    , m_clock(std::move(clock))
    , m_retention(retention)
{ }

QDateTime ConversationRepository::retentionCutoff() const
{
    return m_clock().addDays(-m_retention.count());
}

Result<Conversation> ConversationRepository::create(const QString &userId,
                                                    const NewConversation &draft)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Transaction tx(*db);
    if (auto begun = tx.begin(); !begun)
        return begun.error();
    if (!draft.folderId.isEmpty()) {
        if (auto ok = checkFolder(*db, userId, draft.folderId); !ok)
            return ok.error();
    }
    Conversation c;
    c.id = sql::newId();
    c.title = draft.title;
    c.model = draft.model;
    c.systemPrompt = draft.systemPrompt;
    c.folderId = draft.folderId;
    c.tags = draft.tags;
    auto tagList = tagListValue(c.tags);
    if (!tagList)
        return tagList.error();
    const QVariant now = sql::toDb(m_clock());
    c.createdAt = c.updatedAt = sql::timeFromDb(now);
    auto inserted = sql::execUpdate(
        *db,
        u"INSERT INTO conversations (id, user_id, folder_id, title, model, system_prompt, "
        u"pinned, archived, message_count, created_at, updated_at, last_activity_at, tag_list) "
        u"VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)"_s,
        { c.id, userId, sql::nullIfEmpty(c.folderId), textToDb(c.title), textToDb(c.model),
          textToDb(c.systemPrompt), false, false, now, now, now, *tagList });
    if (!inserted)
        return inserted.error();
    if (auto ok = writeTagRows(*db, userId, c.id, c.tags, false); !ok)
        return ok.error();
    if (auto committed = tx.commit(); !committed)
        return committed.error();
    return c;
}

Result<Conversation> ConversationRepository::get(const QString &userId,
                                                 const QString &conversationId)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    auto row = sql::exec(*db,
                         selectColumns()
                             + u" FROM conversations c WHERE c.user_id = ? AND c.id = ? "
                               u"AND (c.deleted_at IS NULL OR c.deleted_at >= ?)"_s,
                         { userId, conversationId, sql::toDb(retentionCutoff()) });
    if (!row)
        return row.error();
    if (!row.value().next())
        return conversationNotFound();
    return rowFrom(*row).conversation;
}

Result<ConversationPage> ConversationRepository::list(const QString &userId,
                                                      const ConversationFilter &filter)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    const int limit = std::clamp(filter.limit, 1, ConversationFilter::MaxLimit);

    // The WHERE clause is built from fixed fragments only; every value is bound.
    QString where = u"c.user_id = ?"_s;
    QVariantList values { userId };
    if (filter.deleted) {
        where += u" AND c.deleted_at IS NOT NULL AND c.deleted_at >= ?"_s;
        values.append(sql::toDb(retentionCutoff()));
    } else {
        where += u" AND c.deleted_at IS NULL"_s;
    }
    // The trash shows archived and unarchived alike unless asked; the normal
    // list hides the archive.
    const std::optional<bool> archived =
        filter.archived ? filter.archived : (filter.deleted ? std::nullopt : std::optional(false));
    if (archived) {
        where += u" AND c.archived = ?"_s;
        values.append(*archived);
    }
    if (filter.pinned) {
        where += u" AND c.pinned = ?"_s;
        values.append(*filter.pinned);
    }
    if (filter.folder == ConversationFilter::Folder::None) {
        where += u" AND c.folder_id IS NULL"_s;
    } else if (filter.folder == ConversationFilter::Folder::Id) {
        where += u" AND c.folder_id = ?"_s;
        values.append(filter.folderId);
    }
    if (!filter.model.isEmpty()) {
        where += u" AND c.model = ?"_s;
        values.append(filter.model);
    }
    if (filter.activeFrom.isValid()) {
        where += u" AND c.last_activity_at >= ?"_s;
        values.append(sql::toDb(filter.activeFrom));
    }
    if (filter.activeTo.isValid()) {
        where += u" AND c.last_activity_at < ?"_s;
        values.append(sql::toDb(filter.activeTo));
    }
    if (!filter.tag.isEmpty()) {
        where += u" AND EXISTS (SELECT 1 FROM conversation_tags t WHERE t.user_id = c.user_id "
                 u"AND t.conversation_id = c.id AND t.tag = ?)"_s;
        values.append(filter.tag);
    }
    if (filter.after) {
        // Strictly after the cursor in (last_activity_at DESC, id DESC) order.
        const QVariant at = sql::toDb(filter.after->lastActivityAt);
        where += u" AND (c.last_activity_at < ? OR (c.last_activity_at = ? AND c.id < ?))"_s;
        values << at << at << filter.after->id;
    }
    // One row more than asked tells whether there is a next page.
    auto rows = sql::exec(*db,
                          selectColumns() + u" FROM conversations c WHERE "_s + where
                              + u" ORDER BY c.last_activity_at DESC, c.id DESC LIMIT "_s
                              + QString::number(limit + 1),
                          values);
    if (!rows)
        return rows.error();
    ConversationPage page;
    ListCursor last;
    bool more = false;
    while (rows.value().next()) {
        if (page.items.size() == limit) {
            more = true;
            break;
        }
        Row row = rowFrom(*rows);
        last = ListCursor { row.lastActivityAt, row.conversation.id };
        page.items.append(std::move(row.conversation));
    }
    rows.value().finish();
    if (more)
        page.nextCursor = last.encode();
    return page;
}

Result<Conversation> ConversationRepository::update(const QString &userId,
                                                    const QString &conversationId,
                                                    const ConversationPatch &patch)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Transaction tx(*db);
    if (auto begun = tx.begin(); !begun)
        return begun.error();
    if (patch.folderId && !patch.folderId->isEmpty()) {
        if (auto ok = checkFolder(*db, userId, *patch.folderId); !ok)
            return ok.error();
    }
    QString set = u"updated_at = ?"_s;
    QVariantList values { sql::toDb(m_clock()) };
    const auto assign = [&](QStringView column, const QVariant &value) {
        set += u", "_s + column + u" = ?"_s;
        values.append(value);
    };
    if (patch.title)
        assign(u"title", textToDb(*patch.title));
    if (patch.model)
        assign(u"model", textToDb(*patch.model));
    if (patch.systemPrompt)
        assign(u"system_prompt", textToDb(*patch.systemPrompt));
    if (patch.folderId)
        assign(u"folder_id", sql::nullIfEmpty(*patch.folderId));
    if (patch.pinned)
        assign(u"pinned", *patch.pinned);
    if (patch.archived)
        assign(u"archived", *patch.archived);
    QStringList tags;
    if (patch.tags) {
        tags = *patch.tags;
        auto tagList = tagListValue(tags);
        if (!tagList)
            return tagList.error();
        assign(u"tag_list", *tagList);
    }
    values << userId << conversationId;
    auto updated = sql::execUpdate(*db,
                                   u"UPDATE conversations SET "_s + set
                                       + u" WHERE user_id = ? AND id = ? AND deleted_at IS NULL"_s,
                                   values);
    if (!updated)
        return updated.error();
    if (*updated == 0)
        return conversationNotFound();
    if (patch.tags) {
        if (auto ok = writeTagRows(*db, userId, conversationId, tags, true); !ok)
            return ok.error();
    }
    if (auto committed = tx.commit(); !committed)
        return committed.error();
    return get(userId, conversationId);
}

Status ConversationRepository::softDelete(const QString &userId, const QString &conversationId)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    const QVariant now = sql::toDb(m_clock());
    auto deleted = sql::execUpdate(*db,
                                   u"UPDATE conversations SET deleted_at = ?, updated_at = ? "
                                   u"WHERE user_id = ? AND id = ? AND deleted_at IS NULL"_s,
                                   { now, now, userId, conversationId });
    if (!deleted)
        return deleted.error();
    if (*deleted == 1)
        return Done {};
    // Already in the trash (fine, nothing changes) or not there at all.
    auto existing = get(userId, conversationId);
    if (!existing)
        return existing.error();
    return Done {};
}

Result<Conversation> ConversationRepository::restore(const QString &userId,
                                                     const QString &conversationId)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    auto restored = sql::execUpdate(
        *db,
        u"UPDATE conversations SET deleted_at = NULL, updated_at = ? "
        u"WHERE user_id = ? AND id = ? AND deleted_at IS NOT NULL AND deleted_at >= ?"_s,
        { sql::toDb(m_clock()), userId, conversationId, sql::toDb(retentionCutoff()) });
    if (!restored)
        return restored.error();
    auto conversation = get(userId, conversationId);
    if (conversation && conversation->isDeleted())
        return conversationNotFound(); // Expired between the two statements.
    return conversation;
}

Result<int> ConversationRepository::purgeExpired(int batchSize)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    const QVariant cutoff = sql::toDb(retentionCutoff());
    int purged = 0;
    for (;;) {
        Transaction tx(*db);
        if (auto begun = tx.begin(); !begun)
            return begun.error();
        auto expired = sql::exec(*db,
                                 u"SELECT user_id, id FROM conversations WHERE deleted_at IS NOT "
                                 u"NULL AND deleted_at < ? "
                                 u"ORDER BY deleted_at LIMIT "_s
                                     + QString::number(std::max(batchSize, 1)),
                                 { cutoff });
        if (!expired)
            return expired.error();
        QList<std::pair<QString, QString>> batch;
        while (expired.value().next())
            batch.append({ expired->value(0).toString(), expired->value(1).toString() });
        expired.value().finish();
        if (batch.isEmpty())
            break;
        // Each delete is scoped by the owner, like every other statement, so
        // it stays on one shard when the tables are distributed by user_id.
        for (const auto &[userId, id] : std::as_const(batch)) {
            for (const QString &statement :
                 { u"DELETE FROM messages WHERE user_id = ? AND conversation_id = ?"_s,
                   u"DELETE FROM conversation_tags WHERE user_id = ? AND conversation_id = ?"_s,
                   u"DELETE FROM conversations WHERE user_id = ? AND id = ?"_s }) {
                if (auto done = sql::execUpdate(*db, statement, { userId, id }); !done)
                    return done.error();
            }
        }
        if (auto committed = tx.commit(); !committed)
            return committed.error();
        purged += int(batch.size());
        if (batch.size() < batchSize)
            break;
    }
    if (purged > 0)
        qCInfo(lcConversations) << "purged" << purged
                                << "conversations deleted before the retention cutoff";
    return purged;
}

Result<QList<TagCount>> ConversationRepository::tags(const QString &userId)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    auto rows =
        sql::exec(*db,
                  u"SELECT t.tag, COUNT(*) FROM conversation_tags t JOIN conversations c "
                  u"ON c.user_id = t.user_id AND c.id = t.conversation_id "
                  u"WHERE t.user_id = ? AND c.deleted_at IS NULL GROUP BY t.tag ORDER BY t.tag"_s,
                  { userId });
    if (!rows)
        return rows.error();
    QList<TagCount> tags;
    while (rows.value().next())
        tags.append(TagCount { rows->value(0).toString(), rows->value(1).toInt() });
    return tags;
}

} // namespace parlance
