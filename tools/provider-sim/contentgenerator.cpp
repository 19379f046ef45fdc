#include "contentgenerator.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace parlance::sim {

namespace {

constexpr qsizetype maxWordPiece = 8;

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_';
}

} // namespace

QStringList ContentGenerator::splitTokens(QStringView text)
{
    QStringList tokens;
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        const qsizetype start = i;
        while (i < n && text[i].isSpace())
            ++i;
        if (i == n) {
            // Trailing whitespace is a token of its own.
            tokens.append(text.sliced(start).toString());
            break;
        }
        if (isWordChar(text[i])) {
            const qsizetype wordStart = i;
            while (i < n && isWordChar(text[i]) && i - wordStart < maxWordPiece)
                ++i;
        } else {
            // Keep surrogate pairs (emoji) whole.
            i += (text[i].isHighSurrogate() && i + 1 < n) ? 2 : 1;
        }
        tokens.append(text.sliced(start, i - start).toString());
    }
    return tokens;
}

QStringList ContentGenerator::loremTokens(int count)
{
    static const QStringList words = {
        u"lorem"_s,       u"ipsum"_s,      u"dolor"_s,      u"sit"_s,    u"amet"_s,
        u"consectetur"_s, u"adipiscing"_s, u"elit"_s,       u"sed"_s,    u"do"_s,
        u"eiusmod"_s,     u"tempor"_s,     u"incididunt"_s, u"ut"_s,     u"labore"_s,
        u"et"_s,          u"dolore"_s,     u"magna"_s,      u"aliqua"_s,
    };
    QStringList tokens;
    tokens.reserve(count);
    bool sentenceStart = true;
    for (int i = 0; i < count; ++i) {
        if (i % 12 == 11) {
            tokens.append(u"."_s);
            sentenceStart = true;
            continue;
        }
        QString word = words.at(i % words.size());
        // Long words would be several tokens; keep one word per token by
        // cutting them, so `tokens=N` really means N tokens.
        word.truncate(maxWordPiece);
        if (sentenceStart)
            word[0] = word[0].toUpper();
        tokens.append(i == 0 ? word : u" "_s + word);
        sentenceStart = false;
    }
    return tokens;
}

qint64 ContentGenerator::promptTokens(const QStringList &messageTexts)
{
    qint64 total = 3;
    for (const QString &text : messageTexts)
        total += 4 + (text.size() + 3) / 4;
    return total;
}

Directives extractDirectives(const QString &text)
{
    static const QRegularExpression directive(u"\\[\\[sim:([^\\]]*)\\]\\]"_s);
    static const QRegularExpression whitespace(u"\\s+"_s);
    Directives result;
    QString remaining;
    qsizetype last = 0;
    auto it = directive.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        remaining += QStringView(text).sliced(last, match.capturedStart() - last);
        last = match.capturedEnd();
        const QStringList parts = match.captured(1).split(whitespace, Qt::SkipEmptyParts);
        for (const QString &part : parts) {
            const qsizetype eq = part.indexOf(u'=');
            if (eq <= 0 || eq == part.size() - 1) {
                result.error = u"sim directive: expected key=value, got '%1'"_s.arg(part);
                continue;
            }
            result.settings.append({ part.left(eq), part.mid(eq + 1) });
        }
    }
    remaining += QStringView(text).sliced(last);
    result.remainingText = remaining.trimmed();
    return result;
}

} // namespace parlance::sim
