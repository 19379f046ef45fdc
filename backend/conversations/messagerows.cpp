#include "conversations/messagerows.h"

#include "conversations/storedcontent.h"
#include "storage/sql.h"

#include <QHash>
#include <QSqlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace parlance::messagerows {

namespace {

std::optional<qint64> optionalInt(const QVariant &value)
{
    if (value.isNull())
        return std::nullopt;
    return value.toLongLong();
}

// Siblings share the parent; the first messages of a conversation (parent
// NULL) are siblings of each other. Two subqueries instead of one with an OR,
// so each can walk the (user_id, conversation_id, parent_id, seq) index; in
// the same statement as the rows, so PostgreSQL answers a page in one round
// trip (a separate query over the page's parents was one more round trip and
// raised parlanced's CPU per uncached page from 0.88 to 1.08 ms there,
// docs/benchmarks.md).
const QString SiblingColumns =
    u", CASE WHEN m.parent_id IS NULL THEN (SELECT COUNT(*) FROM messages s WHERE s.user_id = "
    u"m.user_id AND s.conversation_id = m.conversation_id AND s.parent_id IS NULL) ELSE (SELECT "
    u"COUNT(*) FROM messages s WHERE s.user_id = m.user_id AND s.conversation_id = "
    u"m.conversation_id AND s.parent_id = m.parent_id) END"
    u", CASE WHEN m.parent_id IS NULL THEN (SELECT COUNT(*) FROM messages s WHERE s.user_id = "
    u"m.user_id AND s.conversation_id = m.conversation_id AND s.parent_id IS NULL AND s.seq < "
    u"m.seq) ELSE (SELECT COUNT(*) FROM messages s WHERE s.user_id = m.user_id AND "
    u"s.conversation_id = m.conversation_id AND s.parent_id = m.parent_id AND s.seq < m.seq) END"_s;

// `values` grown to the next power of two by repeating its last value, so an
// IN list of any length is one of a few statement texts (the statement cache
// keys on the text); IN ignores the repeats. `values` must not be empty.
void padToBucket(QVariantList &values, qsizetype fixedPrefix)
{
    const qsizetype count = values.size() - fixedPrefix;
    Q_ASSERT(count > 0);
    qsizetype bucket = 1;
    while (bucket < count)
        bucket *= 2;
    const QVariant last = values.constLast();
    while (values.size() - fixedPrefix < bucket)
        values.append(last);
}

// Columns 18 and 19 when counted: the sibling count and the sibling index.
constexpr int SiblingCountColumn = 18;

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
        u"m.cached_tokens, m.usage_estimated, m.cost_micros, m.ttft_ms, m.total_ms, m.created_at"_s;
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
    return m;
}

Result<QList<Message>> load(const QSqlDatabase &db, const QString &userId, const QStringList &ids,
                            Siblings siblings)
{
    if (ids.isEmpty())
        return QList<Message>();
    QVariantList values { userId };
    for (const QString &id : ids)
        values.append(id);
    padToBucket(values, 1);
    const bool counted = siblings == Siblings::Counted;
    auto rows = sql::exec(db,
                          u"SELECT "_s + selectColumns() + (counted ? SiblingColumns : QString())
                              + u" FROM messages m WHERE m.user_id = ? AND m.id IN ("_s
                              + placeholders(values.size() - 1) + u')',
                          values);
    if (!rows)
        return rows.error();
    QHash<QString, Message> byId;
    while (rows.value().next()) {
        Message m = fromRow(*rows);
        if (counted) {
            m.siblingCount = std::max(rows->value(SiblingCountColumn).toInt(), 1);
            m.siblingIndex =
                std::clamp(rows->value(SiblingCountColumn + 1).toInt(), 0, m.siblingCount - 1);
        }
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
