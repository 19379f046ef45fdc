// The math syntax extension: turns $…$, $$…$$ and the marks the preprocessor
// left for \(…\), \[…\] and multi-line display blocks into custom inline nodes
// that render as <span class="math-inline|math-display">escaped TeX</span>.
// Running inside cmark's inline parser is what keeps math out of code spans
// (cmark consumes a code span before it reaches a "$" inside it) and keeps
// markdown out of math (the extension consumes the TeX before emphasis, links
// or escapes see it).

#include "markdown/markdown_p.h"

#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <cstdint>
#include <cstring>

// HACK: cmark_inline_parser_get_chunk() returns the paragraph's bytes as a
// struct cmark_chunk that only cmark's private chunk.h defines. Its layout has
// been { data, len, alloc } since cmark 0.20; reading it directly avoids a
// bounds-unchecked peek_at() per byte.
struct cmark_chunk
{
    unsigned char *data;
    bufsize_t len;
    bufsize_t alloc;
};

namespace parlance::md {

namespace {

// The addresses mark a node as math (cmark stores them as user data).
char inlineTag = 0;
char displayTag = 0;

constexpr QByteArrayView inlineOpen = "<span class=\"math-inline\">";
constexpr QByteArrayView displayOpen = "<span class=\"math-display\">";
constexpr QByteArrayView spanClose = "</span>";

bool isSpace(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

cmark_node *makeMath(QByteArrayView tex, bool display)
{
    // Math may hold the marks of \( \[ written inside it; give the TeX back.
    const QByteArray source =
        needsRestore(tex) ? restore(tex, RestoreMode::Literal) : QByteArray(tex.data(), tex.size());
    QByteArray html;
    html.reserve(source.size() + 40);
    html.append(display ? displayOpen : inlineOpen);
    appendEscapedHtml(html, QByteArrayView(source).trimmed());
    html.append(spanClose);
    // An HTML node, because a table cell accepts no custom node (cmark would drop
    // and leak it). The tag tells it from raw HTML of the author, which
    // CmarkDocument::sanitize() turns into text.
    cmark_node *node = cmark_node_new(CMARK_NODE_HTML_INLINE);
    cmark_node_set_literal(node, html.constData());
    cmark_node_set_user_data(node, display ? &displayTag : &inlineTag);
    return node;
}

cmark_node *makeText(const char *text)
{
    cmark_node *node = cmark_node_new(CMARK_NODE_TEXT);
    cmark_node_set_literal(node, text);
    return node;
}

// Offset of the first unescaped `needle` at or after `from`, or -1.
bufsize_t findUnescaped(const cmark_chunk *chunk, bufsize_t from, QByteArrayView needle)
{
    for (bufsize_t i = from; i + needle.size() <= chunk->len; ++i) {
        if (chunk->data[i] == '\\') {
            ++i;
            continue;
        }
        if (std::memcmp(chunk->data + i, needle.data(), size_t(needle.size())) == 0)
            return i;
    }
    return -1;
}

bufsize_t findByte(const cmark_chunk *chunk, bufsize_t from, char byte)
{
    const void *hit = std::memchr(chunk->data + from, byte, size_t(chunk->len - from));
    return hit ? bufsize_t(static_cast<const unsigned char *>(hit) - chunk->data) : -1;
}

QByteArrayView slice(const cmark_chunk *chunk, bufsize_t from, bufsize_t to)
{
    return { reinterpret_cast<const char *>(chunk->data) + from, to - from };
}

cmark_node *matchDollar(const cmark_chunk *chunk, bufsize_t pos, cmark_inline_parser *parser)
{
    const unsigned char next = pos + 1 < chunk->len ? chunk->data[pos + 1] : 0;
    if (next == '$') {
        const bufsize_t close = findUnescaped(chunk, pos + 2, "$$");
        if (close < 0 || slice(chunk, pos + 2, close).trimmed().isEmpty()) {
            // Not math: keep both dollars as text so the second cannot open $…$.
            cmark_inline_parser_set_offset(parser, pos + 2);
            return makeText("$$");
        }
        cmark_inline_parser_set_offset(parser, close + 2);
        return makeMath(slice(chunk, pos + 2, close), true);
    }
    // The usual heuristics keep "$5 and $10" prose: the opener is not followed by
    // a space, the closer is not preceded by one nor followed by a digit, and the
    // first unescaped dollar decides.
    if (next == 0 || isSpace(next))
        return nullptr;
    const bufsize_t close = findUnescaped(chunk, pos + 1, "$");
    if (close < 0 || isSpace(chunk->data[close - 1]))
        return nullptr;
    if (close + 1 < chunk->len && chunk->data[close + 1] >= '0' && chunk->data[close + 1] <= '9')
        return nullptr;
    cmark_inline_parser_set_offset(parser, close + 1);
    return makeMath(slice(chunk, pos + 1, close), false);
}

cmark_node *matchMath(cmark_syntax_extension *, cmark_parser *, cmark_node *, unsigned char c,
                      cmark_inline_parser *parser)
{
    const cmark_chunk *chunk = cmark_inline_parser_get_chunk(parser);
    const bufsize_t pos = cmark_inline_parser_get_offset(parser);
    switch (c) {
    case '$':
        return matchDollar(chunk, pos, parser);
    case MarkOpenInline:
    case MarkOpenDisplay: {
        const bool display = c == MarkOpenDisplay;
        const bufsize_t close =
            findByte(chunk, pos + 1, display ? MarkCloseDisplay : MarkCloseInline);
        if (close < 0 || slice(chunk, pos + 1, close).trimmed().isEmpty())
            return nullptr; // the text pass turns the mark back into "(" or "["
        cmark_inline_parser_set_offset(parser, close + 1);
        return makeMath(slice(chunk, pos + 1, close), display);
    }
    case MarkBlock: {
        const bufsize_t close = findByte(chunk, pos + 1, MarkBlock);
        if (close < 0)
            return nullptr;
        cmark_inline_parser_set_offset(parser, close + 1);
        QByteArray block = restore(slice(chunk, pos, close + 1), RestoreMode::Literal);
        QByteArrayView tex = QByteArrayView(block).trimmed();
        if (tex.size() < 4)
            return nullptr;
        // Both delimiters ("$$" or "\\[" … "\\]") are two bytes; the preprocessor checked them.
        tex = tex.sliced(2, tex.size() - 4);
        return makeMath(tex, true);
    }
    default:
        return nullptr;
    }
}

cmark_syntax_extension *createMathExtension()
{
    cmark_syntax_extension *ext = cmark_syntax_extension_new("parlance-math");
    cmark_llist *chars = nullptr;
    cmark_mem *mem = cmark_get_default_mem_allocator();
    for (const char c : { '$', MarkOpenInline, MarkOpenDisplay, MarkBlock })
        chars = cmark_llist_append(mem, chars, reinterpret_cast<void *>(static_cast<uintptr_t>(c)));
    cmark_syntax_extension_set_special_inline_chars(ext, chars);
    cmark_syntax_extension_set_match_inline_func(ext, matchMath);
    return ext;
}

} // namespace

bool isMath(cmark_node *node)
{
    return cmark_node_get_type(node) == CMARK_NODE_HTML_INLINE
        && (cmark_node_get_user_data(node) == &displayTag
            || cmark_node_get_user_data(node) == &inlineTag);
}

bool isDisplayMath(cmark_node *node)
{
    return cmark_node_get_type(node) == CMARK_NODE_HTML_INLINE
        && cmark_node_get_user_data(node) == &displayTag;
}

QByteArray displayMathBlockHtml(cmark_node *node)
{
    const QByteArrayView span(cmark_node_get_literal(node));
    Q_ASSERT(span.startsWith(displayOpen) && span.endsWith(spanClose));
    const QByteArrayView tex =
        span.sliced(displayOpen.size(), span.size() - displayOpen.size() - spanClose.size());
    QByteArray html;
    html.reserve(tex.size() + 40);
    html.append("<div class=\"math-display\">");
    html.append(tex);
    html.append("</div>");
    return html;
}

cmark_syntax_extension *mathExtension()
{
    // Made once and never freed: every parser in the process attaches the same one.
    static cmark_syntax_extension *const ext = createMathExtension();
    return ext;
}

} // namespace parlance::md
