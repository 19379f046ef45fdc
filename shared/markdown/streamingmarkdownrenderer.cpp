#include "markdown/streamingmarkdownrenderer.h"

#include "markdown/markdown_p.h"

namespace parlance {

namespace {

bool isBlank(QByteArrayView line)
{
    for (char c : line) {
        if (c != ' ' && c != '\t')
            return false;
    }
    return true;
}

// "[label]:" after at most three spaces: the first line of a link
// reference definition.
bool opensDefinition(QByteArrayView line)
{
    qsizetype i = 0;
    while (i < line.size() && i < 3 && line[i] == ' ')
        ++i;
    if (i >= line.size() || line[i] != '[')
        return false;
    const qsizetype close = line.indexOf("]:", i);
    return close > i + 1;
}

} // namespace

StreamUpdate StreamingMarkdownRenderer::append(QStringView delta)
{
    if (m_finished)
        return { int(m_stable.size()), {}, m_tailHtml };
    // A token may end between the two halves of a surrogate pair: keep the
    // first half until the second arrives.
    QString joined;
    if (m_pendingHighSurrogate) {
        joined.reserve(delta.size() + 1);
        joined.append(QChar(m_pendingHighSurrogate));
        joined.append(delta);
        delta = joined;
        m_pendingHighSurrogate = 0;
    }
    if (!delta.isEmpty() && delta.back().isHighSurrogate()) {
        m_pendingHighSurrogate = delta.back().unicode();
        delta.chop(1);
    }
    m_source.append(delta.toUtf8());
    return update(false);
}

StreamUpdate StreamingMarkdownRenderer::finish()
{
    if (m_finished)
        return { int(m_stable.size()), {}, m_tailHtml };
    if (m_pendingHighSurrogate) {
        m_source.append(QStringView(&m_pendingHighSurrogate, 1).toUtf8());
        m_pendingHighSurrogate = 0;
    }
    StreamUpdate result = update(true);
    m_finished = true;
    return result;
}

void StreamingMarkdownRenderer::reset()
{
    *this = StreamingMarkdownRenderer();
}

QString StreamingMarkdownRenderer::html() const
{
    return m_stable.join(QString()) + m_tailHtml;
}

StreamUpdate StreamingMarkdownRenderer::update(bool final)
{
    const QByteArrayView tail = QByteArrayView(m_source).sliced(m_tailStart);
    const md::Preprocessed pre = md::preprocess(tail, true);
    const int prefixLines = int(m_definitions.count('\n'));
    const md::CmarkDocument doc(m_definitions.isEmpty() ? pre.text : m_definitions + pre.text,
                                pre.hasMarks || md::needsRestore(m_definitions));

    // Lines of the tail (1-based, as cmark counts) for block i; 0 when unknown.
    const auto startOf = [&](int i) {
        const int line = doc.blockStartLine(i);
        return line > prefixLines ? line - prefixLines : 0;
    };
    const auto endOf = [&](int i) {
        const int line = doc.blockEndLine(i);
        return line > prefixLines ? line - prefixLines : 0;
    };
    int first = 0; // blocks made by the definitions in front (there should be none)
    while (first < doc.blockCount() && doc.blockStartLine(first) >= 1
           && doc.blockStartLine(first) <= prefixLines)
        ++first;
    const int count = doc.blockCount();
    const int completeLines = int(pre.text.count('\n'));

    // The last block that started on a complete line, at a line where the
    // preprocessor's state is clean, strictly after the block before it ends:
    // everything before it is finished. The line must be complete because a
    // partial one can still turn out to continue the block before it.
    int cut = final ? count : first;
    for (int k = count - 1; !final && k > first; --k) {
        const int start = startOf(k);
        if (start >= 1 && start <= completeLines && startOf(k - 1) >= 1 && start > endOf(k - 1)
            && pre.lineClean[start - 1]) {
            cut = k;
            break;
        }
    }

    StreamUpdate result;
    result.firstChangedBlock = int(m_stable.size());
    for (int i = first; i < cut; ++i) {
        QString block = QString::fromUtf8(doc.renderBlock(i));
        m_stable.append(block);
        result.newStableBlocks.append(std::move(block));
    }

    if (!final && cut > first) {
        const int cutLine = startOf(cut); // first line of the new tail
        // Lines no block covers are link reference definitions (cmark consumes a
        // paragraph of them without a node): keep them for the blocks to come.
        std::vector<bool> covered(size_t(cutLine), false);
        for (int i = first; i < cut; ++i) {
            const int from = startOf(i);
            const int to = qMin(endOf(i), cutLine - 1);
            for (int line = from; from >= 1 && line <= to; ++line)
                covered[size_t(line)] = true;
        }
        // Only runs that open like a definition ("[label]:"): cmark's line
        // numbers can leave a line of a finished block uncovered (an HTML
        // block ended by "-->" on a "<script" line), and carried into the
        // tail that line would start a new block and swallow what follows.
        qsizetype offset = 0;
        bool inDefinitions = false;
        for (int line = 1; line < cutLine; ++line) {
            const qsizetype eol = pre.text.indexOf('\n', offset);
            const QByteArrayView text = QByteArrayView(pre.text).sliced(offset, eol - offset);
            if (covered[size_t(line)] || isBlank(text)) {
                inDefinitions = false;
            } else {
                if (!inDefinitions)
                    inDefinitions = opensDefinition(text);
                if (inDefinitions) {
                    m_definitions.append(text);
                    m_definitions.append('\n');
                }
            }
            offset = eol + 1;
        }
        if (!m_definitions.isEmpty() && !m_definitions.endsWith("\n\n") && cutLine > 1)
            m_definitions.append('\n');
        m_tailStart += pre.lineStart[cutLine - 1];
    }

    QByteArray tailHtml;
    for (int i = cut; i < count; ++i)
        tailHtml.append(doc.renderBlock(i));
    m_tailHtml = final ? QString() : QString::fromUtf8(tailHtml);
    result.tailHtml = m_tailHtml;
    return result;
}

} // namespace parlance
