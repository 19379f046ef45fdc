#include "storage/sqlscript.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_';
}

// The keyword at `i` as a whole word (case-insensitive)?
bool wordAt(QStringView s, qsizetype i, QLatin1StringView word)
{
    if (i + word.size() > s.size())
        return false;
    if (i > 0 && isWordChar(s[i - 1]))
        return false;
    if (i + word.size() < s.size() && isWordChar(s[i + word.size()]))
        return false;
    return s.sliced(i, word.size()).compare(word, Qt::CaseInsensitive) == 0;
}

bool isTriggerStatement(QStringView statementSoFar)
{
    static const QRegularExpression re(u"^\\s*CREATE\\s+(TEMP\\s+|TEMPORARY\\s+)?TRIGGER\\b"_s,
                                       QRegularExpression::CaseInsensitiveOption);
    return re.match(statementSoFar.toString()).hasMatch();
}

// True when the piece holds something other than whitespace and comments.
bool hasCode(QStringView piece)
{
    qsizetype i = 0;
    while (i < piece.size()) {
        if (piece[i].isSpace()) {
            ++i;
        } else if (piece.sliced(i).startsWith(u"--")) {
            const qsizetype nl = piece.indexOf(u'\n', i);
            i = nl < 0 ? piece.size() : nl + 1;
        } else if (piece.sliced(i).startsWith(u"/*")) {
            const qsizetype end = piece.indexOf(u"*/", i + 2);
            i = end < 0 ? piece.size() : end + 2;
        } else {
            return true;
        }
    }
    return false;
}

} // namespace

QStringList SqlScript::split(QStringView script)
{
    QStringList statements;
    qsizetype start = 0;
    int triggerDepth = 0; // BEGIN … END nesting inside a CREATE TRIGGER
    qsizetype i = 0;
    const qsizetype n = script.size();

    const auto finish = [&](qsizetype end) {
        const QStringView piece = script.sliced(start, end - start);
        if (hasCode(piece))
            statements.append(piece.trimmed().toString());
        start = end + 1;
        triggerDepth = 0;
    };

    while (i < n) {
        const QChar c = script[i];
        if (c == u'\'' || c == u'"') {
            // Quotes escape themselves by doubling, which this loop handles
            // naturally: '' closes and immediately reopens.
            const qsizetype close = script.indexOf(c, i + 1);
            i = close < 0 ? n : close + 1;
        } else if (c == u'-' && i + 1 < n && script[i + 1] == u'-') {
            const qsizetype nl = script.indexOf(u'\n', i);
            i = nl < 0 ? n : nl + 1;
        } else if (c == u'/' && i + 1 < n && script[i + 1] == u'*') {
            const qsizetype end = script.indexOf(u"*/", i + 2);
            i = end < 0 ? n : end + 2;
        } else if (c == u'$' && (i == 0 || !isWordChar(script[i - 1]))) {
            // $tag$ … $tag$ (tag may be empty); a lone $1 is a parameter.
            qsizetype j = i + 1;
            if (j < n && !script[j].isDigit()) {
                while (j < n && isWordChar(script[j]))
                    ++j;
            }
            if (j < n && script[j] == u'$') {
                const QStringView tag = script.sliced(i, j - i + 1);
                const qsizetype close = script.indexOf(tag, j + 1);
                i = close < 0 ? n : close + tag.size();
            } else {
                ++i;
            }
        } else if (c == u';') {
            if (triggerDepth > 0) {
                ++i;
                continue;
            }
            finish(i);
            ++i;
        } else if (isWordChar(c)) {
            if (wordAt(script, i, "BEGIN"_L1)
                && isTriggerStatement(script.sliced(start, i - start))) {
                ++triggerDepth;
            } else if (triggerDepth > 0 && wordAt(script, i, "CASE"_L1)) {
                ++triggerDepth; // CASE … END inside a trigger body
            } else if (triggerDepth > 0 && wordAt(script, i, "END"_L1)) {
                --triggerDepth;
            }
            qsizetype j = i;
            while (j < n && isWordChar(script[j]))
                ++j;
            i = j;
        } else {
            ++i;
        }
    }
    if (start < n)
        finish(n);
    return statements;
}

} // namespace parlance
