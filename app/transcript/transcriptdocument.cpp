#include "transcriptdocument.h"

#include "markdown/markdownrenderer.h"
#include "markdown/streamingmarkdownrenderer.h"

#include <QHash>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

const QString streamingStatus = u"streaming"_s;

// How much of the text already fed to a streaming renderer is compared with
// the new text to tell an append from a replacement (a regenerated answer).
// Comparing the whole prefix would make every push cost O(message length).
constexpr qsizetype appendCheckWindow = 32;

QJsonArray toJson(const QStringList &list)
{
    QJsonArray out;
    for (const QString &s : list)
        out.append(s);
    return out;
}

} // namespace

struct TranscriptDocument::Entry
{
    TranscriptMessage message;
    // Only while the message streams (and until its last push).
    std::unique_ptr<parlance::StreamingMarkdownRenderer> stream;
    qsizetype fed = 0; // UTF-16 units of the text given to `stream`
    QString fedWindow; // a copy of the last appendCheckWindow of them
    size_t sentHash = 0; // of the text last sent whole (html op)
    qsizetype sentSize = -1;
    bool metaDirty = true;
    bool contentDirty = true;
    bool sendWhole = true; // the page has none of this message's content
    bool queued = false; // counted in m_dirtyCount
};

TranscriptDocument::TranscriptDocument() = default;
TranscriptDocument::~TranscriptDocument() = default;

void TranscriptDocument::reset(const QList<TranscriptMessage> &messages)
{
    m_entries.clear();
    m_dirtyCount = 0;
    m_structural = QJsonArray();
    m_resetPending = true; // the reset op carries every id: no insert op
    insert(0, messages);
}

void TranscriptDocument::insert(int index, const QList<TranscriptMessage> &messages)
{
    if (messages.isEmpty())
        return;
    index = std::clamp(index, 0, count());
    QJsonArray ids;
    std::vector<std::unique_ptr<Entry>> fresh;
    fresh.reserve(size_t(messages.size()));
    for (const TranscriptMessage &m : messages) {
        auto entry = std::make_unique<Entry>();
        entry->message = m;
        ids.append(m.id);
        markDirty(*entry);
        fresh.push_back(std::move(entry));
    }
    m_entries.insert(m_entries.begin() + index, std::make_move_iterator(fresh.begin()),
                     std::make_move_iterator(fresh.end()));
    if (!m_resetPending)
        m_structural.append(
            QJsonObject { { u"op"_s, u"insert"_s }, { u"index"_s, index }, { u"ids"_s, ids } });
}

void TranscriptDocument::remove(int index, int count)
{
    if (index < 0 || count <= 0 || index + count > this->count())
        return;
    const auto first = m_entries.begin() + index;
    const auto last = first + count;
    for (auto it = first; it != last; ++it)
        m_dirtyCount -= (*it)->queued ? 1 : 0;
    m_entries.erase(first, last);
    if (!m_resetPending)
        m_structural.append(
            QJsonObject { { u"op"_s, u"remove"_s }, { u"index"_s, index }, { u"count"_s, count } });
}

void TranscriptDocument::update(int index, const TranscriptMessage &message, bool textChanged)
{
    if (index < 0 || index >= count())
        return;
    Entry &e = *m_entries[size_t(index)];
    TranscriptMessage &old = e.message;
    const bool metaChanged = old.id != message.id || old.role != message.role
        || old.status != message.status || old.errorMessage != message.errorMessage
        || old.siblingIndex != message.siblingIndex || old.siblingCount != message.siblingCount;
    if (old.id != message.id)
        e.sendWhole = true; // the page knows the message by its id
    // The end of a stream turns its tail into stable blocks.
    const bool streamEnded = e.stream && message.status != streamingStatus;
    old = message;
    e.metaDirty = e.metaDirty || metaChanged;
    e.contentDirty = e.contentDirty || textChanged || streamEnded;
    if (e.metaDirty || e.contentDirty)
        markDirty(e);
}

void TranscriptDocument::resendAll()
{
    m_resetPending = true;
    m_structural = QJsonArray();
    for (auto &e : m_entries) {
        e->metaDirty = e->contentDirty = e->sendWhole = true;
        markDirty(*e);
    }
}

bool TranscriptDocument::hasPendingUpdates() const
{
    return m_resetPending || !m_structural.isEmpty() || m_dirtyCount > 0;
}

