#include "markdown/markdown_p.h"

namespace parlance::md {

namespace {

constexpr char hexDigits[] = "0123456789abcdef";
const QByteArrayView replacementChar("\xEF\xBF\xBD");

struct Line
{
    qsizetype begin = 0; // offset of the first byte
    qsizetype end = 0; // offset after the last byte, line break excluded
    bool hasBreak = false;
};

// Lines end at \n, \r\n or a lone \r, as cmark's do, so line numbers agree.
std::vector<Line> splitLines(QByteArrayView in)
{
    std::vector<Line> lines;
    lines.reserve(size_t(in.size() / 32 + 1));
    const char *data = in.data();
    const qsizetype n = in.size();
    qsizetype begin = 0;
    while (begin < n) {
        qsizetype i = begin;
        while (i < n && data[i] != '\n' && data[i] != '\r')
            ++i;
        if (i == n) {
            lines.push_back({ begin, n, false });
            break;
        }
        lines.push_back({ begin, i, true });
        begin = (data[i] == '\r' && i + 1 < n && data[i + 1] == '\n') ? i + 2 : i + 1;
    }
    return lines;
}

int indentOf(QByteArrayView line)
{
    int indent = 0;
    for (char c : line) {
        if (c == ' ')
            ++indent;
        else if (c == '\t')
            indent += 4 - indent % 4;
        else
            break;
    }
    return indent;
}

QByteArrayView trimmed(QByteArrayView s)
{
    return s.trimmed();
}

struct Fence
{
    char ch = 0;
    qsizetype length = 0;
};

// A fence opener at the top level (indent 0-3), as CommonMark defines it.
bool opensFence(QByteArrayView line, Fence &fence)
{
    if (indentOf(line) > 3)
        return false;
    const QByteArrayView t = trimmed(line);
    if (t.size() < 3 || (t[0] != '`' && t[0] != '~'))
        return false;
    qsizetype run = 0;
    while (run < t.size() && t[run] == t[0])
        ++run;
    if (run < 3)
        return false;
    if (t[0] == '`' && t.sliced(run).contains('`'))
        return false;
    fence = { t[0], run };
    return true;
}

bool closesFence(QByteArrayView line, const Fence &fence)
{
    if (indentOf(line) > 3)
        return false;
    const QByteArrayView t = trimmed(line);
    qsizetype run = 0;
    while (run < t.size() && t[run] == fence.ch)
        ++run;
    return run >= fence.length && run == t.size();
}

enum class Display { None, Dollar, Bracket };

// "$$" or "\[" starting a line of its own (indent 0-3) without closing on it.
Display opensDisplay(QByteArrayView line)
{
    if (indentOf(line) > 3)
        return Display::None;
    const QByteArrayView t = trimmed(line);
    if (t.startsWith("$$"))
        return t.sliced(2).contains("$$") ? Display::None : Display::Dollar;
    if (t.startsWith("\\["))
        return t.sliced(2).contains("\\]") ? Display::None : Display::Bracket;
    return Display::None;
}

bool closesDisplay(QByteArrayView line, Display kind)
{
    const QByteArrayView t = trimmed(line);
    return kind == Display::Dollar ? t.endsWith("$$") : t.endsWith("\\]");
}

int hexValue(char c);

// The length of a numeric character reference at the start of `s` whose code
// point is NUL or a mark byte ("&#1;", "&#x0005;"), else 0.
qsizetype markReferenceLength(QByteArrayView s)
{
    if (s.size() < 4 || s[0] != '&' || s[1] != '#')
        return 0;
    qsizetype k = 2;
    const bool hex = s[k] == 'x' || s[k] == 'X';
    if (hex)
        ++k;
    const qsizetype digitsStart = k;
    quint32 value = 0;
    while (k < s.size() && k - digitsStart < 8) {
        const int digit = hex ? hexValue(s[k]) : (s[k] >= '0' && s[k] <= '9' ? s[k] - '0' : -1);
        if (digit < 0)
            break;
        value = value * (hex ? 16 : 10) + quint32(digit);
        ++k;
    }
    if (k == digitsStart || k >= s.size() || s[k] != ';')
        return 0;
    return value <= 0x05 ? k + 1 : 0;
}

void appendMarked(QByteArray &out, QByteArrayView s)
{
    const char *data = s.data();
    const qsizetype n = s.size();
    qsizetype i = 0;
    while (i < n) {
        // Copy runs of ordinary bytes in one go: this loop is on the hot path.
        qsizetype j = i;
        while (j < n && data[j] != '\\' && data[j] != '&'
               && static_cast<unsigned char>(data[j]) > 0x05)
            ++j;
        if (j > i)
            out.append(data + i, j - i);
        if (j == n)
            break;
        const char c = data[j];
        if (c == '&') {
            // cmark decodes "&#1;" into the byte itself: it would forge a mark.
            if (const qsizetype length = markReferenceLength(s.sliced(j)); length > 0) {
                out.append("&#65533;");
                i = j + length;
            } else {
                out.append('&');
                i = j + 1;
            }
            continue;
        }
        if (c != '\\') {
            out.append(replacementChar);
            i = j + 1;
            continue;
        }
        const char next = j + 1 < n ? data[j + 1] : '\0';
        switch (next) {
        case '(':
            out.append(MarkOpenInline);
            break;
        case ')':
            out.append(MarkCloseInline);
            break;
        case '[':
            out.append(MarkOpenDisplay);
            break;
        case ']':
            out.append(MarkCloseDisplay);
            break;
        case '\\':
            out.append("\\\\");
            break;
        default:
            out.append('\\');
            i = j + 1;
            continue;
        }
        i = j + 2;
    }
}

} // namespace

Preprocessed preprocess(QByteArrayView in, bool withLines)
{
    Preprocessed result;
    result.text.reserve(in.size() + 16);
    const std::vector<Line> lines = splitLines(in);
    if (withLines) {
        result.lineStart.reserve(qsizetype(lines.size()));
        result.lineClean.reserve(qsizetype(lines.size()));
    }
    Fence fence;
    bool inFence = false;
    bool unclosedDisplay = false;
    for (size_t i = 0; i < lines.size(); ++i) {
        const Line &line = lines[i];
        const QByteArrayView content = in.sliced(line.begin, line.end - line.begin);
        if (withLines) {
            result.lineStart.append(line.begin);
            result.lineClean.append(!inFence && !unclosedDisplay);
        }
        if (inFence) {
            inFence = !closesFence(content, fence);
        } else if (opensFence(content, fence)) {
            inFence = true;
        } else if (!unclosedDisplay) {
            if (const Display kind = opensDisplay(content); kind != Display::None) {
                size_t close = i + 1;
                while (
                    close < lines.size()
                    && !closesDisplay(
                        in.sliced(lines[close].begin, lines[close].end - lines[close].begin), kind))
                    ++close;
                if (close == lines.size()) {
                    // Still open (or never closed): plain text, and nothing after it is
                    // clean because a later "$$" line would close it.
                    unclosedDisplay = true;
                    if (withLines)
                        result.lineClean.last() = false;
                } else {
                    qsizetype indent = 0;
                    while (indent < content.size()
                           && (content[indent] == ' ' || content[indent] == '\t'))
                        ++indent;
                    result.text.append(content.first(indent));
                    result.text.append(MarkBlock);
                    for (size_t k = i; k <= close; ++k) {
                        const qsizetype from = k == i ? line.begin + indent : lines[k].begin;
                        for (qsizetype b = from; b < lines[k].end; ++b) {
                            const auto byte = static_cast<unsigned char>(in[b]);
                            result.text.append(hexDigits[byte >> 4]);
                            result.text.append(hexDigits[byte & 0xf]);
                        }
                        if (k != close)
                            result.text.append("0a");
                    }
                    result.text.append(MarkBlock);
                    if (lines[close].hasBreak)
                        result.text.append('\n');
                    i = close;
                    continue;
                }
            }
        }
        appendMarked(result.text, content);
        if (line.hasBreak)
            result.text.append('\n');
    }
    result.hasMarks = needsRestore(result.text);
    return result;
}

bool needsRestore(QByteArrayView s)
{
    for (char c : s) {
        if (c >= MarkOpenInline && c <= MarkBlock)
            return true;
    }
    return false;
}

namespace {
int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}
} // namespace

