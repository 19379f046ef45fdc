#include "streamclient.h"

#include <chrono>

using namespace Qt::StringLiterals;

namespace parlance::bench {

qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

StreamConnection::StreamConnection(Handlers handlers, QObject *parent)
    : QObject(parent)
    , m_handlers(std::move(handlers))
{
    // Small writes must leave at once: the TTFT clock starts when they do.
    connect(&m_socket, &QTcpSocket::connected, this, [this] {
        m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
        if (!m_pending.isEmpty()) {
            m_sentAt = nowNs();
            m_socket.write(m_pending);
            m_pending.clear();
        }
    });
    connect(&m_socket, &QTcpSocket::readyRead, this, &StreamConnection::onReadyRead);
    connect(&m_socket, &QTcpSocket::disconnected, this, &StreamConnection::onDisconnected);
    connect(&m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError e) {
        if (e != QAbstractSocket::RemoteHostClosedError)
            fail(m_socket.errorString());
    });
}

void StreamConnection::open(const QHostAddress &source, quint16 port, const QByteArray &request)
{
    m_pending = request;
    if (!source.isNull())
        m_socket.bind(source, 0);
    m_socket.connectToHost(QHostAddress(QHostAddress::LocalHost), port);
}

void StreamConnection::send(const QByteArray &request)
{
    m_state = State::Head;
    m_body.clear();
    m_sentAt = nowNs();
    m_socket.write(request);
}

void StreamConnection::close()
{
    m_closedReported = true; // Our own close is not news for the handlers.
    m_socket.abort();
}

void StreamConnection::fail(const QString &error)
{
    if (m_closedReported)
        return;
    m_closedReported = true;
    m_socket.abort();
    if (m_handlers.closed)
        m_handlers.closed(error);
}

void StreamConnection::onDisconnected()
{
    if (m_state == State::UntilClose) {
        m_state = State::Done;
        finishResponse();
    }
    fail(m_state == State::Head && m_status == 0 ? u"closed before an answer"_s : QString());
}

void StreamConnection::onReadyRead()
{
    m_buffer += m_socket.readAll();
    parse();
}

bool StreamConnection::parseHead()
{
    const qsizetype end = m_buffer.indexOf("\r\n\r\n");
    if (end < 0)
        return false;
    const QByteArray head = m_buffer.left(end);
    m_buffer.remove(0, end + 4);
    const qsizetype lineEnd = head.indexOf("\r\n");
    const QList<QByteArray> words = head.left(lineEnd < 0 ? head.size() : lineEnd).split(' ');
    m_status = words.size() >= 2 ? words[1].toInt() : 0;
    m_sse = false;
    bool chunked = false;
    qint64 length = -1;
    for (const QByteArray &line : head.mid(lineEnd + 2).split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon < 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "content-length")
            length = value.toLongLong();
        else if (name == "transfer-encoding" && value.toLower().contains("chunked"))
            chunked = true;
        else if (name == "content-type" && value.startsWith("text/event-stream"))
            m_sse = true;
    }
    m_body.clear();
    m_event.clear();
    m_data.clear();
    m_id = -1;
    if (chunked) {
        m_state = State::Chunked;
        m_chunkData = false;
    } else if (length >= 0) {
        m_state = State::Sized;
        m_remaining = length;
    } else {
        m_state = State::UntilClose;
    }
    return true;
}

void StreamConnection::parse()
{
    for (;;) {
        switch (m_state) {
        case State::Head:
            if (!parseHead())
                return;
            if (m_state == State::Sized && m_remaining == 0) {
                m_state = State::Done;
                finishResponse();
            }
            break;
        case State::Sized: {
            const qsizetype take = qsizetype(qMin<qint64>(m_remaining, m_buffer.size()));
            body(m_buffer.constData(), take);
            m_buffer.remove(0, take);
            m_remaining -= take;
            if (m_remaining > 0)
                return;
            m_state = State::Done;
            finishResponse();
            break;
        }
        case State::UntilClose:
            body(m_buffer.constData(), m_buffer.size());
            m_buffer.clear();
            return;
        case State::Chunked:
            if (!m_chunkData) {
                // The CRLF that ends a chunk's data, then the next size line.
                if (m_buffer.startsWith("\r\n"))
                    m_buffer.remove(0, 2);
                const qsizetype eol = m_buffer.indexOf("\r\n");
                if (eol < 0)
                    return;
                bool ok = false;
                m_remaining = m_buffer.left(eol).split(';').first().trimmed().toLongLong(&ok, 16);
                if (!ok)
                    return fail(u"bad chunk size"_s);
                if (m_remaining == 0) {
                    // No trailers from our servers: the last chunk is "0\r\n\r\n".
                    if (m_buffer.size() < eol + 4)
                        return;
                    m_buffer.remove(0, eol + 4);
                    m_state = State::Done;
                    finishResponse();
                    break;
                }
                m_buffer.remove(0, eol + 2);
                m_chunkData = true;
            } else {
                const qsizetype take = qsizetype(qMin<qint64>(m_remaining, m_buffer.size()));
                body(m_buffer.constData(), take);
                m_buffer.remove(0, take);
                m_remaining -= take;
                if (m_remaining > 0)
                    return;
                m_chunkData = false;
            }
            break;
        case State::Done:
            return;
        }
        if (m_closedReported)
            return;
    }
}

void StreamConnection::body(const char *data, qsizetype size)
{
    m_body.append(data, size);
    if (m_sse)
        sseLines();
}

void StreamConnection::sseLines()
{
    qsizetype start = 0;
    for (;;) {
        const qsizetype eol = m_body.indexOf('\n', start);
        if (eol < 0)
            break;
        qsizetype end = eol;
        if (end > start && m_body[end - 1] == '\r')
            --end;
        const QByteArrayView line(m_body.constData() + start, end - start);
        start = eol + 1;
        if (line.isEmpty()) {
            if (!m_data.isEmpty() || !m_event.isEmpty()) {
                if (m_handlers.event)
                    m_handlers.event(m_event, m_id, m_data);
                if (m_closedReported)
                    return;
            }
            m_event.clear();
            m_data.clear();
            m_id = -1;
            continue;
        }
        const auto value = [&line](qsizetype skip) {
            QByteArrayView v = line.sliced(skip);
            if (v.startsWith(' '))
                v = v.sliced(1);
            return v;
        };
        if (line.startsWith("data:")) {
            if (!m_data.isEmpty())
                m_data += '\n';
            m_data += value(5);
        } else if (line.startsWith("event:")) {
            m_event = value(6).toByteArray();
        } else if (line.startsWith("id:")) {
            m_id = value(3).toLongLong();
        }
    }
    m_body.remove(0, start);
}

void StreamConnection::finishResponse()
{
    if (m_handlers.response)
        m_handlers.response(m_status, m_sse ? QByteArray() : m_body);
    m_body.clear();
}

} // namespace parlance::bench
