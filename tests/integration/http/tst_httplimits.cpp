// Self-protection limits of parlanced, driven with raw sockets: the header
// cap, the body cap (checked from Content-Length before any body arrives),
// the slowloris request timeout, the idle keep-alive timeout and the
// connection cap.
#include "parlancedprocess.h"
#include "rawhttp.h"

#include <QTcpSocket>
#include <QTest>

using namespace Qt::StringLiterals;
using parlance::test::ParlancedProcess;

class TestHttpLimits : public QObject
{
    Q_OBJECT

private:
    // The one error shape, read from a raw response: the stable code and a
    // human message, as JSON.
    static void verifyErrorBody(const QByteArray &response, const QString &code)
    {
        QVERIFY2(response.contains("\r\nContent-Type: application/json\r\n"), response.constData());
        const QJsonObject error = rawhttp::errorOf(response);
        QCOMPARE(error.value(u"code"_s).toString(), code);
        QVERIFY2(!error.value(u"message"_s).toString().isEmpty(), response.constData());
    }

    // Connects a raw socket to the server.
    static bool connectTo(QTcpSocket &socket, const ParlancedProcess &server)
    {
        socket.connectToHost(u"127.0.0.1"_s, server.port());
        return socket.waitForConnected(5000);
    }

private Q_SLOTS:
    void oversizedHeadersAnswer431AndClose()
    {
        ParlancedProcess server;
        QVERIFY2(server.start({ u"--max-header-bytes"_s, u"2k"_s }),
                 qPrintable(server.errorText()));
        QTcpSocket socket;
        QVERIFY(connectTo(socket, server));
        socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Filler: " + QByteArray(4096, 'a')
                     + "\r\n\r\n");
        const QByteArray response = rawhttp::readUntilClosed(socket);
        QCOMPARE(rawhttp::statusOf(response), 431);
        QVERIFY(response.contains("\"code\":\"headers_too_large\""));
        QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);
    }

    void headersWithinLimitAreServed()
    {
        ParlancedProcess server;
        QVERIFY2(server.start({ u"--max-header-bytes"_s, u"2k"_s }),
                 qPrintable(server.errorText()));
        QTcpSocket socket;
        QVERIFY(connectTo(socket, server));
        socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Filler: " + QByteArray(1024, 'a')
                     + "\r\n\r\n");
        QCOMPARE(rawhttp::statusOf(rawhttp::readResponse(socket)), 200);
    }

    void declaredOversizedBodyAnswers413BeforeBodyIsSent()
    {
        ParlancedProcess server;
        QVERIFY2(server.start({ u"--max-body-bytes"_s, u"4k"_s, u"--test-hooks"_s }),
                 qPrintable(server.errorText()));
        QTcpSocket socket;
        QVERIFY(connectTo(socket, server));
        // Only the head: the server must answer from Content-Length alone.
        socket.write("POST /api/v1/_test/echo HTTP/1.1\r\nHost: x\r\n"
                     "Content-Type: application/json\r\nContent-Length: 100000000\r\n\r\n");
        const QByteArray response = rawhttp::readUntilClosed(socket);
        QCOMPARE(rawhttp::statusOf(response), 413);
        QVERIFY(response.contains("\"code\":\"payload_too_large\""));
    }

    void chunkedOversizedBodyAnswers413()
    {
        ParlancedProcess server;
        QVERIFY2(server.start({ u"--max-body-bytes"_s, u"4k"_s, u"--test-hooks"_s }),
                 qPrintable(server.errorText()));
        QTcpSocket socket;
        QVERIFY(connectTo(socket, server));
        socket.write("POST /api/v1/_test/echo HTTP/1.1\r\nHost: x\r\n"
                     "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
        const QByteArray chunk = QByteArray(2048, ' ');
        for (int i = 0; i < 4 && socket.state() == QAbstractSocket::ConnectedState; ++i) {
            socket.write("800\r\n" + chunk + "\r\n");
            socket.waitForBytesWritten(1000);
        }
        const QByteArray response = rawhttp::readUntilClosed(socket);
        QCOMPARE(rawhttp::statusOf(response), 413);
        verifyErrorBody(response, u"payload_too_large"_s);
    }

    void slowlorisIsAnswered408AndClosed()
    {
        ParlancedProcess server;
        QVERIFY2(
            server.start({ u"--request-timeout"_s, u"500ms"_s, u"--idle-timeout"_s, u"60s"_s }),
            qPrintable(server.errorText()));
        QTcpSocket socket;
        QVERIFY(connectTo(socket, server));
        // One header byte every 100 ms, never finishing: each byte would
        // reset a naive idle timer, so only a per-request deadline stops it.
        const QByteArray request =
            "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + QByteArray(1000, 'a');
        qsizetype sent = 0;
        QByteArray response;
        QDeadlineTimer deadline(20'000);
        while (socket.state() == QAbstractSocket::ConnectedState && !deadline.hasExpired()
               && sent < request.size()) {
            socket.write(request.mid(sent++, 1));
            socket.flush();
            socket.waitForReadyRead(100); // also paces the drip
            response += socket.readAll();
        }
        response += rawhttp::readUntilClosed(socket, 5000);
        QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);
        QCOMPARE(rawhttp::statusOf(response), 408);
        verifyErrorBody(response, u"request_timeout"_s);
        QVERIFY(sent < request.size());
    }

    void idleKeepAliveConnectionIsClosed()
    {
        ParlancedProcess server;
        QVERIFY2(server.start({ u"--idle-timeout"_s, u"300ms"_s }), qPrintable(server.errorText()));
        QTcpSocket socket;
        QVERIFY(connectTo(socket, server));
        socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        QCOMPARE(rawhttp::statusOf(rawhttp::readResponse(socket)), 200);
        // Nothing more is sent: the server must close the connection itself.
        rawhttp::readUntilClosed(socket, 20'000);
        QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);
    }

    void connectionsBeyondTheCapGet503Overloaded()
    {
        ParlancedProcess server;
        QVERIFY2(server.start({ u"--max-connections"_s, u"2"_s, u"--threads"_s, u"1"_s }),
                 qPrintable(server.errorText()));
        QTcpSocket first;
        QTcpSocket second;
        for (QTcpSocket *socket : { &first, &second }) {
            QVERIFY(connectTo(*socket, server));
            socket->write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
            // Answered and kept alive: the connection now counts.
            QCOMPARE(rawhttp::statusOf(rawhttp::readResponse(*socket)), 200);
        }
        QTcpSocket third;
        QVERIFY(connectTo(third, server));
        third.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        const QByteArray response = rawhttp::readUntilClosed(third);
        QCOMPARE(rawhttp::statusOf(response), 503);
        QVERIFY(response.contains("\"code\":\"overloaded\""));
        QVERIFY(response.contains("Retry-After: 1"));

        // Capacity comes back when a connection closes.
        first.disconnectFromHost();
        // The server notices the close asynchronously, so retry for a while.
        bool served = false;
        QDeadlineTimer deadline(10'000);
        while (!served && !deadline.hasExpired()) {
            QTcpSocket again;
            if (connectTo(again, server)) {
                again.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
                served = rawhttp::statusOf(rawhttp::readResponse(again)) == 200;
            }
            if (!served)
                QTest::qWait(50);
        }
        QVERIFY(served);
    }
};

QTEST_GUILESS_MAIN(TestHttpLimits)
#include "tst_httplimits.moc"
