#include "httpresponsereader.h"

#include <QByteArrayView>
#include <QList>

namespace parlance::loadgen {

void HttpResponseReader::reset()
{
    m_buffer.clear();
    m_state = State::Headers;
    m_current = {};
    m_remaining = 0;
    m_failed = false;
}

std::optional<HttpResponseReader::Response> HttpResponseReader::finish()
{
    const Response done = m_current;
    m_current = {};
    m_state = State::Headers;
    return done;
}

bool HttpResponseReader::parseHeaders(qsizetype end)
{
    const QList<QByteArray> lines = m_buffer.left(end).split('\n');
    const QByteArray statusLine = lines.value(0).trimmed();
    // "HTTP/1.1 200 OK"
    const QList<QByteArray> words = statusLine.split(' ');
    if (words.size() < 2 || !words[0].startsWith("HTTP/1."))
        return false;
    bool ok = false;
    m_current.status = words[1].toInt(&ok);
    if (!ok)
        return false;
    m_current.closeConnection = words[0] == "HTTP/1.0";
    qint64 contentLength = 0;
    bool chunked = false;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines[i];
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed().toLower();
        if (name == "content-length")
            contentLength = value.toLongLong();
        else if (name == "transfer-encoding")
            chunked = value.contains("chunked");
        else if (name == "connection")
            m_current.closeConnection = value.contains("close");
    }
    m_buffer.remove(0, end + 4);
    if (chunked) {
        m_state = State::ChunkSize;
    } else {
        m_remaining = contentLength;
        m_state = State::FixedBody;
    }
    return true;
}

std::optional<HttpResponseReader::Response> HttpResponseReader::feed(const QByteArray &bytes)
{
    if (m_failed)
        return std::nullopt;
    m_buffer.append(bytes);
    for (;;) {
        switch (m_state) {
        case State::Headers: {
            const qsizetype end = m_buffer.indexOf("\r\n\r\n");
            if (end < 0) {
                m_failed = m_buffer.size() > 64 * 1024;
                return std::nullopt;
            }
            if (!parseHeaders(end)) {
                m_failed = true;
                return std::nullopt;
            }
            break;
        }
        case State::FixedBody: {
            const qint64 take = std::min<qint64>(m_remaining, m_buffer.size());
            m_buffer.remove(0, take);
            m_remaining -= take;
            if (m_remaining > 0)
                return std::nullopt;
            return finish();
        }
        case State::ChunkSize: {
            const qsizetype end = m_buffer.indexOf("\r\n");
            if (end < 0)
                return std::nullopt;
            bool ok = false;
            const QByteArray sizeText = m_buffer.left(end).split(';').value(0).trimmed();
            m_remaining = sizeText.toLongLong(&ok, 16);
            if (!ok) {
                m_failed = true;
                return std::nullopt;
            }
            m_buffer.remove(0, end + 2);
            m_state = m_remaining == 0 ? State::ChunkTrailer : State::ChunkData;
            break;
        }
        case State::ChunkData: {
            // The chunk and its CRLF.
            if (m_buffer.size() < m_remaining + 2)
                return std::nullopt;
            m_buffer.remove(0, m_remaining + 2);
            m_state = State::ChunkSize;
            break;
        }
        case State::ChunkTrailer: {
            // Trailer lines end with an empty line; without trailers that is
            // just the CRLF after "0".
            const qsizetype end = m_buffer.indexOf("\r\n");
            if (end < 0)
                return std::nullopt;
            m_buffer.remove(0, end + 2);
            if (end == 0)
                return finish();
            break;
        }
        }
    }
}

} // namespace parlance::loadgen
