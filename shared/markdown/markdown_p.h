#pragma once

// Internals of the markdown renderer, shared by MarkdownRenderer, the streaming
// renderer and the fuzzer. Not part of the library's API.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <utility>
#include <vector>

struct cmark_node;
struct cmark_syntax_extension;

namespace parlance::md {

// Bytes the preprocessor puts into the text cmark parses. The input never keeps
// them: a literal one is replaced with U+FFFD first, so they cannot be forged.
//  - \( \) \[ \] become single bytes so the math extension still sees them after
//    cmark's backslash handling (which runs before any extension and would turn
//    "\(" into "(");
//  - a multi-line display block ($$ … $$ or \[ … \] on lines of their own)
//    becomes one line, MarkBlock + hex of the original lines + MarkBlock, so no
//    line inside it (a blank line, "- x", "# y") can start a markdown block.
// Wherever such a byte ends up outside math (in code, in a URL, in text), the
// original characters are restored (see restore()).
inline constexpr char MarkOpenInline = '\x01';
inline constexpr char MarkCloseInline = '\x02';
inline constexpr char MarkOpenDisplay = '\x03';
inline constexpr char MarkCloseDisplay = '\x04';
inline constexpr char MarkBlock = '\x05';

struct Preprocessed
{
    QByteArray text;
    // Whether `text` holds any mark byte: if not, nothing needs restoring.
    bool hasMarks = false;
    // Only filled when asked for: per line of `text`, the byte offset in the
    // input where that line starts, and whether the preprocessor's own state is
    // clean there (outside a fence it tracks and before any unclosed display
    // block), so that preprocessing the input from that line on gives the same
    // bytes. The streaming renderer only cuts at clean lines.
    QList<qsizetype> lineStart;
    QList<bool> lineClean;
};

[[nodiscard]] Preprocessed preprocess(QByteArrayView input, bool withLines);

enum class RestoreMode {
    Literal, // code, raw HTML shown as text: "\(" stays "\("
    Text, // text and URLs: "\(" was a markdown escape, so it means "("
};
[[nodiscard]] bool needsRestore(QByteArrayView s);
[[nodiscard]] QByteArray restore(QByteArrayView s, RestoreMode mode);

// Escapes & < > " ' for element content and attribute values.
void appendEscapedHtml(QByteArray &out, QByteArrayView s);

// True for URLs without a scheme and for http, https and mailto; false for
// every other scheme (javascript:, data:, vbscript:, file:, …), after removing
// what browsers ignore (leading control characters and spaces, tabs and line
// breaks anywhere).
[[nodiscard]] bool isSafeUrl(QByteArrayView url);

// The language of a fence's info string for a class attribute: its leading
// characters up to the first one outside [A-Za-z0-9_+#.-], lower-cased, at most 32.
[[nodiscard]] QByteArray sanitizeLanguage(QByteArrayView info);

// The math syntax extension ($…$, $$…$$ and the marks above), made once.
[[nodiscard]] cmark_syntax_extension *mathExtension();
[[nodiscard]] bool isMath(cmark_node *node);
[[nodiscard]] bool isDisplayMath(cmark_node *node);
// The <div class="math-display"> that replaces a paragraph holding only `node`.
[[nodiscard]] QByteArray displayMathBlockHtml(cmark_node *node);

// One parsed and sanitised document. The top-level blocks can be rendered one
// by one: concatenating them gives exactly renderAll().
class CmarkDocument
{
public:
    explicit CmarkDocument(QByteArrayView preprocessedUtf8, bool hasMarks = true);
    ~CmarkDocument();
    CmarkDocument(const CmarkDocument &) = delete;
    CmarkDocument &operator=(const CmarkDocument &) = delete;

    [[nodiscard]] int blockCount() const { return int(m_blocks.size()); }
    // 1-based lines of the parsed text; 0 when cmark did not record them (the
    // paragraph the table extension splits off before a table).
    [[nodiscard]] int blockStartLine(int i) const;
    [[nodiscard]] int blockEndLine(int i) const;
    [[nodiscard]] QByteArray renderBlock(int i) const;
    [[nodiscard]] QByteArray renderAll() const;
    // The literal text of every code block (fenced or indented), in order.
    [[nodiscard]] std::vector<QByteArray> codeBlockLiterals() const;

private:
    void sanitize(bool hasMarks);

    cmark_node *m_root = nullptr;
    std::vector<cmark_node *> m_blocks;
    std::vector<std::pair<int, int>> m_lines; // first and last line of each block
};

} // namespace parlance::md
