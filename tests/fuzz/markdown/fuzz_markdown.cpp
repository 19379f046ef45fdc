// Arbitrary bytes as markdown: rendering never crashes and never lets a
// <script> through; streaming the same text in chunks (sizes taken from the
// input) gives the whole rendering, as long as no reference definition can
// come after its use (the documented limitation).
#include "markdown/markdownrenderer.h"
#include "markdown/streamingmarkdownrenderer.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <cstdlib>

using namespace parlance;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const QString text = QString::fromUtf8(bytes);

    const QString whole = MarkdownRenderer::toHtml(text);
    if (whole.contains(QStringLiteral("<script"), Qt::CaseInsensitive))
        std::abort();
    const QByteArray wholeUtf8 = MarkdownRenderer::toHtmlUtf8(bytes);
    if (wholeUtf8.toLower().contains("<script"))
        std::abort();

    StreamingMarkdownRenderer stream;
    qsizetype pos = 0;
    size_t step = 0;
    while (pos < text.size()) {
        const qsizetype n = qMin<qsizetype>(text.size() - pos, 1 + data[step++ % size] % 7);
        const StreamUpdate update = stream.append(QStringView(text).sliced(pos, n));
        if (update.tailHtml.contains(QStringLiteral("<script"), Qt::CaseInsensitive))
            std::abort();
        pos += n;
    }
    stream.finish();
    const QString streamed = stream.html();
    if (streamed.contains(QStringLiteral("<script"), Qt::CaseInsensitive))
        std::abort();
    if (!text.contains(QStringLiteral("]:")) && streamed != whole) {
        qWarning("streamed:\n%s\nwhole:\n%s", qPrintable(streamed), qPrintable(whole));
        std::abort();
    }
    return 0;
}