QByteArray restore(QByteArrayView s, RestoreMode mode)
{
    QByteArray out;
    out.reserve(s.size() + 8);
    const bool literal = mode == RestoreMode::Literal;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const char c = s[i];
        switch (c) {
        case MarkOpenInline:
            out.append(literal ? "\\(" : "(");
            break;
        case MarkCloseInline:
            out.append(literal ? "\\)" : ")");
            break;
        case MarkOpenDisplay:
            out.append(literal ? "\\[" : "[");
            break;
        case MarkCloseDisplay:
            out.append(literal ? "\\]" : "]");
            break;
        case MarkBlock: {
            const qsizetype end = s.indexOf(MarkBlock, i + 1);
            if (end < 0)
                break; // a lone mark: drop it
            for (qsizetype k = i + 1; k + 1 < end; k += 2) {
                const int hi = hexValue(s[k]);
                const int lo = hexValue(s[k + 1]);
                if (hi < 0 || lo < 0)
                    continue;
                // NUL and the mark bytes were never replaced inside the block.
                const char byte = char(hi << 4 | lo);
                if (static_cast<unsigned char>(byte) <= 0x05)
                    out.append(replacementChar);
                else
                    out.append(byte);
            }
            i = end;
            break;
        }
        default:
            out.append(c);
        }
    }
    return out;
}

void appendEscapedHtml(QByteArray &out, QByteArrayView s)
{
    for (char c : s) {
        switch (c) {
        case '&':
            out.append("&amp;");
            break;
        case '<':
            out.append("&lt;");
            break;
        case '>':
            out.append("&gt;");
            break;
        case '"':
            out.append("&quot;");
            break;
        case '\'':
            out.append("&#39;");
            break;
        default:
            out.append(c);
        }
    }
}

bool isSafeUrl(QByteArrayView url)
{
    // What a browser does before it looks for the scheme: strip leading C0
    // controls and spaces, drop tabs and line breaks anywhere.
    qsizetype i = 0;
    while (i < url.size() && static_cast<unsigned char>(url[i]) <= 0x20)
        ++i;
    QByteArray scheme;
    for (; i < url.size(); ++i) {
        const char c = url[i];
        if (c == '\t' || c == '\n' || c == '\r')
            continue;
        if (c == ':')
            break;
        if (c == '/' || c == '?' || c == '#')
            return true; // relative: no scheme
        scheme.append(c >= 'A' && c <= 'Z' ? char(c + 32) : c);
    }
    if (i == url.size())
        return true;
    return scheme == "http" || scheme == "https" || scheme == "mailto";
}

QByteArray sanitizeLanguage(QByteArrayView info)
{
    // Stop at the first character a language name does not use: what follows is
    // attributes ("{linenos}") or an attack ('"><script>'), never the name.
    QByteArray language;
    for (char c : info.trimmed()) {
        if (c >= 'A' && c <= 'Z')
            c = char(c + 32); // highlight.js names are lower case
        const bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'
            || c == '+' || c == '#' || c == '.' || c == '-';
        if (!allowed || language.size() == 32)
            break;
        language.append(c);
    }
    return language;
}

} // namespace parlance::md
