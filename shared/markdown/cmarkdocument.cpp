#include "markdown/markdown_p.h"

#include <QMutex>

#include <array>
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

namespace parlance::md {

namespace {

// HACK: cmark-gfm 0.29 keeps the table of inline "special characters" in a
// process-global array and adds and removes the extensions' characters ("$",
// "~", ":" …) around every inline parse (cmark_manage_extensions_special_characters
// in src/blocks.c). Two parses at once would remove each other's characters
// mid-parse, so parsing is serialised; sanitising and rendering run in parallel.
QBasicMutex parseMutex;

// No CMARK_OPT_VALIDATE_UTF8: text from QString is valid, and invalid bytes given
// to toHtmlUtf8() pass through cmark unchanged (they are never <, >, & or ").
constexpr int parseOptions = CMARK_OPT_DEFAULT;
// UNSAFE only lets HTML nodes through: after sanitize() the only ones left are
// the math spans the extension made (every other one became text), and every
// link and image URL has passed isSafeUrl().
constexpr int renderOptions = CMARK_OPT_DEFAULT | CMARK_OPT_UNSAFE;

std::array<cmark_syntax_extension *, 5> extensions()
{
    static const std::array<cmark_syntax_extension *, 5> list = [] {
        cmark_gfm_core_extensions_ensure_registered();
        return std::array<cmark_syntax_extension *, 5> {
            cmark_find_syntax_extension("table"),
            cmark_find_syntax_extension("strikethrough"),
            cmark_find_syntax_extension("autolink"),
            cmark_find_syntax_extension("tasklist"),
            mathExtension(),
        };
    }();
    return list;
}

QByteArray takeRendered(char *html)
{
    QByteArray out(html);
    cmark_get_default_mem_allocator()->free(html);
    return out;
}

void setLiteral(cmark_node *node, QByteArrayView value)
{
    const QByteArray copy = value.toByteArray(); // NUL-terminated
    cmark_node_set_literal(node, copy.constData());
}

// Moves the children of a link or image in front of it and deletes it: the text
// stays, the URL goes.
void unwrap(cmark_node *node)
{
    while (cmark_node *child = cmark_node_first_child(node)) {
        if (!cmark_node_insert_before(node, child))
            break; // the parent cannot hold it: it goes with the link
    }
    cmark_node_free(node);
}

// Puts `replacement` where `node` is. When the parent cannot hold it, `node` is
// removed all the same (it is never safe to keep).
void replace(cmark_node *node, cmark_node *replacement)
{
    if (!cmark_node_insert_before(node, replacement))
        cmark_node_free(replacement);
    cmark_node_free(node);
}

// Raw HTML is shown as text. A block keeps its line breaks.
cmark_node *htmlBlockAsText(cmark_node *node)
{
    QByteArrayView literal(cmark_node_get_literal(node));
    const QByteArray source =
        needsRestore(literal) ? restore(literal, RestoreMode::Literal) : literal.toByteArray();
    QByteArray html("<p>");
    const QList<QByteArray> lines = QByteArray(source).trimmed().split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (i > 0)
            html.append("<br />\n");
        appendEscapedHtml(html, lines[i]);
    }
    html.append("</p>");
    cmark_node *block = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
    cmark_node_set_on_enter(block, html.constData());
    cmark_node_set_on_exit(block, "");
    return block;
}

// A paragraph holding nothing but one display formula becomes a block-level div.
cmark_node *soleDisplayMath(cmark_node *paragraph)
{
    cmark_node *math = nullptr;
    for (cmark_node *child = cmark_node_first_child(paragraph); child;
         child = cmark_node_next(child)) {
        const cmark_node_type type = cmark_node_get_type(child);
        if (type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK)
            continue;
        if (type == CMARK_NODE_TEXT
            && QByteArrayView(cmark_node_get_literal(child)).trimmed().isEmpty())
            continue;
        if (math || !isDisplayMath(child))
            return nullptr;
        math = child;
    }
    return math;
}

} // namespace

CmarkDocument::CmarkDocument(QByteArrayView text, bool hasMarks)
{
    const auto &exts = extensions();
    {
        QMutexLocker lock(&parseMutex);
        cmark_parser *parser = cmark_parser_new(parseOptions);
        for (cmark_syntax_extension *ext : exts)
            cmark_parser_attach_syntax_extension(parser, ext);
        cmark_parser_feed(parser, text.data(), size_t(text.size()));
        m_root = cmark_parser_finish(parser);
        cmark_parser_free(parser);
    }
    // Sanitising replaces some top-level blocks one for one (raw HTML, a
    // paragraph holding only a formula) with new nodes that have no source
    // position, so the positions are taken before.
    for (cmark_node *child = cmark_node_first_child(m_root); child; child = cmark_node_next(child))
        m_lines.push_back({ cmark_node_get_start_line(child), cmark_node_get_end_line(child) });
    sanitize(hasMarks);
    for (cmark_node *child = cmark_node_first_child(m_root); child; child = cmark_node_next(child))
        m_blocks.push_back(child);
    Q_ASSERT(m_blocks.size() == m_lines.size());
}

