#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QStringView>

namespace parlance {

// What one append() changed. A view keeps its blocks [0, firstChangedBlock),
// appends newStableBlocks after them (they never change again) and replaces the
// one open tail element with tailHtml (which may be empty).
struct StreamUpdate
{
    int firstChangedBlock = 0;
    QStringList newStableBlocks;
    QString tailHtml;
};

// Renders a message while its tokens arrive, with the rules of MarkdownRenderer.
// The text is cut into top-level markdown blocks; a block is stable once a
// later complete line has started a new top-level block (so nothing appended
// can change it), and then it is rendered once and never again. Each append
// re-renders only the open tail, so its cost does not grow with the message.
// After finish(), stableBlocks().join("") equals MarkdownRenderer::toHtml() of
// the whole text, except for reference links whose definition comes after
// them (docs/markdown.md). One instance per message; not thread-safe (use one
// per thread), but instances on different threads are fine.
class StreamingMarkdownRenderer
{
public:
    StreamUpdate append(QStringView delta);
    // Renders what is left as stable blocks; the tail becomes empty. Further
    // appends are ignored until reset().
    StreamUpdate finish();
    void reset();

    [[nodiscard]] const QStringList &stableBlocks() const { return m_stable; }
    [[nodiscard]] const QString &tailHtml() const { return m_tailHtml; }
    // Stable blocks and tail together: what the message looks like now.
    [[nodiscard]] QString html() const;
    [[nodiscard]] bool isFinished() const { return m_finished; }
    // Bytes (UTF-8) not yet in a stable block: what each append re-renders.
    [[nodiscard]] qsizetype tailSize() const { return m_source.size() - m_tailStart; }

private:
    StreamUpdate update(bool final);

    QByteArray m_source; // the whole message so far, UTF-8
    qsizetype m_tailStart = 0; // where the open tail starts in m_source
    // Link reference definitions seen in stable blocks (preprocessed lines),
    // put in front of the tail so later blocks can use them.
    QByteArray m_definitions;
    QStringList m_stable;
    QString m_tailHtml;
    char16_t m_pendingHighSurrogate = 0;
    bool m_finished = false;
};

} // namespace parlance
