#pragma once

#include <QByteArray>

#include <optional>

namespace parlance::loadgen {

// Reads HTTP/1.1 responses off a keep-alive connection, one at a time:
// status line, headers, then a body framed by Content-Length or chunked
// encoding. The body is skipped, not kept: the generator only needs the
// status and where the next response starts.
class HttpResponseReader
{
public:
    struct Response
    {
        int status = 0;
        bool closeConnection = false; // "Connection: close": the server ends the socket.
    };

    // Appends bytes; returns a response once one is complete (call again
    // with empty input to take a second one that arrived in the same read).
    [[nodiscard]] std::optional<Response> feed(const QByteArray &bytes);
    // True when the input cannot be HTTP (the connection must be dropped).
    [[nodiscard]] bool failed() const { return m_failed; }
    void reset();

private:
    enum class State { Headers, FixedBody, ChunkSize, ChunkData, ChunkTrailer };

    bool parseHeaders(qsizetype end);
    std::optional<Response> finish();

    QByteArray m_buffer;
    State m_state = State::Headers;
    Response m_current;
    qint64 m_remaining = 0;
    bool m_failed = false;
};

} // namespace parlance::loadgen
