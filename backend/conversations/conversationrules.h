#pragma once

#include "common/result.h"
#include "domain/contentpart.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace parlance {

// Limits of what a user may store. Generous for people, small enough that one
// request cannot make a row or an index entry unreasonably large.
struct ConversationLimits
{
    int maxTitleChars = 300;
    int maxModelChars = 100;
    int maxSystemPromptChars = 32 * 1024;
    int maxTags = 20;
    int maxTagChars = 50;
    int maxFolderNameChars = 100;
    int maxMessageChars = 256 * 1024; // All text parts of one message together.
    int maxContentParts = 32;
};

// The validation and normalisation rules of conversations, folders, tags and
// messages, without storage: every error is an ApiError whose message names
// the field (`invalid_field` / `missing_field`), so the HTTP layer passes it on.
class ConversationRules
{
public:
    explicit ConversationRules(ConversationLimits limits = {}, QString defaultModel = {});

    [[nodiscard]] const ConversationLimits &limits() const { return m_limits; }
    [[nodiscard]] const QString &defaultModel() const { return m_defaultModel; }

    // Trimmed; may be empty (a conversation is named after its first answer).
    [[nodiscard]] Result<QString> title(const QString &raw) const;
    // Trimmed; empty falls back to the default model, and is an error when
    // there is none.
    [[nodiscard]] Result<QString> model(const QString &raw) const;
    // Kept as written (leading spaces can matter to a prompt); only the length
    // is checked. Whitespace-only counts as none.
    [[nodiscard]] Result<QString> systemPrompt(const QString &raw) const;
    // Trimmed, not empty.
    [[nodiscard]] Result<QString> folderName(const QString &raw) const;
    // One tag: NFC, whitespace runs collapsed to one space, trimmed, lower
    // case (so "Work" and "work " are one tag). Empty is an error.
    [[nodiscard]] Result<QString> tag(const QString &raw,
                                      const QString &field = QStringLiteral("tag")) const;
    // A tag set: each tag normalised, duplicates dropped, sorted, count checked.
    [[nodiscard]] Result<QStringList> tags(const QStringList &raw) const;
    // A message body: at least one part; text parts together within the limit;
    // a message of only empty text is refused; file parts need an id.
    [[nodiscard]] Status content(const QList<ContentPart> &parts) const;

private:
    ConversationLimits m_limits;
    QString m_defaultModel;
};

// Builders for the two request-shape errors, so messages read the same
// everywhere: `Field "title" must be at most 300 characters.`
[[nodiscard]] ApiError invalidField(const QString &field, const QString &what);
[[nodiscard]] ApiError missingField(const QString &field);
[[nodiscard]] ApiError notFound(const QString &what);

} // namespace parlance
