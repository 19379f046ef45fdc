#include "upstream/httpresponseparser.h"

#include <cctype>
#include <optional>

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

// A chunk-size line is a few hex digits and rarely an extension; anything
// long is an attack or garbage, not HTTP.
constexpr qsizetype maxChunkLineBytes = 4096;

bool sameName(QByteArrayView a, QByteArrayView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

bool isToken(QByteArrayView name)
{
    if (name.isEmpty())
        return false;
    for (const char c : name) {
        if (c <= ' ' || c == ':' || c == 127)
            return false;
    }
    return true;
}

// Comma-separated tokens of a header (Connection, Transfer-Encoding),
// trimmed and lowercased.
QList<QByteArray> tokens(const QByteArray &value)
{
    QList<QByteArray> out;
    for (const QByteArray &part : value.split(',')) {
        const QByteArray token = part.trimmed().toLower();
        if (!token.isEmpty())
            out.append(token);
    }
    return out;
}

// Index just past the first blank line at or after `from`, or -1.
qsizetype headEnd(const QByteArray &buffer, qsizetype from)
{
    qsizetype i = buffer.indexOf('\n', from);
    while (i >= 0) {
        if (i + 1 < buffer.size() && buffer.at(i + 1) == '\n')
            return i + 2;
        if (i + 2 < buffer.size() && buffer.at(i + 1) == '\r' && buffer.at(i + 2) == '\n')
            return i + 3;
        i = buffer.indexOf('\n', i + 1);
    }
    return -1;
}

} // namespace

QByteArray HttpResponseHead::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (sameName(key, name))
            return value;
    }
    return {};
}

HttpResponseParser::HttpResponseParser(qsizetype maxHeaderBytes)
    : m_maxHeaderBytes(maxHeaderBytes)
{ }

void HttpResponseParser::reset()
{
    *this = HttpResponseParser(m_maxHeaderBytes);
}

bool HttpResponseParser::fail(Error error, const QString &message)
{
    m_state = State::Failed;
    m_error = error;
    m_errorString = message;
    return false;
}

bool HttpResponseParser::feed(QByteArrayView data, QByteArray *body)
{
    qsizetype pos = 0;
    while (pos < data.size()) {
        const qsizetype before = pos;
        switch (m_state) {
        case State::Failed:
            return false;
        case State::Complete:
            // A second response we did not ask for: the connection is not
            // reusable, and the bytes mean nothing to this response.
            m_excess += data.size() - pos;
            return true;
        case State::Head: {
            const qsizetype searchFrom = std::max<qsizetype>(0, m_headBuffer.size() - 2);
            m_headBuffer.append(data.sliced(pos));
            pos = data.size();
            const qsizetype end = headEnd(m_headBuffer, searchFrom);
            if (end < 0 ? m_headBuffer.size() > m_maxHeaderBytes : end > m_maxHeaderBytes)
                return fail(Error::HeadersTooLarge,
                            u"response headers over %1 bytes"_s.arg(m_maxHeaderBytes));
            if (end < 0)
                break;
            // Give back what follows the head; it is body (or the next head).
            pos = data.size() - (m_headBuffer.size() - end);
            m_headBuffer.truncate(end);
            if (!parseHead(end) || !startBody())
                return false;
            m_headBuffer.clear();
            break;
        }
        case State::FixedBody:
        case State::ChunkData:
        case State::UntilClose: {
            qsizetype take = data.size() - pos;
            if (m_state != State::UntilClose)
                take = qsizetype(std::min<qint64>(take, m_remaining));
            body->append(data.sliced(pos, take));
            pos += take;
            if (m_state == State::UntilClose)
                break;
            m_remaining -= take;
            if (m_remaining == 0)
                m_state = m_state == State::FixedBody ? State::Complete : State::ChunkDataEnd;
            break;
        }
        case State::ChunkSize: {
            if (const Line line = takeLine(data, &pos, maxChunkLineBytes); line != Line::Complete) {
                if (line == Line::TooLong)
                    return fail(Error::Malformed, u"chunk size line too long"_s);
                break;
            }
            QByteArray digits = m_line;
            m_line.clear();
            if (const qsizetype semicolon = digits.indexOf(';'); semicolon >= 0)
                digits.truncate(semicolon);
            digits = digits.trimmed();
            bool ok = !digits.isEmpty() && digits.size() <= 15;
            for (const char c : std::as_const(digits))
                ok = ok && std::isxdigit(static_cast<unsigned char>(c));
            if (!ok)
                return fail(Error::Malformed, u"invalid chunk size"_s);
            m_remaining = digits.toLongLong(nullptr, 16);
            m_state = m_remaining == 0 ? State::Trailers : State::ChunkData;
            break;
        }
        case State::ChunkDataEnd:
            // Nothing but CR LF may follow a chunk's data.
            if (const Line line = takeLine(data, &pos, 0); line != Line::Complete) {
                if (line == Line::TooLong)
                    return fail(Error::Malformed, u"chunk data longer than its size"_s);
                break;
            }
            if (!m_line.isEmpty())
                return fail(Error::Malformed, u"chunk data longer than its size"_s);
            m_state = State::ChunkSize;
            break;
        case State::Trailers:
            if (const Line line = takeLine(data, &pos, m_maxHeaderBytes - m_trailerBytes);
                line != Line::Complete) {
                if (line == Line::TooLong)
                    return fail(Error::HeadersTooLarge, u"response trailers too large"_s);
                break;
            }
            m_trailerBytes += m_line.size() + 2;
            // Trailers carry nothing we use; the blank line ends the body.
            if (m_line.isEmpty())
                m_state = State::Complete;
            m_line.clear();
            break;
        }
        m_bytesSeen += pos - before;
    }
    return m_state != State::Failed;
}

