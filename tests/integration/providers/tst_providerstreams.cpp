// Both provider clients against the simulator: complete streams, images,
// auth, unreachable hosts, user stop, and many concurrent streams.

#include "providertesthelpers.h"

#include <QJsonArray>
#include <QTcpServer>

using namespace parlance;
using namespace Qt::StringLiterals;

class TestProviderStreams : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void completeStreamAssemblesEchoTextAndReportedUsage_data();
    void completeStreamAssemblesEchoTextAndReportedUsage();
    void imagePartsAreAccepted_data();
    void imagePartsAreAccepted();
    void wrongKeyIsFatalAndNeverLeaksTheKey_data();
    void wrongKeyIsFatalAndNeverLeaksTheKey();
    void unreachableHostIsRetryable_data();
    void unreachableHostIsRetryable();
    void invalidRequestFinishesFatalWithoutSending_data();
    void invalidRequestFinishesFatalWithoutSending();
    void abortMidStreamStopsTheUpstream_data();
    void abortMidStreamStopsTheUpstream();
    void destroyingTheClientEndsItsStreams_data();
    void destroyingTheClientEndsItsStreams();
    void concurrentStreamsAreNotQueuedBehindSixConnections_data();
    void concurrentStreamsAreNotQueuedBehindSixConnections();
    void sequentialStreamsReuseOneConnection_data();
    void sequentialStreamsReuseOneConnection();

private:
    void addDialects();
    SimProcess m_sim;
};

void TestProviderStreams::initTestCase()
{
    QVERIFY2(m_sim.start({ u"--config"_s, simConfigPath() }), qPrintable(m_sim.errorString()));
}

void TestProviderStreams::addDialects()
{
    QTest::addColumn<ProviderKind>("kind");
    QTest::newRow("openai") << ProviderKind::OpenAiCompatible;
    QTest::newRow("anthropic") << ProviderKind::Anthropic;
}

void TestProviderStreams::completeStreamAssemblesEchoTextAndReportedUsage_data()
{
    addDialects();
}

void TestProviderStreams::completeStreamAssemblesEchoTextAndReportedUsage()
{
    QFETCH(ProviderKind, kind);
    const auto client = ProviderClient::create(kind);
    const QString userText = u"Hello there, world! Ünïcödé → 漢字 and a longword123456789."_s;
    ProviderRequest request;
    request.messages = { ProviderMessage::text(Message::Role::System, u"Be exact."_s),
                         ProviderMessage::text(Message::Role::User, u"First question"_s),
                         ProviderMessage::text(Message::Role::Assistant, u"First answer"_s),
                         ProviderMessage::text(Message::Role::User, userText) };
    request.maxOutputTokens = 500;
    const StreamRun run = runStream(*client, simEndpoint(kind, m_sim.port(), u"echo"_s), request);

    QVERIFY(!run.timedOut);
    QVERIFY2(run.outcome->isComplete(), qPrintable(run.outcome->error.message));
    QVERIFY2(run.wellOrdered(), qPrintable(run.events.join(u' ')));
    QVERIFY(run.started());
    QCOMPARE(run.text(), userText);
    QCOMPARE(run.outcome->finishReason,
             kind == ProviderKind::Anthropic ? u"end_turn"_s : u"stop"_s);
    QCOMPARE(run.outcome->httpStatus, 200);
    QCOMPARE(run.outcome->deltaCount, run.deltas.size());

    const QJsonObject stats = simDeploymentStats(m_sim.port(), u"echo"_s);
    const QJsonObject last = stats.value("last_request"_L1).toObject();
    QCOMPARE(last.value("stream"_L1).toBool(), true);
    QCOMPARE(last.value("max_tokens"_L1).toInt(), 500);
    if (kind == ProviderKind::OpenAiCompatible)
        QCOMPARE(last.value("include_usage"_L1).toBool(), true);
    // The simulator counts Anthropic's top-level system prompt as a message.
    QCOMPARE(last.value("messages"_L1).toInt(), 4);
    QVERIFY(run.usage.has_value());
    QCOMPARE(run.usage->inputTokens, last.value("prompt_tokens"_L1).toInteger());
    // One simulator piece per delta, and the provider counts pieces.
    QCOMPARE(run.usage->outputTokens, qint64(run.deltas.size()));
    QVERIFY(!run.usage->estimated);
}

void TestProviderStreams::imagePartsAreAccepted_data()
{
    addDialects();
}

