#include "cuttingproxy.h"

#include <QHostAddress>

CuttingProxy::CuttingProxy(quint16 upstreamPort, QObject *parent)
    : QObject(parent)
    , m_upstreamPort(upstreamPort)
{
    connect(&m_server, &QTcpServer::newConnection, this, &CuttingProxy::accept);
}

bool CuttingProxy::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

void CuttingProxy::accept()
{
    while (QTcpSocket *down = m_server.nextPendingConnection()) {
        // Owned by the sockets' lifetime: freed when the link closes.
        auto *link = new Link;
        link->down = down;
        link->up = new QTcpSocket(this);
        down->setParent(this);
        connect(link->up, &QTcpSocket::connected, this,
                [link] { link->up->write(std::exchange(link->pendingUp, {})); });
        connect(down, &QTcpSocket::readyRead, this, [this, link] { fromClient(link); });
        connect(link->up, &QTcpSocket::readyRead, this, [this, link] { fromServer(link); });
        connect(down, &QTcpSocket::disconnected, this, [this, link] { close(link); });
        connect(link->up, &QTcpSocket::disconnected, this, [this, link] { close(link); });
        connect(link->up, &QTcpSocket::errorOccurred, this, [this, link] { close(link); });
        link->up->connectToHost(QHostAddress::LocalHost, m_upstreamPort);
    }
}

void CuttingProxy::fromClient(Link *link)
{
    if (!link->down || !link->up)
        return;
    const QByteArray data = link->down->readAll();
    // Requests on one connection follow each other (no pipelining), so the
    // head of the latest request decides whether its answer may be cut.
    link->requestHead += data;
    const qsizetype start = link->requestHead.lastIndexOf("GET /api/v1/stream/");
    const qsizetype end = link->requestHead.indexOf("\r\n\r\n", std::max<qsizetype>(start, 0));
    if (start >= 0 && end > start) {
        const QByteArray head = link->requestHead.mid(start, end - start);
        link->requestHead.clear();
        ++m_streamRequests;
        QByteArray lastId;
        for (const QByteArray &line : head.split('\n')) {
            if (line.toLower().startsWith("last-event-id:"))
                lastId = line.mid(14).trimmed();
        }
        m_lastEventIds.append(lastId);
        link->budget = (m_cuts < maxCuts && cutAfter) ? cutAfter() : -1;
        link->inHeaders = countFromBody && link->budget >= 0;
        link->headerTail.clear();
    } else if (link->requestHead.size() > 64 * 1024) {
        link->requestHead = link->requestHead.right(1024);
    }
    if (link->up->state() == QAbstractSocket::ConnectedState)
        link->up->write(data);
    else
        link->pendingUp += data;
}

void CuttingProxy::fromServer(Link *link)
{
    if (!link->down || !link->up)
        return;
    QByteArray data = link->up->readAll();
    if (link->inHeaders) {
        // Let the headers through uncounted, then count the body.
        link->headerTail += data;
        const qsizetype end = link->headerTail.indexOf("\r\n\r\n");
        if (end < 0) {
            link->headerTail = link->headerTail.right(3);
            link->down->write(data);
            return;
        }
        const qsizetype bodyStart = data.size() - (link->headerTail.size() - (end + 4));
        link->down->write(data.left(bodyStart));
        data = data.mid(bodyStart);
        link->inHeaders = false;
        link->headerTail.clear();
    }
    if (link->budget >= 0 && data.size() >= link->budget) {
        link->down->write(data.left(link->budget));
        ++m_cuts;
        link->budget = -1;
        close(link);
        return;
    }
    if (link->budget >= 0)
        link->budget -= data.size();
    link->down->write(data);
}

void CuttingProxy::close(Link *link)
{
    // Called once per side; the second call finds both pointers cleared.
    QTcpSocket *down = link->down;
    QTcpSocket *up = link->up;
    link->down = nullptr;
    link->up = nullptr;
    if (down) {
        // A graceful close, so the bytes let through reach the client before
        // its end of the stream does.
        down->disconnect(this);
        if (down->state() == QAbstractSocket::UnconnectedState) {
            down->deleteLater();
        } else {
            connect(down, &QTcpSocket::disconnected, down, &QObject::deleteLater);
            down->disconnectFromHost();
        }
    }
    if (up) {
        up->disconnect(this);
        up->abort();
        up->deleteLater();
    }
    if (!down && !up)
        return;
    // Signals from the sockets are disconnected above, so nothing refers to
    // the link any more.
    delete link;
}
