#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>

// What a raw socket saw of one HTTP response: the exact bytes, the status,
// the headers, the de-chunked body, and whether the body ended properly.
struct RawResponse
{
    QByteArray raw;
    int status = 0;
    QHash<QByteArray, QByteArray> headers; // names lower-cased
    QByteArray body;
    bool complete = false; // content-length reached, or the terminating chunk seen
    bool closedByPeer = false; // the server closed or reset the connection
    qint64 msToFirstByte = -1; // from the request being written
    qint64 msToFirstBodyByte = -1;
    qint64 msToEnd = -1;

    [[nodiscard]] QByteArray header(const QByteArray &lowerName) const
    {
        return headers.value(lowerName);
    }
    [[nodiscard]] QJsonObject json() const;
};

struct SseEvent
{
    QByteArray event; // empty when the event had no "event:" line
    QByteArray data;
};

// Sends one request on a fresh connection and reads until the response is
// complete, the server closes, or `timeoutMs` passes (then the response is
// returned as far as it got).
[[nodiscard]] RawResponse rawRequest(quint16 port, const QByteArray &method, const QByteArray &path,
                                     const QList<std::pair<QByteArray, QByteArray>> &headers,
                                     const QByteArray &body, int timeoutMs = 10000);

// The events of an SSE body (blank-line separated; "event:" and "data:" fields).
[[nodiscard]] QList<SseEvent> parseSse(const QByteArray &body);
