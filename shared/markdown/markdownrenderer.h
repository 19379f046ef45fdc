#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringList>
#include <QStringView>

namespace parlance {

// Markdown (CommonMark + GitHub tables, strikethrough, autolinks and task
// lists) to HTML that is safe to put into a page as it is:
//  - raw HTML never passes: it is shown as text;
//  - links and images keep only http:, https:, mailto: or scheme-less URLs;
//    any other (javascript:, data:, vbscript:, however encoded) is dropped and
//    its text kept;
//  - fenced code carries its language for highlight.js:
//    <pre><code class="language-cpp">, the name reduced to [A-Za-z0-9_+#.-];
//  - math ($…$, \(…\), $$…$$, \[…\]) is left to KaTeX on the client:
//    <span class="math-inline">TeX</span>, and <div class="math-display">TeX</div>
//    (or <span class="math-display"> inside a paragraph), the TeX HTML-escaped
//    so that the element's textContent is the source.
// docs/markdown.md has the full contract. Stateless and thread-safe.
class MarkdownRenderer
{
public:
    [[nodiscard]] static QString toHtml(QStringView markdown);
    // The same on UTF-8, without the two conversions.
    [[nodiscard]] static QByteArray toHtmlUtf8(QByteArrayView markdown);
    // The text of each code block, in order, without its fences (an unclosed
    // fence runs to the end, as while an answer streams). For copy actions.
    [[nodiscard]] static QStringList codeBlocks(QStringView markdown);
};

} // namespace parlance
