#include "http/detachedconnection.h"
#include "http/httpruntime.h"

#include <QPointer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace parlance::http;

// A server-side socket and its client over loopback, as Qt HttpServer would
// hold one after writing a response head.
class TestDetachedConnection : public QObject
{
    Q_OBJECT

    QTcpServer m_server;
    std::unique_ptr<QTcpSocket> m_client;
    QPointer<QTcpSocket> m_serverSide;
    // More than any loopback connection buffers (send plus receive buffer).
    static constexpr qsizetype MaxFill = qsizetype(256) * 1024 * 1024;
    QByteArray m_received;
    std::unique_ptr<HttpRuntime> m_runtime; // its connection count, fresh per test

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_server.listen(QHostAddress::LocalHost)); }

    // Every test starts from a connected pair.
    void init()
    {
        m_runtime = std::make_unique<HttpRuntime>();
        m_received.clear();
        m_client = std::make_unique<QTcpSocket>();
        connect(m_client.get(), &QTcpSocket::readyRead, this,
                [this] { m_received += m_client->readAll(); });
        m_client->connectToHost(QHostAddress::LocalHost, m_server.serverPort());
        QVERIFY(m_server.waitForNewConnection(5000));
        m_serverSide = m_server.nextPendingConnection();
        QVERIFY(m_serverSide);
        QVERIFY(m_client->waitForConnected(5000));
    }

    void cleanup()
    {
        m_client.reset();
        delete m_serverSide;
    }

    void takesTheConnectionAndKeepsItOpen()
    {
        HttpRuntime &runtime = *m_runtime;
        m_serverSide->write("HTTP/1.1 200 OK\r\n\r\n");
        QPointer<DetachedConnection> connection = DetachedConnection::take(m_serverSide, runtime);
        QVERIFY(connection);
        QCOMPARE(runtime.connections.load(), 1);
        // Qt's socket is done with; the client did not notice.
        QCOMPARE(m_serverSide->state(), QAbstractSocket::UnconnectedState);
        connection->write("data: 1\n\n");
        connection->write("data: 2\n\n");
        QTRY_COMPARE(m_received, QByteArray("HTTP/1.1 200 OK\r\n\r\ndata: 1\n\ndata: 2\n\n"));
        QCOMPARE(m_client->state(), QAbstractSocket::ConnectedState);
        QCOMPARE(connection->pendingBytes(), 0);

        QSignalSpy clientGone(m_client.get(), &QTcpSocket::disconnected);
        connection->closeAfterFlush();
        QVERIFY(clientGone.wait(5000));
        QTRY_VERIFY(connection.isNull()); // deletes itself
        QCOMPARE(runtime.connections.load(), 0);
    }

    void queuesWhatTheKernelRefusesAndSendsItInOrder()
    {
        HttpRuntime &runtime = *m_runtime;
        QPointer<DetachedConnection> connection = DetachedConnection::take(m_serverSide, runtime);
        QVERIFY(connection);
        // Until the kernel refuses, and a little more: while nobody reads,
        // loopback holds the send buffer plus the peer's receive buffer,
        // which the kernel may grow to tcp_rmem's maximum (32 MiB here).
        m_client->setReadBufferSize(1);
        QByteArray expected;
        int afterRefusal = 0;
        for (int i = 0; afterRefusal < 4 && expected.size() < MaxFill; ++i) {
            const QByteArray chunk(64 * 1024, char('a' + i % 26));
            expected += chunk;
            connection->write(chunk);
            if (connection->pendingBytes() > 0)
                ++afterRefusal;
        }
        QVERIFY(connection->pendingBytes() > 0);
        QSignalSpy drained(connection.data(), &DetachedConnection::drained);
        // closeAfterFlush still sends everything queued first.
        connection->closeAfterFlush();
        QVERIFY(!connection->isOpen());
        m_client->setReadBufferSize(0);
        m_received += m_client->readAll();
        QTRY_COMPARE_WITH_TIMEOUT(m_received.size(), expected.size(), 20000);
        QCOMPARE(m_received, expected);
        QTRY_VERIFY(connection.isNull());
        QCOMPARE(drained.count(), 0); // closing, so nobody is told to write more
    }

    void drainedTellsTheWriterToGoOn()
    {
        HttpRuntime &runtime = *m_runtime;
        DetachedConnection *connection = DetachedConnection::take(m_serverSide, runtime);
        QVERIFY(connection);
        m_client->setReadBufferSize(1);
        const QByteArray chunk(1024 * 1024, 'x');
        for (qsizetype written = 0; written < MaxFill && connection->pendingBytes() == 0;
             written += chunk.size())
            connection->write(chunk);
        QVERIFY(connection->pendingBytes() > 0);
        QSignalSpy drained(connection, &DetachedConnection::drained);
        m_client->setReadBufferSize(0);
        m_received += m_client->readAll();
        QVERIFY(drained.wait(20000));
        QCOMPARE(connection->pendingBytes(), 0);
        delete connection;
        QCOMPARE(runtime.connections.load(), 0);
    }

    void peerLeavingIsReported()
    {
        HttpRuntime &runtime = *m_runtime;
        QPointer<DetachedConnection> connection = DetachedConnection::take(m_serverSide, runtime);
        QVERIFY(connection);
        QSignalSpy closed(connection.data(), &DetachedConnection::closed);
        m_client->abort();
        QVERIFY(closed.wait(5000));
        QVERIFY(!connection || !connection->isOpen());
        QTRY_VERIFY(connection.isNull());
        QCOMPARE(runtime.connections.load(), 0);
    }

    void writingToAPeerThatLeftIsReportedNotFatal()
    {
        HttpRuntime &runtime = *m_runtime;
        QPointer<DetachedConnection> connection = DetachedConnection::take(m_serverSide, runtime);
        QVERIFY(connection);
        QSignalSpy closed(connection.data(), &DetachedConnection::closed);
        m_client->abort();
        // No SIGPIPE, however often it is written to before it notices.
        for (int i = 0; i < 100 && connection; ++i) {
            connection->write(QByteArray(4096, 'y'));
            QTest::qWait(1);
        }
        QTRY_COMPARE(closed.count(), 1);
        QTRY_VERIFY(connection.isNull());
    }

    void leavesTheSocketAloneWhenInputIsUnread()
    {
        HttpRuntime &runtime = *m_runtime;
        m_client->write("GET /next HTTP/1.1\r\n\r\n"); // a pipelined request
        QTRY_VERIFY(m_serverSide->bytesAvailable() > 0);
        QVERIFY(!DetachedConnection::take(m_serverSide, runtime));
        QCOMPARE(m_serverSide->state(), QAbstractSocket::ConnectedState);
        QCOMPARE(runtime.connections.load(), 0);
        QVERIFY(!DetachedConnection::take(nullptr, runtime));
    }
};

QTEST_GUILESS_MAIN(TestDetachedConnection)
#include "tst_detachedconnection.moc"