HttpResponseParser::Line HttpResponseParser::takeLine(QByteArrayView data, qsizetype *pos,
                                                      qsizetype limit)
{
    const qsizetype newline = data.indexOf('\n', *pos);
    const qsizetype end = newline < 0 ? data.size() : newline;
    // The same verdict however the line is cut: its length, CR included,
    // never the size of the piece it came in.
    if (m_line.size() + (end - *pos) > limit + 1)
        return Line::TooLong;
    m_line.append(data.sliced(*pos, end - *pos));
    *pos = newline < 0 ? data.size() : newline + 1;
    if (newline < 0)
        return Line::Partial;
    if (m_line.endsWith('\r'))
        m_line.chop(1);
    else if (m_line.size() > limit)
        return Line::TooLong; // limit + 1 bytes is only allowed for a CR
    return Line::Complete;
}

bool HttpResponseParser::parseHead(qsizetype end)
{
    const QByteArrayView text = QByteArrayView(m_headBuffer).first(end);
    QList<QByteArrayView> lines;
    qsizetype start = 0;
    while (start < text.size()) {
        qsizetype nl = text.indexOf('\n', start);
        if (nl < 0)
            nl = text.size();
        QByteArrayView line = text.sliced(start, nl - start);
        if (line.endsWith('\r'))
            line.chop(1);
        lines.append(line);
        start = nl + 1;
    }
    while (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    if (lines.isEmpty())
        return fail(Error::Malformed, u"empty response head"_s);

    // HTTP/1.x SSS[ reason]
    const QByteArrayView status = lines.first();
    if (status.size() < 12 || !status.startsWith("HTTP/1.") || status.at(8) != ' '
        || !std::isdigit(static_cast<unsigned char>(status.at(7))))
        return fail(Error::Malformed, u"not an HTTP/1.x response"_s);
    int code = 0;
    for (int i = 9; i < 12; ++i) {
        const char c = status.at(i);
        if (!std::isdigit(static_cast<unsigned char>(c)))
            return fail(Error::Malformed, u"invalid status code"_s);
        code = code * 10 + (c - '0');
    }
    if (status.size() > 12 && status.at(12) != ' ')
        return fail(Error::Malformed, u"invalid status line"_s);
    m_head = HttpResponseHead {};
    m_head.status = code;
    m_head.minorVersion = status.at(7) - '0';
    m_head.reason = status.size() > 13 ? status.sliced(13).toByteArray() : QByteArray();

    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArrayView line = lines.at(i);
        if (line.startsWith(' ') || line.startsWith('\t')) {
            // Obsolete line folding: RFC 9112 says to read it as a space.
            if (m_head.headers.isEmpty())
                return fail(Error::Malformed, u"folded first header"_s);
            m_head.headers.last().second += ' ' + line.trimmed().toByteArray();
            continue;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.first(colon)))
            return fail(Error::Malformed, u"invalid header line"_s);
        m_head.headers.append(
            { line.first(colon).toByteArray(), line.sliced(colon + 1).trimmed().toByteArray() });
    }
    return true;
}