void TestProviderStreams::imagePartsAreAccepted()
{
    QFETCH(ProviderKind, kind);
    const auto client = ProviderClient::create(kind);
    ProviderRequest request;
    request.messages = { ProviderMessage {
        Message::Role::User,
        { ProviderContentPart::fromText(u"What is shown?"_s),
          ProviderContentPart::fromImage(QByteArray(2048, '\x7f'), u"image/webp"_s) } } };
    const StreamRun run = runStream(*client, simEndpoint(kind, m_sim.port(), u"echo"_s), request);
    QVERIFY(!run.timedOut);
    QVERIFY2(run.outcome->isComplete(), qPrintable(run.outcome->error.message));
    // The simulator echoes the text blocks; the image went along untouched.
    QCOMPARE(run.text(), u"What is shown?"_s);
}

void TestProviderStreams::wrongKeyIsFatalAndNeverLeaksTheKey_data()
{
    addDialects();
}

void TestProviderStreams::wrongKeyIsFatalAndNeverLeaksTheKey()
{
    QFETCH(ProviderKind, kind);
    const auto client = ProviderClient::create(kind);
    DeploymentEndpoint endpoint = simEndpoint(kind, m_sim.port(), u"locked"_s);
    endpoint.apiKey = u"sk-wrong-but-secret-key-0123456789"_s;
    const StreamRun run = runStream(*client, endpoint, userRequest(u"Hi"_s));
    QVERIFY(!run.timedOut);
    QVERIFY(run.wellOrdered());
    QCOMPARE(run.outcome->kind, ProviderOutcome::Kind::Fatal);
    QCOMPARE(run.outcome->cause, ProviderOutcome::Cause::Unauthorized);
    QCOMPARE(run.outcome->httpStatus, 401);
    QVERIFY(!run.outcome->isRetryable());
    QVERIFY(run.outcome->isDeploymentFault());
    QVERIFY(!run.started());
    QVERIFY(run.deltas.isEmpty());
    QVERIFY(!run.outcome->error.message.isEmpty());
    QVERIFY2(!run.outcome->error.message.contains(u"0123456789"_s),
             qPrintable(run.outcome->error.message));

    // The right key passes the same deployment.
    endpoint.apiKey = u"sk-locked-good"_s;
    const StreamRun good = runStream(*client, endpoint, userRequest(u"Hi"_s));
    QVERIFY(good.outcome && good.outcome->isComplete());
    QCOMPARE(good.text(), u"Hi"_s);
}

void TestProviderStreams::unreachableHostIsRetryable_data()
{
    addDialects();
}

void TestProviderStreams::unreachableHostIsRetryable()
{
    QFETCH(ProviderKind, kind);
    // A port that was just free and is now closed: connection refused.
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    }
    const auto client = ProviderClient::create(kind);
    const StreamRun run =
        runStream(*client, simEndpoint(kind, port, u"echo"_s), userRequest(u"Hi"_s));
    QVERIFY(!run.timedOut);
    QVERIFY(run.wellOrdered());
    QCOMPARE(run.outcome->kind, ProviderOutcome::Kind::Retryable);
    QCOMPARE(run.outcome->cause, ProviderOutcome::Cause::ConnectFailed);
    QCOMPARE(run.outcome->httpStatus, 0);
}

void TestProviderStreams::invalidRequestFinishesFatalWithoutSending_data()
{
    addDialects();
}

void TestProviderStreams::invalidRequestFinishesFatalWithoutSending()
{
    QFETCH(ProviderKind, kind);
    const auto client = ProviderClient::create(kind);
    const qint64 before = simStats(m_sim.port()).value("requests_total"_L1).toInteger();
    const StreamRun run =
        runStream(*client, simEndpoint(kind, m_sim.port(), u"echo"_s), ProviderRequest {});
    QVERIFY(run.wellOrdered());
    QCOMPARE(run.outcome->kind, ProviderOutcome::Kind::Fatal);
    QCOMPARE(run.outcome->error.code, u"invalid_field"_s);
    // Nothing reached the simulator (its own /sim/ requests are not counted).
    QCOMPARE(simStats(m_sim.port()).value("requests_total"_L1).toInteger(), before);
}

void TestProviderStreams::abortMidStreamStopsTheUpstream_data()
{
    addDialects();
}

