#pragma once

#include "sse/sseevent.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

using parlance::SseEvent;

// A raw-socket SSE reader for the stream route: it can stop after any number
// of events (a client that disconnects mid-stream), send Last-Event-ID, and
// reports exactly what came over the wire.
struct StreamRead
{
    int status = 0;
    QByteArray head; // status line and headers
    QByteArray body; // non-SSE bodies (errors)
    QList<SseEvent> events;
    QByteArray raw; // the SSE body as it came (heartbeat comments included)
    bool closedByServer = false;
    QString error;

    [[nodiscard]] QString text() const; // the deltas joined
    [[nodiscard]] QStringList types() const;
    [[nodiscard]] QString lastId() const;
    [[nodiscard]] QJsonObject data(int index) const;
    [[nodiscard]] std::optional<SseEvent> last(const QString &type) const;
    [[nodiscard]] QJsonObject errorJson() const;
};

struct StreamRequest
{
    QString path;
    QByteArray token; // bearer header; empty: none
    std::optional<QByteArray> lastEventIdHeader;
    int maxEvents = -1; // stop (abort the socket) after this many events
    int timeoutMs = 30'000;
    // Called on the reading thread as each event arrives (e.g. to timestamp
    // it, or to tell another thread how far this reader got).
    std::function<void(const SseEvent &)> onEvent;
};

[[nodiscard]] StreamRead readStream(quint16 port, const StreamRequest &request);
[[nodiscard]] inline StreamRead readStream(quint16 port, const QString &path,
                                           const QByteArray &token)
{
    StreamRequest request;
    request.path = path;
    request.token = token;
    return readStream(port, request);
}
