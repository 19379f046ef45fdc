#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

// Raw-socket helpers for the limit tests, where a well-behaved HTTP client
// would not send what we need (huge headers, byte-by-byte requests).
namespace rawhttp {

// Reads until the peer closes or `timeoutMs` passes; returns all bytes.
inline QByteArray readUntilClosed(QTcpSocket &socket, int timeoutMs = 10'000)
{
    QByteArray out;
    QDeadlineTimer deadline(timeoutMs);
    while (socket.state() != QAbstractSocket::UnconnectedState && !deadline.hasExpired()) {
        socket.waitForReadyRead(50);
        out += socket.readAll();
    }
    out += socket.readAll();
    return out;
}

// Reads until a complete response head and its Content-Length body arrived.
inline QByteArray readResponse(QTcpSocket &socket, int timeoutMs = 10'000)
{
    QByteArray out;
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        const qsizetype end = out.indexOf("\r\n\r\n");
        if (end >= 0) {
            const qsizetype at = out.toLower().indexOf("content-length:");
            const qsizetype eol = out.indexOf("\r\n", at);
            const qsizetype length =
                at < 0 ? 0 : out.mid(at + 15, eol - at - 15).trimmed().toLongLong();
            if (out.size() >= end + 4 + length)
                return out;
        }
        if (socket.state() == QAbstractSocket::UnconnectedState)
            return out + socket.readAll();
        socket.waitForReadyRead(50);
        out += socket.readAll();
    }
    return out;
}

inline int statusOf(const QByteArray &response)
{
    // "HTTP/1.1 413 ..."
    return response.startsWith("HTTP/1.1 ") ? response.mid(9, 3).toInt() : 0;
}

// The "error" object of a response's JSON body ({"error":{"code","message"}});
// empty when the body is not that shape.
inline QJsonObject errorOf(const QByteArray &response)
{
    const qsizetype end = response.indexOf("\r\n\r\n");
    if (end < 0)
        return {};
    return QJsonDocument::fromJson(response.mid(end + 4))
        .object()
        .value(QLatin1StringView("error"))
        .toObject();
}

} // namespace rawhttp
