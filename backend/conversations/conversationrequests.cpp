#include "conversations/conversationrequests.h"

#include "common/timestamp.h"
#include "conversations/conversationrules.h"
#include "domain/jsonreader.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace parlance::requests {

namespace {

// Reads optional fields of a request body; the first error wins.
class Fields
{
public:
    explicit Fields(const QJsonObject &body)
        : m_body(body)
    { }

    std::optional<QString> text(QLatin1StringView key)
    {
        const QJsonValue v = m_body.value(key);
        if (v.isUndefined() || v.isNull())
            return std::nullopt;
        if (!v.isString())
            return fail(key, u"must be a string."_s), std::nullopt;
        return v.toString();
    }

    // Absent: nullopt; null: an empty QString ("none"); else a non-empty id.
    std::optional<QString> reference(QLatin1StringView key)
    {
        const QJsonValue v = m_body.value(key);
        if (v.isUndefined())
            return std::nullopt;
        if (v.isNull())
            return QString();
        if (!v.isString() || v.toString().isEmpty())
            return fail(key, u"must be a non-empty string or null."_s), std::nullopt;
        return v.toString();
    }

    std::optional<bool> boolean(QLatin1StringView key)
    {
        const QJsonValue v = m_body.value(key);
        if (v.isUndefined() || v.isNull())
            return std::nullopt;
        if (!v.isBool())
            return fail(key, u"must be true or false."_s), std::nullopt;
        return v.toBool();
    }

    std::optional<QStringList> strings(QLatin1StringView key)
    {
        const QJsonValue v = m_body.value(key);
        if (v.isUndefined() || v.isNull())
            return std::nullopt;
        if (!v.isArray())
            return fail(key, u"must be an array of strings."_s), std::nullopt;
        QStringList out;
        const QJsonArray array = v.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (!array.at(i).isString()) {
                fail(QString(key) + u'[' + QString::number(i) + u']', u"must be a string."_s);
                return std::nullopt;
            }
            out.append(array.at(i).toString());
        }
        return out;
    }

    void fail(const QString &key, const QString &what)
    {
        if (!m_error)
            m_error = invalidField(key, what);
    }

    [[nodiscard]] const std::optional<ApiError> &error() const { return m_error; }

private:
    QJsonObject m_body;
    std::optional<ApiError> m_error;
};

std::optional<bool> parseBool(const QString &text)
{
    if (text == u"true"_s || text == u"1"_s)
        return true;
    if (text == u"false"_s || text == u"0"_s)
        return false;
    return std::nullopt;
}

Result<int> parseLimit(const QUrlQuery &query, int defaultLimit, int maxLimit)
{
    if (!query.hasQueryItem(u"limit"_s))
        return defaultLimit;
    bool ok = false;
    const int limit = query.queryItemValue(u"limit"_s, QUrl::FullyDecoded).toInt(&ok);
    if (!ok || limit < 1 || limit > maxLimit) {
        return invalidField(
            u"limit"_s, u"must be a whole number from 1 to "_s + QString::number(maxLimit) + u'.');
    }
    return limit;
}

} // namespace

Result<ConversationDraft> conversationDraft(const QJsonObject &body)
{
    Fields f(body);
    ConversationDraft draft;
    draft.title = f.text("title"_L1).value_or(QString());
    draft.model = f.text("model"_L1).value_or(QString());
    draft.systemPrompt = f.text("system_prompt"_L1).value_or(QString());
    draft.folderId = f.reference("folder_id"_L1).value_or(QString());
    draft.tags = f.strings("tags"_L1).value_or(QStringList());
    if (f.error())
        return *f.error();
    return draft;
}

Result<ConversationChanges> conversationChanges(const QJsonObject &body)
{
    Fields f(body);
    ConversationChanges changes;
    ConversationPatch &p = changes.patch;
    p.title = f.text("title"_L1);
    p.model = f.text("model"_L1);
    p.systemPrompt = f.text("system_prompt"_L1);
    p.folderId = f.reference("folder_id"_L1);
    p.tags = f.strings("tags"_L1);
    p.pinned = f.boolean("pinned"_L1);
    p.archived = f.boolean("archived"_L1);
    const auto selected = f.reference("selected_message_id"_L1);
    if (selected && selected->isEmpty())
        f.fail(u"selected_message_id"_s, u"must be a message id."_s);
    changes.selectedMessageId = selected;
    if (f.error())
        return *f.error();
    return changes;
}

