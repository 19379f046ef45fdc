#pragma once

// A loopback HTTP server whose answers the test scripts byte by byte: it
// reads each request (head + Content-Length body) and hands the socket to
// `onRequest`, which writes whatever the test wants (a valid response, half
// of one, nothing) and may close the socket.

#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>

#include <functional>
#include <memory>

class ScriptedServer : public QObject
{
public:
    // socket, index of the connection (0-based, in accept order), index of
    // the request on that connection.
    using Handler = std::function<void(QTcpSocket *socket, int connection, int request)>;

    explicit ScriptedServer(std::unique_ptr<QTcpServer> server = std::make_unique<QTcpServer>())
        : m_server(std::move(server))
    {
        // QSslServer hands sockets over once encrypted.
        connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, this,
                &ScriptedServer::acceptAll);
    }

    bool listen() { return m_server->listen(QHostAddress::LocalHost, 0); }
    [[nodiscard]] quint16 port() const { return m_server->serverPort(); }
    [[nodiscard]] int accepted() const { return m_accepted; }
    [[nodiscard]] int requests() const { return m_requests; }
    [[nodiscard]] const QByteArray &lastRequest() const { return m_lastRequest; }
    void setHandler(Handler handler) { m_handler = std::move(handler); }

private:
    struct Conn
    {
        QByteArray buffer;
        int index = 0;
        int requests = 0;
    };

    void acceptAll()
    {
        while (QTcpSocket *socket = m_server->nextPendingConnection()) {
            auto conn = std::make_shared<Conn>();
            conn->index = m_accepted++;
            // Without it a second write waits for the client's delayed ACK.
            socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            connect(socket, &QIODevice::readyRead, socket,
                    [this, socket, conn] { onReadyRead(socket, *conn); });
        }
    }

    void onReadyRead(QTcpSocket *socket, Conn &conn)
    {
        conn.buffer += socket->readAll();
        for (;;) {
            const qsizetype headEnd = conn.buffer.indexOf("\r\n\r\n");
            if (headEnd < 0)
                return;
            qsizetype length = 0;
            for (const QByteArray &line : conn.buffer.first(headEnd).split('\n')) {
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            }
            const qsizetype total = headEnd + 4 + length;
            if (conn.buffer.size() < total)
                return;
            m_lastRequest = conn.buffer.first(total);
            conn.buffer.remove(0, total);
            ++m_requests;
            const int request = conn.requests++;
            if (m_handler)
                m_handler(socket, conn.index, request);
            if (socket->state() != QAbstractSocket::ConnectedState)
                return;
        }
    }

    std::unique_ptr<QTcpServer> m_server;
    Handler m_handler;
    QByteArray m_lastRequest;
    int m_accepted = 0;
    int m_requests = 0;
};
