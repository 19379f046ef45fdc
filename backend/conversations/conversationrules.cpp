#include "conversations/conversationrules.h"

#include "contract/errorcodes.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace parlance {

ApiError invalidField(const QString &field, const QString &what)
{
    return ApiError { QString(errc::InvalidField), u"Field \""_s + field + u"\" "_s + what, {} };
}

ApiError missingField(const QString &field)
{
    return ApiError { QString(errc::MissingField),
                      u"Required field \""_s + field + u"\" is missing or null."_s,
                      {} };
}

ApiError notFound(const QString &what)
{
    return ApiError { QString(errc::NotFound), what + u" not found."_s, {} };
}

namespace {

QString atMost(int count)
{
    return u"must be at most "_s + QString::number(count) + u" characters."_s;
}

} // namespace

ConversationRules::ConversationRules(ConversationLimits limits, QString defaultModel)
    : m_limits(limits)
    , m_defaultModel(std::move(defaultModel).trimmed())
{ }

Result<QString> ConversationRules::title(const QString &raw) const
{
    // Titles show on one line: line breaks become spaces rather than errors,
    // since clients often paste the first line of a message.
    QString text = raw;
    text.replace(u'\n', u' ').replace(u'\r', u' ').replace(u'\t', u' ');
    text = text.trimmed();
    if (text.size() > m_limits.maxTitleChars)
        return invalidField(u"title"_s, atMost(m_limits.maxTitleChars));
    return text;
}

Result<QString> ConversationRules::model(const QString &raw) const
{
    const QString text = raw.trimmed();
    if (text.isEmpty()) {
        if (m_defaultModel.isEmpty())
            return invalidField(u"model"_s, u"must not be empty."_s);
        return m_defaultModel;
    }
    if (text.size() > m_limits.maxModelChars)
        return invalidField(u"model"_s, atMost(m_limits.maxModelChars));
    return text;
}

Result<QString> ConversationRules::systemPrompt(const QString &raw) const
{
    if (raw.size() > m_limits.maxSystemPromptChars)
        return invalidField(u"system_prompt"_s, atMost(m_limits.maxSystemPromptChars));
    if (raw.trimmed().isEmpty())
        return QString();
    return raw;
}

Result<QString> ConversationRules::folderName(const QString &raw) const
{
    const QString text = raw.simplified();
    if (text.isEmpty())
        return invalidField(u"name"_s, u"must not be empty."_s);
    if (text.size() > m_limits.maxFolderNameChars)
        return invalidField(u"name"_s, atMost(m_limits.maxFolderNameChars));
    return text;
}

Result<QString> ConversationRules::tag(const QString &raw, const QString &field) const
{
    // simplified() collapses every whitespace run (tabs, newlines, NBSP) to
    // one space and trims; NFC first so composed and decomposed accents match.
    const QString text = raw.normalized(QString::NormalizationForm_C).simplified().toLower();
    if (text.isEmpty())
        return invalidField(field, u"must not be empty."_s);
    if (text.size() > m_limits.maxTagChars)
        return invalidField(field, atMost(m_limits.maxTagChars));
    return text;
}

Result<QStringList> ConversationRules::tags(const QStringList &raw) const
{
    QStringList out;
    out.reserve(raw.size());
    for (qsizetype i = 0; i < raw.size(); ++i) {
        auto one = tag(raw.at(i), u"tags["_s + QString::number(i) + u']');
        if (!one)
            return one.error();
        out.append(std::move(one).value());
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    if (out.size() > m_limits.maxTags) {
        return invalidField(
            u"tags"_s, u"must hold at most "_s + QString::number(m_limits.maxTags) + u" tags."_s);
    }
    return out;
}

Status ConversationRules::content(const QList<ContentPart> &parts) const
{
    if (parts.isEmpty())
        return invalidField(u"content"_s, u"must hold at least one part."_s);
    if (parts.size() > m_limits.maxContentParts) {
        return invalidField(u"content"_s,
                            u"must hold at most "_s + QString::number(m_limits.maxContentParts)
                                + u" parts."_s);
    }
    qsizetype chars = 0;
    bool meaningful = false;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const ContentPart &part = parts.at(i);
        if (part.isText()) {
            chars += part.text.size();
            meaningful = meaningful || !part.text.trimmed().isEmpty();
        } else {
            if (part.fileId.isEmpty()) {
                return invalidField(u"content["_s + QString::number(i) + u"].file_id"_s,
                                    u"must not be empty."_s);
            }
            meaningful = true;
        }
    }
    if (chars > m_limits.maxMessageChars)
        return invalidField(u"content"_s, u"text "_s + atMost(m_limits.maxMessageChars));
    if (!meaningful)
        return invalidField(u"content"_s, u"must not be empty."_s);
    return Done {};
}

} // namespace parlance
