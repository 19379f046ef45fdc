#include "conversations/messagerows.h"

#include "conversations/storedcontent.h"
#include "storage/sql.h"

#include <QHash>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace parlance::messagerows {

namespace {

// Siblings share the parent; the first messages of a conversation (parent
// NULL) are siblings of each other. Two subqueries instead of one with an OR,
// so each can walk the (user_id, conversation_id, parent_id, seq) index.
const QString SiblingCount =
    u"CASE WHEN m.parent_id IS NULL THEN (SELECT COUNT(*) FROM messages s WHERE s.user_id = "
    u"m.user_id AND s.conversation_id = m.conversation_id AND s.parent_id IS NULL) ELSE (SELECT "
    u"COUNT(*) FROM messages s WHERE s.user_id = m.user_id AND s.conversation_id = "
    u"m.conversation_id AND s.parent_id = m.parent_id) END"_s;
const QString SiblingIndex =
    u"CASE WHEN m.parent_id IS NULL THEN (SELECT COUNT(*) FROM messages s WHERE s.user_id = "
    u"m.user_id AND s.conversation_id = m.conversation_id AND s.parent_id IS NULL AND s.seq < "
    u"m.seq) ELSE (SELECT COUNT(*) FROM messages s WHERE s.user_id = m.user_id AND "
    u"s.conversation_id = m.conversation_id AND s.parent_id = m.parent_id AND s.seq < m.seq) END"_s;

std::optional<qint64> optionalInt(const QVariant &value)
{
    if (value.isNull())
        return std::nullopt;
    return value.toLongLong();
}

} // namespace

QString placeholders(qsizetype count)
{
    QString text;
    text.reserve(count * 3);
    for (qsizetype i = 0; i < count; ++i)
        text += i == 0 ? u"?"_s : u", ?"_s;
    return text;
}

const QString &selectColumns()
{
    static const QString columns =
        u"m.id, m.conversation_id, m.parent_id, m.role, m.content, m.status, m.error_code, "
        u"m.error_message, m.model, m.deployment, m.input_tokens, m.output_tokens, "
        u"m.cached_tokens, m.usage_estimated, m.cost_micros, m.ttft_ms, m.total_ms, m.created_at, "_s
        + SiblingCount + u", "_s + SiblingIndex;
    return columns;
}

Message fromRow(const QSqlQuery &row)
{
    Message m;
    m.id = row.value(0).toString();
    m.conversationId = row.value(1).toString();
    m.parentId = row.value(2).isNull() ? QString() : row.value(2).toString();
    m.role = Message::roleFromName(row.value(3).toString()).value_or(Message::Role::User);
    m.content = storedcontent::decode(row.value(4).toString());
    m.status = Message::statusFromName(row.value(5).toString()).value_or(Message::Status::Complete);
    if (!row.value(6).isNull())
        m.error = ApiError { row.value(6).toString(), row.value(7).toString(), {} };
    m.model = row.value(8).toString();
    m.deployment = row.value(9).isNull() ? QString() : row.value(9).toString();
    if (!row.value(10).isNull()) {
        Usage usage;
        usage.inputTokens = row.value(10).toLongLong();
        usage.outputTokens = row.value(11).toLongLong();
        usage.cachedTokens = row.value(12).toLongLong();
        usage.estimated = row.value(13).toBool();
        usage.costMicros = row.value(14).toLongLong();
        m.usage = usage;
    }
    m.timeToFirstTokenMs = optionalInt(row.value(15));
    m.totalTimeMs = optionalInt(row.value(16));
    m.createdAt = sql::timeFromDb(row.value(17));
    m.siblingCount = std::max(row.value(18).toInt(), 1);
    m.siblingIndex = std::clamp(row.value(19).toInt(), 0, m.siblingCount - 1);
    return m;
}

Result<QList<Message>> load(const QSqlDatabase &db, const QString &userId, const QStringList &ids)
{
    if (ids.isEmpty())
        return QList<Message>();
    QVariantList values { userId };
    for (const QString &id : ids)
        values.append(id);
    auto rows = sql::exec(db,
                          u"SELECT "_s + selectColumns()
                              + u" FROM messages m WHERE m.user_id = ? "
                                u"AND m.id IN ("_s
                              + placeholders(ids.size()) + u')',
                          values);
    if (!rows)
        return rows.error();
    QHash<QString, Message> byId;
    while (rows.value().next()) {
        Message m = fromRow(*rows);
        byId.insert(m.id, std::move(m));
    }
    QList<Message> messages;
    messages.reserve(ids.size());
    for (const QString &id : ids) {
        if (auto it = byId.find(id); it != byId.end())
            messages.append(std::move(*it));
    }
    return messages;
}

} // namespace parlance::messagerows