bool HttpResponseParser::startBody()
{
    const int status = m_head.status;
    if (status >= 100 && status < 200) {
        if (status == 101)
            return fail(Error::Malformed, u"unexpected protocol switch"_s);
        // Interim (100 Continue, 103 Early Hints): the real head follows.
        m_state = State::Head;
        return true;
    }
    m_headDone = true;
    m_closeRequested = m_head.minorVersion == 0;
    for (const auto &[name, value] : std::as_const(m_head.headers)) {
        if (!sameName(name, "connection"))
            continue;
        for (const QByteArray &token : tokens(value)) {
            if (token == "close")
                m_closeRequested = true;
            else if (token == "keep-alive" && m_head.minorVersion == 0)
                m_closeRequested = false;
        }
    }
    if (status == 204 || status == 304) {
        m_state = State::Complete;
        return true;
    }
    QList<QByteArray> transfer;
    std::optional<qint64> length;
    for (const auto &[name, value] : std::as_const(m_head.headers)) {
        if (sameName(name, "transfer-encoding")) {
            transfer += tokens(value);
        } else if (sameName(name, "content-length")) {
            for (const QByteArray &part : value.split(',')) {
                const QByteArray digits = part.trimmed();
                bool ok = !digits.isEmpty() && digits.size() <= 18;
                for (const char c : digits)
                    ok = ok && c >= '0' && c <= '9';
                if (!ok || (length && *length != digits.toLongLong()))
                    return fail(Error::Malformed, u"invalid content-length"_s);
                length = digits.toLongLong();
            }
        }
    }
    if (!transfer.isEmpty()) {
        // RFC 9112 6.3: chunked last means chunked; any other coding is
        // read until the connection closes. Never reuse a connection whose
        // message carried both framings.
        if (length)
            m_closeRequested = true;
        if (transfer.last() == "chunked") {
            m_state = State::ChunkSize;
        } else {
            m_state = State::UntilClose;
            m_closeRequested = true;
        }
        return true;
    }
    if (length) {
        m_remaining = *length;
        m_state = m_remaining == 0 ? State::Complete : State::FixedBody;
        return true;
    }
    m_state = State::UntilClose;
    m_closeRequested = true;
    return true;
}

bool HttpResponseParser::finishAtEof()
{
    switch (m_state) {
    case State::Complete:
        return true;
    case State::UntilClose:
        m_state = State::Complete;
        return true;
    case State::Failed:
        return false;
    case State::Head:
        return fail(Error::Truncated,
                    m_headBuffer.isEmpty() && m_bytesSeen == 0
                        ? u"connection closed before the response"_s
                        : u"connection closed inside the response headers"_s);
    default:
        return fail(Error::Truncated, u"connection closed before the response body ended"_s);
    }
}

bool HttpResponseParser::keepAlive() const
{
    return m_state == State::Complete && !m_closeRequested && m_excess == 0;
}

} // namespace parlance
