#include "conversations/messagerows.h"

#include "conversations/storedcontent.h"
#include "storage/sql.h"

#include <QHash>
#include <QSet>
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

// Column 18 of selectColumns(): the message's place among all messages of
// its conversation, which orders siblings.
constexpr int SeqColumn = 18;

// Sets siblingCount and siblingIndex of `messages` (all of one conversation)
// from the seqs of their parents' children: one query for the parents on the
// page and one for the first messages (parent NULL, siblings of each other)
// when the page holds one. Both read only the (user_id, conversation_id,
// parent_id, seq) index. Before, two correlated COUNT subqueries per row
// were a large part of an uncached history page (docs/benchmarks.md).
Status countSiblings(const QSqlDatabase &db, const QString &userId, const QString &conversationId,
                     QList<Message *> &messages, const QHash<QString, qint64> &seqOf)
{
    QVariantList parentValues { userId, conversationId };
    QSet<QString> parents;
    bool hasRoot = false;
    for (const Message *m : std::as_const(messages)) {
        if (m->parentId.isEmpty())
            hasRoot = true;
        else if (!parents.contains(m->parentId)) {
            parents.insert(m->parentId);
            parentValues.append(m->parentId);
        }
    }
    QHash<QString, QList<qint64>> childSeqs; // "" for the first messages
    if (!parents.isEmpty()) {
        padToBucket(parentValues, 2);
        auto rows = sql::exec(db,
                              u"SELECT parent_id, seq FROM messages WHERE user_id = ? AND "
                              u"conversation_id = ? AND parent_id IN ("_s
                                  + placeholders(parentValues.size() - 2) + u") ORDER BY seq"_s,
                              parentValues);
        if (!rows)
            return rows.error();
        while (rows.value().next())
            childSeqs[rows->value(0).toString()].append(rows->value(1).toLongLong());
    }
    if (hasRoot) {
        auto rows = sql::exec(db,
                              u"SELECT seq FROM messages WHERE user_id = ? AND conversation_id = ? "
                              u"AND parent_id IS NULL ORDER BY seq"_s,
                              { userId, conversationId });
        if (!rows)
            return rows.error();
        QList<qint64> &roots = childSeqs[QString()];
        while (rows.value().next())
            roots.append(rows->value(0).toLongLong());
    }
    for (Message *m : std::as_const(messages)) {
        const QList<qint64> &seqs = childSeqs[m->parentId];
        const qint64 seq = seqOf.value(m->id);
        m->siblingCount = std::max<int>(int(seqs.size()), 1);
        m->siblingIndex =
            std::clamp<int>(int(std::lower_bound(seqs.begin(), seqs.end(), seq) - seqs.begin()), 0,
                            m->siblingCount - 1);
    }
    return Done {};
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

const QString &selectColumns()
{
    static const QString columns =
        u"m.id, m.conversation_id, m.parent_id, m.role, m.content, m.status, m.error_code, "
        u"m.error_message, m.model, m.deployment, m.input_tokens, m.output_tokens, "
        u"m.cached_tokens, m.usage_estimated, m.cost_micros, m.ttft_ms, m.total_ms, m.created_at, "
        u"m.seq"_s;
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
    m.siblingCount = 1;
    m.siblingIndex = 0;
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
    auto rows = sql::exec(db,
                          u"SELECT "_s + selectColumns()
                              + u" FROM messages m WHERE m.user_id = ? "
                                u"AND m.id IN ("_s
                              + placeholders(values.size() - 1) + u')',
                          values);
    if (!rows)
        return rows.error();
    QHash<QString, Message> byId;
    QHash<QString, qint64> seqOf;
    while (rows.value().next()) {
        Message m = fromRow(*rows);
        seqOf.insert(m.id, rows->value(SeqColumn).toLongLong());
        byId.insert(m.id, std::move(m));
    }
    rows.value().finish();
    if (siblings == Siblings::Counted && !byId.isEmpty()) {
        // Normally one conversation (a path, or one message).
        QHash<QString, QList<Message *>> byConversation;
        for (Message &m : byId)
            byConversation[m.conversationId].append(&m);
        for (auto it = byConversation.begin(); it != byConversation.end(); ++it) {
            if (auto counted = countSiblings(db, userId, it.key(), it.value(), seqOf); !counted)
                return counted.error();
        }
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
