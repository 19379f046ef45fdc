#pragma once

#include "upstream/httprequest.h"

#include <QByteArray>
#include <QString>

namespace parlance {

// Status line and headers of one response.
struct HttpResponseHead
{
    int status = 0;
    int minorVersion = 1; // HTTP/1.x
    QByteArray reason;
    HttpHeaderList headers; // names as received

    // The first header of that name (case-insensitive); empty when absent.
    [[nodiscard]] QByteArray header(QByteArrayView name) const;
};

// Incremental HTTP/1.1 response parser: feed it whatever the socket had, in
// pieces of any size; it returns the decoded body bytes (Content-Length,
// chunked, or until the connection closes). Pure: no I/O, no Qt objects, so
// it is tested split at every byte boundary and fuzzable.
class HttpResponseParser
{
public:
    enum class Error {
        None,
        Malformed,
        HeadersTooLarge,
        // The connection closed before the response ended.
        Truncated,
    };

    static constexpr qsizetype defaultMaxHeaderBytes = 64 * 1024;

    explicit HttpResponseParser(qsizetype maxHeaderBytes = defaultMaxHeaderBytes);

    // Ready for the next response on the same connection.
    void reset();

    // Consumes `data`, appending decoded body bytes to `*body`. False once
    // the response is malformed (error() says how); bytes after the end of
    // the response are counted in excessBytes() and not parsed.
    bool feed(QByteArrayView data, QByteArray *body);
    // The peer closed the connection: ends an until-close body; anything
    // else unfinished becomes Truncated. False on error.
    bool finishAtEof();

    [[nodiscard]] bool headComplete() const { return m_headDone; }
    [[nodiscard]] const HttpResponseHead &head() const { return m_head; }
    [[nodiscard]] bool isComplete() const { return m_state == State::Complete; }
    // Response bytes seen so far (head included, interim 1xx responses too).
    [[nodiscard]] qint64 bytesSeen() const { return m_bytesSeen; }
    // The connection may carry another request once this one is complete:
    // HTTP/1.1 without `connection: close`, a framed body, nothing extra.
    [[nodiscard]] bool keepAlive() const;
    [[nodiscard]] qsizetype excessBytes() const { return m_excess; }
    [[nodiscard]] Error error() const { return m_error; }
    [[nodiscard]] const QString &errorString() const { return m_errorString; }

private:
    enum class State {
        Head,
        FixedBody,
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        Trailers,
        UntilClose,
        Complete,
        Failed
    };

    bool fail(Error error, const QString &message);
    // Parses m_headBuffer up to `end` (the blank line). False on error.
    bool parseHead(qsizetype end);
    bool startBody();
    enum class Line { Complete, Partial, TooLong };
    // Appends up to the next LF to m_line; Complete when the line ended
    // (m_line then holds it without CR LF), TooLong past `limit` bytes.
    Line takeLine(QByteArrayView data, qsizetype *pos, qsizetype limit);

    qsizetype m_maxHeaderBytes;
    State m_state = State::Head;
    HttpResponseHead m_head;
    QByteArray m_headBuffer;
    QByteArray m_line;
    qint64 m_remaining = 0; // of a Content-Length body or of the current chunk
    qsizetype m_trailerBytes = 0;
    qint64 m_bytesSeen = 0;
    qsizetype m_excess = 0;
    bool m_headDone = false;
    bool m_closeRequested = false;
    Error m_error = Error::None;
    QString m_errorString;
};

} // namespace parlance
