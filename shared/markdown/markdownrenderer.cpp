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

QStringList MarkdownRenderer::codeBlocks(QStringView markdown)
{
    const md::Preprocessed pre = md::preprocess(markdown.toUtf8(), false);
    QStringList out;
    for (const QByteArray &literal :
         md::CmarkDocument(pre.text, pre.hasMarks).codeBlockLiterals()) {
        QString code = QString::fromUtf8(literal);
        if (code.endsWith(u'\n'))
            code.chop(1);
        out.append(code);
    }
    return out;
}

} // namespace parlance