void TranscriptDocument::markDirty(Entry &entry)
{
    if (entry.queued)
        return;
    entry.queued = true;
    ++m_dirtyCount;
}

QJsonArray TranscriptDocument::takeUpdates(const TextProvider &textAt)
{
    QJsonArray ops;
    if (m_resetPending) {
        QJsonArray ids;
        for (const auto &e : m_entries)
            ids.append(e->message.id);
        ops.append(QJsonObject { { u"op"_s, u"reset"_s }, { u"ids"_s, ids } });
        m_resetPending = false;
    }
    for (const QJsonValue &op : std::as_const(m_structural))
        ops.append(op);
    m_structural = QJsonArray();

    // A scan of flags: cheap next to rendering, and independent of how long
    // the messages are.
    for (size_t row = 0; m_dirtyCount > 0 && row < m_entries.size(); ++row) {
        Entry &e = *m_entries[row];
        if (!e.queued)
            continue;
        e.queued = false;
        --m_dirtyCount;
        if (e.metaDirty) {
            const TranscriptMessage &m = e.message;
            ops.append(QJsonObject { { u"op"_s, u"meta"_s },
                                     { u"id"_s, m.id },
                                     { u"role"_s, m.role },
                                     { u"status"_s, m.status },
                                     { u"error"_s, m.errorMessage },
                                     { u"siblingIndex"_s, m.siblingIndex },
                                     { u"siblingCount"_s, m.siblingCount } });
            e.metaDirty = false;
        }
        if (e.contentDirty || e.sendWhole)
            appendContent(e, textAt(int(row)), ops);
    }
    return ops;
}

void TranscriptDocument::appendContent(Entry &e, const QString &text, QJsonArray &ops)
{
    const TranscriptMessage &m = e.message;
    const bool streaming = m.status == streamingStatus;
    e.contentDirty = false;

    if (!streaming && !e.stream) {
        // A finished message: sent whole, once per change of its text.
        const size_t hash = qHash(text);
        if (!e.sendWhole && hash == e.sentHash && text.size() == e.sentSize)
            return;
        ops.append(QJsonObject { { u"op"_s, u"html"_s },
                                 { u"id"_s, m.id },
                                 { u"html"_s, parlance::MarkdownRenderer::toHtml(text) } });
        e.sentHash = hash;
        e.sentSize = text.size();
        e.sendWhole = false;
        return;
    }

    bool restart = !e.stream;
    if (e.stream) {
        // Anything but an append to the text fed so far starts the message over.
        restart = text.size() < e.fed
            || QStringView(text).sliced(e.fed - e.fedWindow.size(), e.fedWindow.size())
                != e.fedWindow;
    } else {
        e.stream = std::make_unique<parlance::StreamingMarkdownRenderer>();
    }
    if (restart) {
        e.stream->reset();
        e.fed = 0;
    }
    const bool whole = restart || e.sendWhole;
    const QStringView delta = QStringView(text).sliced(e.fed);
    if (streaming && !whole && delta.isEmpty())
        return; // a dataChanged that added no text

    parlance::StreamUpdate update = e.stream->append(delta);
    e.fed = text.size();
    const qsizetype window = std::min(appendCheckWindow, e.fed);
    e.fedWindow = QStringView(text).sliced(e.fed - window, window).toString();
    if (!streaming) {
        // The message ended (complete, stopped, error…): the tail becomes
        // stable blocks and the renderer is no longer needed.
        parlance::StreamUpdate last = e.stream->finish();
        update.newStableBlocks += last.newStableBlocks;
        update.tailHtml = last.tailHtml;
    }

    QJsonObject op { { u"op"_s, u"stream"_s }, { u"id"_s, m.id } };
    if (whole) {
        op.insert(u"keep"_s, 0);
        op.insert(u"blocks"_s, toJson(e.stream->stableBlocks()));
    } else {
        op.insert(u"keep"_s, update.firstChangedBlock);
        op.insert(u"blocks"_s, toJson(update.newStableBlocks));
    }
    op.insert(u"tail"_s, update.tailHtml);
    ops.append(op);
    e.sendWhole = false;
    if (!streaming) {
        e.sentHash = qHash(text);
        e.sentSize = text.size();
        e.stream.reset();
        e.fed = 0;
        e.fedWindow.clear();
    }
}
