// The simulator's command line, configuration, precedence of overrides, and
// the /sim/stats and /sim/reset endpoints tests rely on.

#include "simprocess.h"
#include "simtest.h"

#include <QTcpSocket>
#include <QTest>

using namespace Qt::StringLiterals;

class TstSimControl : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void helpDocumentsFlagsAndKeys();
    void badConfigRefusesToStart();
    void statsCountRequestsPerDeploymentAndPath();
    void statsShowActiveStreams();
    void resetZeroesCounters();
    void unknownDeploymentIs404();
    void directiveBeatsHeaderBeatsDeployment();

private:
    [[nodiscard]] QJsonObject stats();
    SimProcess m_sim;
};

void TstSimControl::initTestCase()
{
    QVERIFY2(
        m_sim.start({ u"--config"_s, QStringLiteral(PARLANCE_TEST_DATA_DIR "/sim/config.json") }),
                    qPrintable(m_sim.errorString()));
}

void TstSimControl::init()
{
    QCOMPARE(rawRequest(m_sim.port(), "POST", "/sim/reset", {}, {}).status, 200);
}

QJsonObject TstSimControl::stats()
{
    const RawResponse r = rawRequest(m_sim.port(), "GET", "/sim/stats", {}, {});
    return r.status == 200 ? r.json() : QJsonObject();
}

void TstSimControl::helpDocumentsFlagsAndKeys()
{
    QByteArray output;
    QCOMPARE(SimProcess::runToExit({ u"--help"_s }, &output), 0);
    for (const char *word : { "--listen", "--config", "[[sim:", "retry-after", "/sim/stats" })
        QVERIFY2(output.contains(word), word);
}

void TstSimControl::badConfigRefusesToStart()
{
    QByteArray output;
    const int code =
        SimProcess::runToExit({ u"--listen"_s, u"127.0.0.1:0"_s, u"--config"_s,
                                QStringLiteral(PARLANCE_TEST_DATA_DIR "/sim/bad_config.json") },
                                &output);
    QCOMPARE(code, 2);
    QVERIFY2(output.contains("explode"), output.constData());
}

void TstSimControl::statsCountRequestsPerDeploymentAndPath()
{
    QCOMPARE(rawRequest(m_sim.port(), "POST", "/d/lorem/v1/chat/completions", openAiHeaders(),
                        chatBody(u"x"_s, false))
                 .status,
             200);
    QCOMPARE(rawRequest(m_sim.port(), "POST", "/d/lorem/v1/messages", anthropicHeaders(),
                        anthropicBody(u"x"_s, true))
                 .status,
             200);
    QCOMPARE(rawRequest(m_sim.port(), "POST", "/v1/chat/completions", {}, chatBody(u"x"_s, false))
                 .status,
             401);
    QCOMPARE(rawRequest(m_sim.port(), "POST", "/d/flaky/v1/chat/completions", openAiHeaders(),
                        chatBody(u"x"_s, false))
                 .status,
             500);

    const QJsonObject s = stats();
    QCOMPARE(s.value("requests_total"_L1).toInt(), 4);
    const QJsonObject deployments = s.value("deployments"_L1).toObject();
    const QJsonObject lorem = deployments.value("lorem"_L1).toObject();
    QCOMPARE(lorem.value("requests"_L1).toInt(), 2);
    QCOMPARE(lorem.value("paths"_L1).toObject().value("/v1/chat/completions"_L1).toInt(), 1);
    QCOMPARE(lorem.value("paths"_L1).toObject().value("/v1/messages"_L1).toInt(), 1);
    QCOMPARE(lorem.value("statuses"_L1).toObject().value("200"_L1).toInt(), 2);
    QCOMPARE(lorem.value("stream_ends"_L1).toObject().value("completed"_L1).toInt(), 1);
    const QJsonObject last = lorem.value("last_request"_L1).toObject();
    QCOMPARE(last.value("model"_L1).toString(), u"claude-sonnet"_s);
    QCOMPARE(last.value("stream"_L1).toBool(), true);
    QCOMPARE(deployments.value("default"_L1)
                 .toObject()
                 .value("statuses"_L1)
                 .toObject()
                 .value("401"_L1)
                 .toInt(),
             1);
    const QJsonObject flaky = deployments.value("flaky"_L1).toObject();
    QCOMPARE(flaky.value("faults"_L1).toObject().value("server_error"_L1).toInt(), 1);
}

void TstSimControl::statsShowActiveStreams()
{
    // A stream that stalls forever after one token stays active until the client leaves.
    QTcpSocket socket;
    socket.connectToHost(u"127.0.0.1"_s, m_sim.port());
    QVERIFY(socket.waitForConnected(5000));
    const QByteArray body = chatBody(u"a b c [[sim: fault=stall after=1]]"_s, true);
    socket.write("POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer k\r\n"
                 "content-length: "
                 + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QByteArray received;
    QTRY_VERIFY_WITH_TIMEOUT((socket.waitForReadyRead(50), received += socket.readAll(),
                              received.contains("\"content\":\"a\"")),
                             5000);
    QCOMPARE(stats().value("active_streams"_L1).toInt(), 1);
    socket.abort();
    QTRY_COMPARE_WITH_TIMEOUT(stats().value("active_streams"_L1).toInt(), 0, 5000);
    const QJsonObject deployment =
        stats().value("deployments"_L1).toObject().value("default"_L1).toObject();
    QCOMPARE(deployment.value("stream_ends"_L1).toObject().value("client_left"_L1).toInt(), 1);
}

void TstSimControl::resetZeroesCounters()
{
    QCOMPARE(rawRequest(m_sim.port(), "POST", "/v1/chat/completions", openAiHeaders(),
                        chatBody(u"x"_s, false))
                 .status,
             200);
    QCOMPARE(stats().value("requests_total"_L1).toInt(), 1);
    const RawResponse r = rawRequest(m_sim.port(), "POST", "/sim/reset", {}, {});
    QCOMPARE(r.status, 200);
    QCOMPARE(stats().value("requests_total"_L1).toInt(), 0);
    QVERIFY(stats().value("deployments"_L1).toObject().isEmpty());
}

void TstSimControl::unknownDeploymentIs404()
{
    const RawResponse r = rawRequest(m_sim.port(), "POST", "/d/nosuch/v1/chat/completions",
                                     openAiHeaders(), chatBody(u"x"_s, false));
    QCOMPARE(r.status, 404);
    QCOMPARE(r.json().value("error"_L1).toObject().value("type"_L1).toString(),
             u"invalid_request_error"_s);
}

void TstSimControl::directiveBeatsHeaderBeatsDeployment()
{
    // The "lorem" deployment says 30 tokens; a header says 5; a directive says 2.
    Headers headers = openAiHeaders();
    headers.append({ "x-sim-tokens"_ba, "5"_ba });
    RawResponse r = rawRequest(m_sim.port(), "POST", "/d/lorem/v1/chat/completions", headers,
                               chatBody(u"x"_s, false));
    QCOMPARE(r.json().value("usage"_L1).toObject().value("completion_tokens"_L1).toInt(), 5);
    r = rawRequest(m_sim.port(), "POST", "/d/lorem/v1/chat/completions", headers,
                   chatBody(u"[[sim: tokens=2]]"_s, false));
    QCOMPARE(r.json().value("usage"_L1).toObject().value("completion_tokens"_L1).toInt(), 2);
}

QTEST_GUILESS_MAIN(TstSimControl)
#include "tst_simcontrol.moc"
