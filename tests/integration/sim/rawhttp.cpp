#include "rawhttp.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QTcpSocket>

QJsonObject RawResponse::json() const
{
    return QJsonDocument::fromJson(body).object();
}

namespace {

// Parses what arrived so far; sets `complete` once the body is whole.
void parse(RawResponse &r)
{
    const qsizetype headerEnd = r.raw.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return;
    const QList<QByteArray> lines = r.raw.left(headerEnd).split('\n');
    r.status = lines.first().split(' ').value(1).toInt();
    r.headers.clear();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        r.headers.insert(lines[i].left(colon).trimmed().toLower(),
                         lines[i].mid(colon + 1).trimmed());
    }
    const QByteArray rest = r.raw.mid(headerEnd + 4);
    r.body.clear();
    r.complete = false;
    if (r.header("transfer-encoding") == "chunked") {
        qsizetype pos = 0;
        while (true) {
            const qsizetype lineEnd = rest.indexOf("\r\n", pos);
            if (lineEnd < 0)
                return;
            bool ok = false;
            const qsizetype size = rest.mid(pos, lineEnd - pos).toLongLong(&ok, 16);
            if (!ok || rest.size() < lineEnd + 2 + size + 2)
                return;
            if (size == 0) {
                r.complete = true;
                return;
            }
            r.body += rest.mid(lineEnd + 2, size);
            pos = lineEnd + 2 + size + 2;
        }
    }
    const qsizetype length = r.header("content-length").toLongLong();
    r.body = rest.left(length);
    r.complete = rest.size() >= length;
}

} // namespace

RawResponse rawRequest(quint16 port, const QByteArray &method, const QByteArray &path,
                       const QList<std::pair<QByteArray, QByteArray>> &headers,
                       const QByteArray &body, int timeoutMs)
{
    RawResponse r;
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!socket.waitForConnected(5000))
        return r;
    QByteArray request = method + ' ' + path + " HTTP/1.1\r\nhost: 127.0.0.1\r\n";
    for (const auto &[name, value] : headers)
        request += name + ": " + value + "\r\n";
    if (!body.isEmpty() || method == "POST")
        request += "content-type: application/json\r\ncontent-length: "
            + QByteArray::number(body.size()) + "\r\n";
    request += "\r\n" + body;
    socket.write(request);
    socket.waitForBytesWritten(5000);

    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < timeoutMs) {
        if (socket.bytesAvailable() == 0
            && !socket.waitForReadyRead(int(qMin<qint64>(100, timeoutMs - clock.elapsed())))) {
            if (socket.state() != QAbstractSocket::ConnectedState) {
                r.closedByPeer = true;
                break;
            }
            continue;
        }
        const QByteArray data = socket.readAll();
        if (data.isEmpty())
            continue;
        if (r.msToFirstByte < 0)
            r.msToFirstByte = clock.elapsed();
        const qsizetype before = r.body.size();
        r.raw += data;
        parse(r);
        if (r.msToFirstBodyByte < 0 && r.body.size() > before && before == 0)
            r.msToFirstBodyByte = clock.elapsed();
        if (r.complete)
            break;
    }
    r.raw += socket.readAll();
    parse(r);
    r.msToEnd = clock.elapsed();
    return r;
}

QList<SseEvent> parseSse(const QByteArray &body)
{
    QList<SseEvent> events;
    qsizetype pos = 0;
    while (pos < body.size()) {
        qsizetype end = body.indexOf("\n\n", pos);
        if (end < 0)
            end = body.size();
        SseEvent event;
        for (const QByteArray &line : body.mid(pos, end - pos).split('\n')) {
            if (line.startsWith("event: "))
                event.event = line.mid(7);
            else if (line.startsWith("data: "))
                event.data = line.mid(6);
        }
        if (!event.event.isEmpty() || !event.data.isEmpty())
            events.append(event);
        pos = end + 2;
    }
    return events;
}
