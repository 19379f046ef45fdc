#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

#include <functional>

// A TCP proxy on 127.0.0.1 in front of parlanced that cuts stream
// connections: once a connection carries "GET /api/v1/stream/", the proxy
// forwards `cutAfter()` more bytes of the answer and then aborts both sides,
// as a network drop would. Every other request passes untouched. After
// `maxCuts` cuts it stops cutting, so every stream can finish.
class CuttingProxy : public QObject
{
    Q_OBJECT

public:
    explicit CuttingProxy(quint16 upstreamPort, QObject *parent = nullptr);

    [[nodiscard]] bool listen();
    [[nodiscard]] quint16 port() const { return m_server.serverPort(); }

    // Bytes of a stream answer to let through before a cut; negative: no cut.
    std::function<qint64()> cutAfter;
    // Count from the start of the SSE body (true) or of the answer, headers
    // included (false: cuts can land inside the status line and headers).
    bool countFromBody = true;
    int maxCuts = 0;
    [[nodiscard]] int cuts() const { return m_cuts; }
    [[nodiscard]] int streamRequests() const { return m_streamRequests; }
    // The Last-Event-ID header of every stream request, in order ("" if none).
    [[nodiscard]] QList<QByteArray> lastEventIds() const { return m_lastEventIds; }

private:
    struct Link
    {
        QPointer<QTcpSocket> down;
        QPointer<QTcpSocket> up;
        QByteArray pendingUp; // client bytes before the upstream connected
        QByteArray requestHead; // the client's current request, for the path
        qint64 budget = -1; // answer bytes still allowed before the cut
        bool inHeaders = false; // the stream answer's headers are still passing
        QByteArray headerTail; // to find the blank line across chunks
    };

    void accept();
    void fromClient(Link *link);
    void fromServer(Link *link);
    void close(Link *link);

    QTcpServer m_server;
    quint16 m_upstreamPort;
    int m_cuts = 0;
    int m_streamRequests = 0;
    QList<QByteArray> m_lastEventIds;
};