void TestProviderStreams::abortMidStreamStopsTheUpstream()
{
    QFETCH(ProviderKind, kind);
    const auto client = ProviderClient::create(kind);
    const QJsonObject before = simDeploymentStats(m_sim.port(), u"drip"_s);
    const int leftBefore =
        before.value("stream_ends"_L1).toObject().value("client_left"_L1).toInt();
    bool abortReturned = false;
    const StreamRun run =
        runStream(*client, simEndpoint(kind, m_sim.port(), u"drip"_s), userRequest(u"go"_s),
                  [&](ProviderStream *stream) {
                      if (stream->deltaCount() == 2) {
                          stream->abort();
                          QVERIFY(stream->isFinished()); // finished() came before abort() returned
                          abortReturned = true;
                      }
                  });
    QVERIFY(abortReturned);
    QVERIFY(run.wellOrdered());
    QCOMPARE(run.outcome->kind, ProviderOutcome::Kind::Aborted);
    QCOMPARE(run.deltas.size(), 2);
    QVERIFY(!run.usage.has_value());
    // The simulator saw the client leave (coarse wait, not a timing check).
    QTRY_COMPARE_WITH_TIMEOUT(simDeploymentStats(m_sim.port(), u"drip"_s)
                                  .value("stream_ends"_L1)
                                  .toObject()
                                  .value("client_left"_L1)
                                  .toInt(),
                              leftBefore + 1, 10000);
}

void TestProviderStreams::destroyingTheClientEndsItsStreams_data()
{
    addDialects();
}

void TestProviderStreams::destroyingTheClientEndsItsStreams()
{
    QFETCH(ProviderKind, kind);
    auto client = ProviderClient::create(kind);
    std::unique_ptr<ProviderStream> stream(
        client->stream(simEndpoint(kind, m_sim.port(), u"drip"_s), userRequest(u"go"_s)));
    std::optional<ProviderOutcome> outcome;
    connect(stream.get(), &ProviderStream::finished, this,
            [&](const ProviderOutcome &o) { outcome = o; });
    QTRY_VERIFY_WITH_TIMEOUT(stream->deltaCount() > 0, 10000);
    client.reset();
    QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 10000);
    QCOMPARE(outcome->kind, ProviderOutcome::Kind::Interrupted);
    QCOMPARE(outcome->cause, ProviderOutcome::Cause::Disconnected);
    QCOMPARE(stream->text().isEmpty(), false);
}

void TestProviderStreams::concurrentStreamsAreNotQueuedBehindSixConnections_data()
{
    addDialects();
}

void TestProviderStreams::concurrentStreamsAreNotQueuedBehindSixConnections()
{
    QFETCH(ProviderKind, kind);
    // Qt 6.4's QNetworkAccessManager queued a seventh request to the same
    // host; a stream holds its connection for minutes, so queued users
    // would wait. The pool has no per-host limit.
    constexpr int count = 14;
    const auto client = ProviderClient::create(kind);
    std::vector<std::unique_ptr<ProviderStream>> streams;
    int started = 0;
    for (int i = 0; i < count; ++i) {
        streams.emplace_back(
            client->stream(simEndpoint(kind, m_sim.port(), u"many"_s), userRequest(u"go"_s)));
        connect(streams.back().get(), &ProviderStream::started, this, [&] { ++started; });
    }
    QTRY_COMPARE_WITH_TIMEOUT(started, count, 20000);
    QCOMPARE(simDeploymentStats(m_sim.port(), u"many"_s).value("active_streams"_L1).toInt(), count);
    // One connection per unfinished stream, all on this thread.
    QCOMPARE(client->connectionCount(), count);
    for (const auto &stream : streams)
        stream->abort();
    streams.clear();
    QTRY_COMPARE_WITH_TIMEOUT(
        simDeploymentStats(m_sim.port(), u"many"_s).value("active_streams"_L1).toInt(), 0, 10000);
}

void TestProviderStreams::sequentialStreamsReuseOneConnection_data()
{
    addDialects();
}

void TestProviderStreams::sequentialStreamsReuseOneConnection()
{
    QFETCH(ProviderKind, kind);
    const auto client = ProviderClient::create(kind);
    for (int i = 0; i < 3; ++i) {
        const StreamRun run =
            runStream(*client, simEndpoint(kind, m_sim.port(), u"echo"_s), userRequest(u"again"_s));
        QVERIFY(run.outcome && run.outcome->isComplete());
        QCOMPARE(run.text(), u"again"_s);
        // The chunked end after the terminator is read by the pool; wait
        // for the connection to be idle before the next request.
        QTRY_COMPARE_WITH_TIMEOUT(client->idleConnectionCount(), 1, 10000);
        QCOMPARE(client->connectionCount(), 1);
    }
    QCOMPARE(client->connectionsOpened(), 1);
}

QTEST_GUILESS_MAIN(TestProviderStreams)
#include "tst_providerstreams.moc"