CmarkDocument::~CmarkDocument()
{
    cmark_node_free(m_root);
}

int CmarkDocument::blockStartLine(int i) const
{
    return m_lines[size_t(i)].first;
}

int CmarkDocument::blockEndLine(int i) const
{
    return m_lines[size_t(i)].second;
}

QByteArray CmarkDocument::renderBlock(int i) const
{
    return takeRendered(cmark_render_html(m_blocks[size_t(i)], renderOptions, nullptr));
}

QByteArray CmarkDocument::renderAll() const
{
    return takeRendered(cmark_render_html(m_root, renderOptions, nullptr));
}

std::vector<QByteArray> CmarkDocument::codeBlockLiterals() const
{
    std::vector<QByteArray> out;
    cmark_iter *iter = cmark_iter_new(m_root);
    cmark_event_type event;
    while ((event = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(iter);
        if (event == CMARK_EVENT_ENTER && cmark_node_get_type(node) == CMARK_NODE_CODE_BLOCK) {
            const char *literal = cmark_node_get_literal(node);
            out.emplace_back(literal ? literal : "");
        }
    }
    cmark_iter_free(iter);
    return out;
}

void CmarkDocument::sanitize(bool hasMarks)
{
    // Collect first, change afterwards: the iterator must not see freed nodes.
    std::vector<cmark_node *> nodes;
    std::vector<cmark_node *> paragraphs;
    cmark_iter *iter = cmark_iter_new(m_root);
    cmark_event_type event;
    while ((event = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
        if (event != CMARK_EVENT_ENTER)
            continue;
        cmark_node *node = cmark_iter_get_node(iter);
        switch (cmark_node_get_type(node)) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
            // Most documents have no marks: then text and code need no visit.
            if (hasMarks)
                nodes.push_back(node);
            break;
        case CMARK_NODE_CODE_BLOCK:
        case CMARK_NODE_HTML_BLOCK:
        case CMARK_NODE_LINK:
        case CMARK_NODE_IMAGE:
            nodes.push_back(node);
            break;
        case CMARK_NODE_HTML_INLINE:
            if (!isMath(node))
                nodes.push_back(node); // the author's raw HTML
            else if (isDisplayMath(node)
                     && cmark_node_get_type(cmark_node_parent(node)) == CMARK_NODE_PARAGRAPH)
                paragraphs.push_back(cmark_node_parent(node));
            break;
        default:
            break;
        }
    }
    cmark_iter_free(iter);

    for (cmark_node *node : nodes) {
        switch (cmark_node_get_type(node)) {
        case CMARK_NODE_TEXT: {
            const QByteArrayView literal(cmark_node_get_literal(node));
            if (needsRestore(literal))
                setLiteral(node, restore(literal, RestoreMode::Text));
            break;
        }
        case CMARK_NODE_CODE:
        case CMARK_NODE_CODE_BLOCK: {
            const QByteArrayView literal(cmark_node_get_literal(node));
            if (needsRestore(literal))
                setLiteral(node, restore(literal, RestoreMode::Literal));
            if (cmark_node_get_type(node) == CMARK_NODE_CODE_BLOCK) {
                // The info string is author-controlled and lands in a class attribute.
                const QByteArray language =
                    sanitizeLanguage(QByteArrayView(cmark_node_get_fence_info(node)));
                cmark_node_set_fence_info(node, language.constData());
            }
            break;
        }
        case CMARK_NODE_HTML_BLOCK: {
            replace(node, htmlBlockAsText(node));
            break;
        }
        case CMARK_NODE_HTML_INLINE: {
            const QByteArrayView literal(cmark_node_get_literal(node));
            cmark_node *text = cmark_node_new(CMARK_NODE_TEXT);
            setLiteral(text,
                       needsRestore(literal) ? restore(literal, RestoreMode::Literal)
                                             : literal.toByteArray());
            replace(node, text);
            break;
        }
        case CMARK_NODE_LINK:
        case CMARK_NODE_IMAGE: {
            QByteArrayView url(cmark_node_get_url(node));
            QByteArray restored;
            if (needsRestore(url)) {
                restored = restore(url, RestoreMode::Text);
                cmark_node_set_url(node, restored.constData());
                url = restored;
            }
            if (!isSafeUrl(url)) {
                unwrap(node);
                break;
            }
            const QByteArrayView title(cmark_node_get_title(node));
            if (needsRestore(title))
                cmark_node_set_title(node, restore(title, RestoreMode::Text).constData());
            break;
        }
        default:
            break;
        }
    }

    for (cmark_node *paragraph : paragraphs) {
        // A paragraph with two display formulas is listed twice; the first pass
        // leaves it in place, so looking again is harmless.
        if (cmark_node *math = soleDisplayMath(paragraph)) {
            cmark_node *block = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
            cmark_node_set_on_enter(block, displayMathBlockHtml(math).constData());
            cmark_node_set_on_exit(block, "");
            replace(paragraph, block);
        }
    }
}

} // namespace parlance::md
