#include "common/tokenestimate.h"

#include <QChar>

#include <array>

namespace parlance {

namespace {

// Costs in thousandths of a token, so fractional weights stay integers and
// the result does not depend on floating point.
constexpr qint64 Token = 1000;
constexpr qint64 WordLettersPerToken = 8; // letters covered by a word's first token
constexpr qint64 ExtraLetterCost = 250; // each letter beyond those
constexpr qint64 DigitsPerToken = 3;
constexpr qint64 PunctuationFirst = 1000;
constexpr qint64 PunctuationMore = 250;
constexpr qint64 CjkCharCost = 1000;
constexpr qint64 OtherScriptLetterCost = 400;
constexpr qint64 SymbolCost = 1000;
constexpr qint64 AstralCost = 2000;
constexpr qint64 MarkCost = 500;

enum class Kind { Latin, Digit, Space, Newline, Punctuation, Cjk, OtherLetter, Mark, Symbol };

bool isCjkScript(QChar::Script script)
{
    switch (script) {
    case QChar::Script_Han:
    case QChar::Script_Hiragana:
    case QChar::Script_Katakana:
    case QChar::Script_Hangul:
    case QChar::Script_Bopomofo:
        return true;
    default:
        return false;
    }
}

constexpr Kind classifyAscii(char16_t c)
{
    if ((c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z'))
        return Kind::Latin;
    if (c >= u'0' && c <= u'9')
        return Kind::Digit;
    if (c == u'\n' || c == u'\r')
        return Kind::Newline;
    if (c == u' ' || c == u'\t' || c == u'\v' || c == u'\f')
        return Kind::Space;
    if (c < 32 || c == 127)
        return Kind::Symbol;
    return Kind::Punctuation;
}

// Most text is mostly ASCII: one table lookup instead of Unicode property
// queries for each of those characters.
constexpr std::array<Kind, 128> asciiKinds = [] {
    std::array<Kind, 128> kinds {};
    for (char16_t c = 0; c < 128; ++c)
        kinds[c] = classifyAscii(c);
    return kinds;
}();

Kind classify(char32_t c)
{
    if (c < 128)
        return asciiKinds[c];
    // CJK symbols and punctuation, and full-width forms, have script Common.
    if ((c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFFEF))
        return Kind::Cjk;
    if (QChar::isSpace(c))
        return c == 0x2028 || c == 0x2029 || c == 0x85 ? Kind::Newline : Kind::Space;
    if (QChar::isDigit(c))
        return Kind::Digit;
    if (QChar::isMark(c))
        return Kind::Mark;
    if (QChar::isPunct(c))
        return Kind::Punctuation;
    if (QChar::isLetter(c)) {
        const QChar::Script script = QChar::script(c);
        if (script == QChar::Script_Latin)
            return Kind::Latin;
        if (isCjkScript(script))
            return Kind::Cjk;
        return Kind::OtherLetter;
    }
    return Kind::Symbol;
}

// A cursor over code points (a surrogate pair is one character) that
// classifies each character once.
class Cursor
{
public:
    explicit Cursor(QStringView text)
        : m_text(text)
    {
        load();
    }

    [[nodiscard]] bool atEnd() const { return m_pos >= m_text.size(); }
    [[nodiscard]] char32_t current() const { return m_char; }
    [[nodiscard]] Kind kind() const { return m_kind; }
    void advance()
    {
        m_pos += m_width;
        load();
    }

private:
    void load()
    {
        if (atEnd())
            return;
        const QChar c = m_text[m_pos];
        m_width = 1;
        m_char = c.unicode();
        if (m_char < 128) {
            m_kind = asciiKinds[m_char];
            return;
        }
        if (c.isHighSurrogate() && m_pos + 1 < m_text.size()
            && m_text[m_pos + 1].isLowSurrogate()) {
            m_char = QChar::surrogateToUcs4(c, m_text[m_pos + 1]);
            m_width = 2;
        }
        m_kind = classify(m_char);
    }

    QStringView m_text;
    qsizetype m_pos = 0;
    qsizetype m_width = 1;
    char32_t m_char = 0;
    Kind m_kind = Kind::Symbol;
};

qint64 latinWordCost(qint64 letters)
{
    const qint64 extra = letters > WordLettersPerToken ? letters - WordLettersPerToken : 0;
    return Token + extra * ExtraLetterCost;
}

bool isUpperAscii(char32_t c)
{
    return c >= u'A' && c <= u'Z';
}

} // namespace

qint64 TokenEstimate::forText(QStringView text)
{
    qint64 cost = 0;
    Cursor cursor(text);
    while (!cursor.atEnd()) {
        const char32_t first = cursor.current();
        const Kind kind = cursor.kind();
        switch (kind) {
        case Kind::Latin: {
            // "unitPriceMicros" splits like "unit|Price|Micros" in BPE; an
            // all-caps run ("HTTP") stays one piece.
            qint64 letters = 0;
            char32_t previous = 0;
            for (; !cursor.atEnd() && cursor.kind() == Kind::Latin; cursor.advance()) {
                const char32_t c = cursor.current();
                if (letters > 0 && isUpperAscii(c) && previous != 0 && !isUpperAscii(previous)) {
                    cost += latinWordCost(letters);
                    letters = 0;
                }
                ++letters;
                previous = c;
            }
            cost += latinWordCost(letters);
            break;
        }
        case Kind::Digit: {
            qint64 digits = 0;
            for (; !cursor.atEnd() && cursor.kind() == Kind::Digit; cursor.advance())
                ++digits;
            cost += (digits + DigitsPerToken - 1) / DigitsPerToken * Token;
            break;
        }
        case Kind::Space:
        case Kind::Newline: {
            // Mirrors the pre-split: a line break run (with any spaces before
            // it) is one piece; the spaces after the last break, minus the one
            // that joins the next word, are another.
            bool sawNewline = false;
            qint64 trailingSpaces = 0;
            for (; !cursor.atEnd(); cursor.advance()) {
                const Kind k = cursor.kind();
                if (k == Kind::Newline) {
                    sawNewline = true;
                    trailingSpaces = 0;
                } else if (k == Kind::Space) {
                    ++trailingSpaces;
                } else {
                    break;
                }
            }
            if (sawNewline)
                cost += Token;
            if (trailingSpaces > 1 || (trailingSpaces == 1 && cursor.atEnd()))
                cost += Token;
            break;
        }
        case Kind::Punctuation: {
            // A lone mark before a word joins it ("(self", ".get", "_id");
            // a longer run is one piece that also swallows the line breaks
            // right after it ("):\n", "});\n\n"), and BPE mostly merges
            // such a piece into one token.
            qint64 marks = 0;
            for (; !cursor.atEnd() && cursor.kind() == Kind::Punctuation; cursor.advance())
                ++marks;
            if (marks == 1 && !cursor.atEnd() && cursor.kind() == Kind::Latin)
                break;
            cost += PunctuationFirst + (marks - 1) * PunctuationMore;
            for (; !cursor.atEnd() && cursor.kind() == Kind::Newline; cursor.advance()) { }
            break;
        }
        case Kind::Cjk:
            cost += CjkCharCost;
            cursor.advance();
            break;
        case Kind::OtherLetter: {
            qint64 letters = 0;
            for (; !cursor.atEnd(); cursor.advance()) {
                const Kind k = cursor.kind();
                if (k != Kind::OtherLetter && k != Kind::Mark)
                    break;
                ++letters;
            }
            cost += qMax(Token, letters * OtherScriptLetterCost);
            break;
        }
        case Kind::Mark:
            cost += MarkCost;
            cursor.advance();
            break;
        case Kind::Symbol:
            cost += first > 0xFFFF ? AstralCost : SymbolCost;
            cursor.advance();
            break;
        }
    }
    return (cost + Token - 1) / Token;
}

} // namespace parlance