Result<std::pair<QString, QString>> newFolder(const QJsonObject &body)
{
    Fields f(body);
    const auto name = f.text("name"_L1);
    const QString parent = f.reference("parent_id"_L1).value_or(QString());
    if (f.error())
        return *f.error();
    if (!name)
        return missingField(u"name"_s);
    return std::pair { *name, parent };
}

Result<FolderPatch> folderPatch(const QJsonObject &body)
{
    Fields f(body);
    FolderPatch patch;
    patch.name = f.text("name"_L1);
    patch.parentId = f.reference("parent_id"_L1);
    if (f.error())
        return *f.error();
    return patch;
}

Result<MessageDraft> messageDraft(const QJsonObject &body)
{
    Fields f(body);
    MessageDraft draft;
    if (const auto parent = f.reference("parent_id"_L1)) {
        draft.parent = parent->isEmpty() ? NewMessage::Parent::Root : NewMessage::Parent::Id;
        draft.parentId = *parent;
    }
    if (f.error())
        return *f.error();
    JsonReader reader(body);
    draft.content = reader.objectList("content"_L1, ContentPart::readFrom);
    return reader.finish(std::move(draft));
}

Result<ConversationFilter> conversationFilter(const QUrlQuery &query)
{
    ConversationFilter filter;
    const auto value = [&query](const QString &key) {
        return query.queryItemValue(key, QUrl::FullyDecoded);
    };
    auto limit = parseLimit(query, ConversationFilter::DefaultLimit, ConversationFilter::MaxLimit);
    if (!limit)
        return limit.error();
    filter.limit = *limit;
    if (query.hasQueryItem(u"cursor"_s)) {
        auto cursor = ListCursor::decode(value(u"cursor"_s));
        if (!cursor)
            return cursor.error();
        filter.after = *cursor;
    }
    if (query.hasQueryItem(u"folder"_s)) {
        const QString folder = value(u"folder"_s);
        if (folder.isEmpty())
            return invalidField(u"folder"_s, u"must be a folder id or \"none\"."_s);
        filter.folder =
            folder == u"none"_s ? ConversationFilter::Folder::None : ConversationFilter::Folder::Id;
        filter.folderId = folder;
    }
    filter.tag = value(u"tag"_s);
    filter.model = value(u"model"_s);
    for (const auto &[key, target] : { std::pair { u"pinned"_s, &filter.pinned },
                                       std::pair { u"archived"_s, &filter.archived } }) {
        if (!query.hasQueryItem(key))
            continue;
        *target = parseBool(value(key));
        if (!*target)
            return invalidField(key, u"must be true or false."_s);
    }
    if (query.hasQueryItem(u"deleted"_s)) {
        const auto deleted = parseBool(value(u"deleted"_s));
        if (!deleted)
            return invalidField(u"deleted"_s, u"must be true or false."_s);
        filter.deleted = *deleted;
    }
    for (const auto &[key, target] :
         { std::pair { u"from"_s, &filter.activeFrom }, std::pair { u"to"_s, &filter.activeTo } }) {
        if (!query.hasQueryItem(key))
            continue;
        const auto when = timestamp::fromIso(value(key));
        if (!when)
            return invalidField(key, u"must be an ISO 8601 date-time with a zone."_s);
        *target = *when;
    }
    return filter;
}

Result<PathQuery> pathQuery(const QUrlQuery &query)
{
    PathQuery out;
    auto limit = parseLimit(query, PathQuery::DefaultLimit, PathQuery::MaxLimit);
    if (!limit)
        return limit.error();
    out.limit = *limit;
    out.before = query.queryItemValue(u"before"_s, QUrl::FullyDecoded);
    out.after = query.queryItemValue(u"after"_s, QUrl::FullyDecoded);
    if (query.hasQueryItem(u"before"_s) && out.before.isEmpty())
        return invalidField(u"before"_s, u"must be a message id."_s);
    if (query.hasQueryItem(u"after"_s) && out.after.isEmpty())
        return invalidField(u"after"_s, u"must be a message id."_s);
    if (!out.before.isEmpty() && !out.after.isEmpty())
        return invalidField(u"before"_s, u"cannot be combined with \"after\"."_s);
    return out;
}

} // namespace parlance::requests
