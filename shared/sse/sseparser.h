#pragma once

#include "common/result.h"
#include "sse/sseevent.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace parlance {

// An incremental text/event-stream parser that follows the WHATWG HTML
// "Interpreting an event stream" rules exactly. Feed it network chunks split
// anywhere (between CR and LF, inside a UTF-8 sequence, inside the leading
// BOM); it scans bytes for line ends and decodes UTF-8 once per event field,
// so the cost per byte is a memchr, not a QString append.
//
// Events go to the event handler if one is set, otherwise into a queue that
// takeEvents() drains. Handlers run synchronously inside feed(); a handler may
// call reset() or restart() (the rest of that chunk is then dropped) but must
// not call feed() or finish(), nor destroy the parser.
//
// Memory is bounded: a line longer than Limits::maxLineBytes or an event whose
// data exceeds Limits::maxEventBytes puts the parser into an error state (code
// `malformed_response`) before the bytes are buffered, so a hostile server
// sending an endless line cannot exhaust the client's memory.
class SseParser
{
public:
    struct Limits
    {
        // Longest line (without its terminator) the parser will buffer.
        qsizetype maxLineBytes = 4 * 1024 * 1024;
        // Largest data buffer of one event (UTF-8 bytes, joining '\n's included).
        qsizetype maxEventBytes = 16 * 1024 * 1024;
    };

    enum class Error {
        None,
        LineTooLong,
        EventTooLarge,
    };

    // The handler may move from the event.
    using EventHandler = std::function<void(SseEvent &event)>;
    // A comment line (one starting with ':'): the UTF-8 text after the colon
    // with one leading space removed, valid only during the call. Heartbeats
    // (": ping") arrive here.
    using CommentHandler = std::function<void(QByteArrayView comment)>;

    SseParser();
    explicit SseParser(Limits limits);

    void setEventHandler(EventHandler handler) { m_onEvent = std::move(handler); }
    void setCommentHandler(CommentHandler handler) { m_onComment = std::move(handler); }
    void setLimits(Limits limits) { m_limits = limits; }
    [[nodiscard]] Limits limits() const { return m_limits; }

    // Parses the next bytes of the stream. Returns the error once the parser is
    // in the error state (then and for every later call until reset()).
    [[nodiscard]] Status feed(QByteArrayView chunk);
    // End of stream: an incomplete event (no blank line yet) or line is
    // discarded, as the spec requires. Leaves the parser ready for the next
    // connection, as restart() does. Returns the error if there was one.
    [[nodiscard]] Status finish();

    // Events dispatched while no event handler was set, oldest first.
    [[nodiscard]] QList<SseEvent> takeEvents();

    // The last event ID string (what a reconnect sends as Last-Event-ID).
    [[nodiscard]] QString lastEventId() const { return m_lastEventId; }
    // The reconnection time set by the last valid `retry` field, if any.
    [[nodiscard]] std::optional<int> reconnectionTimeMs() const { return m_reconnectionMs; }
    // Comment lines seen since construction or reset() (heartbeats included).
    [[nodiscard]] qint64 commentCount() const { return m_commentCount; }
    // True when bytes of an unfinished line or event are buffered: finish()
    // now would discard them (the stream was cut mid-event).
    [[nodiscard]] bool hasPendingData() const;

    [[nodiscard]] Error error() const { return m_error; }
    [[nodiscard]] bool hasError() const { return m_error != Error::None; }

    // A new connection of the same event source: drops partial lines and the
    // unfinished event, clears the error, expects a BOM again, but keeps the
    // last event ID and the reconnection time (browsers keep them too, and
    // they are what resuming needs).
    void restart();
    // Everything back to the state of a new parser; handlers and limits stay.
    void reset();

private:
    void feedLines(const char *p, const char *end);
    void processLine(QByteArrayView line);
    void processField(QByteArrayView name, QByteArrayView value);
    void dispatch();
    void keepDataBeyondChunk();
    void fail(Error error);
    [[nodiscard]] Status status() const;

    EventHandler m_onEvent;
    CommentHandler m_onComment;
    Limits m_limits;

    QByteArray m_line; // the unfinished line carried over from earlier chunks
    QByteArray m_data; // the data buffer, as UTF-8
    // The data buffer while it is one line still inside the chunk being fed
    // (it then becomes m_data before feed() returns).
    std::optional<QByteArrayView> m_dataInChunk;
    QByteArray m_eventType; // the event type buffer, as UTF-8
    QByteArray m_idBuffer; // the last event ID buffer, as UTF-8
    QByteArray m_lastEventIdBytes; // what m_lastEventId was decoded from
    QString m_lastEventId;
    QByteArray m_cachedTypeBytes; // the last decoded event type, reused
    QString m_cachedType;
    std::optional<int> m_reconnectionMs;
    std::optional<int> m_pendingRetry; // a retry seen since the last dispatch
    QList<SseEvent> m_queue;
    qint64 m_commentCount = 0;
    quint64 m_generation = 0; // bumped by reset()/restart() so feed() notices
    int m_bomMatched = 0; // BOM bytes matched at stream start; 3 = no more BOM
    bool m_skipLf = false; // the previous chunk ended in CR: a leading LF belongs to it
    bool m_inFeed = false;
    bool m_lineIsCarried = false; // the line being processed is in m_line
    Error m_error = Error::None;
};

} // namespace parlance
