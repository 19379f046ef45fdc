#include "markdown/markdownrenderer.h"

#include "markdown/markdown_p.h"

namespace parlance {

QString MarkdownRenderer::toHtml(QStringView markdown)
{
    return QString::fromUtf8(toHtmlUtf8(markdown.toUtf8()));
}

QByteArray MarkdownRenderer::toHtmlUtf8(QByteArrayView markdown)
{
    const md::Preprocessed pre = md::preprocess(markdown, false);
    return md::CmarkDocument(pre.text, pre.hasMarks).renderAll();
}

} // namespace parlance
