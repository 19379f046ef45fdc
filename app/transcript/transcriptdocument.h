#pragma once

#include <QJsonArray>
#include <QList>
#include <QString>

#include <functional>
#include <memory>
#include <vector>

namespace parlance {
class StreamingMarkdownRenderer;
}

// One message as the transcript shows it (the roles TranscriptBridge reads),
// without its text: the text is read from the model only when it is rendered
// (see takeUpdates()).
struct TranscriptMessage
{
    QString id;
    QString role; // "user" | "assistant" | "system"
    QString status; // "complete" | "streaming" | "stopped" | "interrupted" | "error"
    QString errorMessage;
    int siblingIndex = 0;
    int siblingCount = 1;
};

// What the page shows, as C++ knows it, and the operations that bring the page
// up to date. Structural changes (insert, remove, reset) are recorded as they
// happen; content is rendered only when takeUpdates() runs, so many tokens
// between two pushes cost one render. A streaming message goes through its own
// StreamingMarkdownRenderer and sends only new stable blocks plus the tail, so
// the cost of a push does not grow with the message. Any other message is sent
// whole, rendered once by MarkdownRenderer. No Qt GUI or WebEngine types: the
// browser build can feed the same operations into its DOM.
// docs/transcript.md lists the operations.
class TranscriptDocument
{
public:
    TranscriptDocument();
    ~TranscriptDocument();
    TranscriptDocument(const TranscriptDocument &) = delete;
    TranscriptDocument &operator=(const TranscriptDocument &) = delete;

    void reset(const QList<TranscriptMessage> &messages);
    void insert(int index, const QList<TranscriptMessage> &messages);
    void remove(int index, int count);
    // textChanged: the text may have changed (a dataChanged naming the text
    // role, or no roles at all).
    void update(int index, const TranscriptMessage &message, bool textChanged);
    // The page lost its state (first load, reload): the next takeUpdates()
    // starts with a reset and sends every message whole.
    void resendAll();

    [[nodiscard]] int count() const { return int(m_entries.size()); }
    [[nodiscard]] bool hasPendingUpdates() const;
    // The operations since the last call, in the order the page must apply
    // them; empty when nothing changed. textAt(row) gives a message's current
    // markdown; it is called only for messages whose content changed. The
    // document keeps no reference to the text afterwards: holding one would
    // make the model's next in-place append copy the whole string.
    using TextProvider = std::function<QString(int row)>;
    [[nodiscard]] QJsonArray takeUpdates(const TextProvider &textAt);

private:
    struct Entry;
    void markDirty(Entry &entry);
    void appendContent(Entry &entry, const QString &text, QJsonArray &ops);

    std::vector<std::unique_ptr<Entry>> m_entries;
    qsizetype m_dirtyCount = 0;
    QJsonArray m_structural; // insert/remove since the last takeUpdates()
    bool m_resetPending = false;
};
