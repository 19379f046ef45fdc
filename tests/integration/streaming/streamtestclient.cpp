#include "streamtestclient.h"

#include "sse/sseparser.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QTcpSocket>

using namespace Qt::StringLiterals;
using parlance::SseParser;

QString StreamRead::text() const
{
    QString out;
    for (const SseEvent &event : events) {
        if (event.type == u"delta")
            out +=
                QJsonDocument::fromJson(event.data.toUtf8()).object().value(u"text"_s).toString();
    }
    return out;
}

QStringList StreamRead::types() const
{
    QStringList out;
    for (const SseEvent &event : events)
        out.append(event.type);
    return out;
}

QString StreamRead::lastId() const
{
    return events.isEmpty() ? QString() : events.last().id;
}

QJsonObject StreamRead::data(int index) const
{
    return QJsonDocument::fromJson(events.at(index).data.toUtf8()).object();
}

std::optional<SseEvent> StreamRead::last(const QString &type) const
{
    for (qsizetype i = events.size() - 1; i >= 0; --i) {
        if (events.at(i).type == type)
            return events.at(i);
    }
    return std::nullopt;
}

QJsonObject StreamRead::errorJson() const
{
    return QJsonDocument::fromJson(body).object().value(u"error"_s).toObject();
}

StreamRead readStream(quint16 port, const StreamRequest &request)
{
    StreamRead out;
    QTcpSocket socket;
    socket.connectToHost(u"127.0.0.1"_s, port);
    if (!socket.waitForConnected(5000)) {
        out.error = u"connect: "_s + socket.errorString();
        return out;
    }
    QByteArray head = "GET " + request.path.toUtf8() + " HTTP/1.1\r\nHost: 127.0.0.1:"
        + QByteArray::number(port) + "\r\nAccept: text/event-stream\r\n";
    if (!request.token.isEmpty())
        head += "Authorization: Bearer " + request.token + "\r\n";
    if (request.lastEventIdHeader)
        head += "Last-Event-ID: " + *request.lastEventIdHeader + "\r\n";
    head += "\r\n";
    socket.write(head);

    SseParser parser;
    QByteArray buffer;
    bool inBody = false;
    bool isSse = false;
    const QDeadlineTimer deadline(request.timeoutMs);
    for (;;) {
        if (socket.bytesAvailable() == 0
            && !socket.waitForReadyRead(int(std::max<qint64>(1, deadline.remainingTime())))) {
            if (socket.state() != QAbstractSocket::ConnectedState)
                out.closedByServer = true;
            else
                out.error = u"timeout"_s;
            break;
        }
        buffer += socket.readAll();
        if (!inBody) {
            const qsizetype end = buffer.indexOf("\r\n\r\n");
            if (end < 0)
                continue;
            out.head = buffer.first(end);
            out.status = out.head.mid(9, 3).toInt();
            isSse = out.head.toLower().contains("content-type: text/event-stream");
            buffer = buffer.sliced(end + 4);
            inBody = true;
        }
        if (!isSse) {
            out.body += buffer;
            buffer.clear();
            const qsizetype at = out.head.toLower().indexOf("content-length: ");
            if (at >= 0 && out.body.size() >= out.head.mid(at + 16).split('\r').first().toInt())
                break;
            continue;
        }
        out.raw += buffer;
        if (!parser.feed(buffer).ok()) {
            out.error = u"bad SSE"_s;
            break;
        }
        buffer.clear();
        for (SseEvent &event : parser.takeEvents()) {
            if (request.onEvent)
                request.onEvent(event);
            out.events.append(std::move(event));
            if (request.maxEvents >= 0 && out.events.size() >= request.maxEvents) {
                socket.abort();
                return out;
            }
        }
    }
    socket.abort();
    return out;
}
