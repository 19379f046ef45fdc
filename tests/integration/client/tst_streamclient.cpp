// StreamClient against parlanced and the provider simulator, through a TCP
// proxy that cuts stream connections at random byte offsets: the client must
// reconnect with Last-Event-ID and end with exactly the stored text, every
// delta once. Also: a refused access token on the stream goes through the
// refresh, and a stream whose log expired fails with stream_expired.
#include "api/apiclient.h"
#include "api/streamclient.h"
#include "awaitresult.h"
#include "contract/errorcodes.h"
#include "cuttingproxy.h"
#include "streamtestserver.h"

#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>

using namespace parlance;
using namespace parlance::client;

class TestStreamClient : public QObject
{
    Q_OBJECT

    StreamTestServer m_env;
    int m_users = 0;

    std::unique_ptr<ApiClient> signedInClient(const QUrl &base)
    {
        auto api = std::make_unique<ApiClient>();
        api->setBaseUrl(base);
        const auto session = awaitResult<AuthSession>([&](auto done) {
            api->registerAccount(u"stream%1@example.com"_s.arg(++m_users),
                                 QString::fromLatin1(StreamTestServer::Password), {}, this, done);
        });
        if (!session)
            qWarning() << "register failed" << session.error().code;
        return api;
    }

    // Posts `prompt` to a new conversation; the started answer.
    Result<StartedAnswer> startAnswer(ApiClient &api, const QString &prompt)
    {
        NewConversation fields;
        fields.model = u"echo"_s;
        const auto conversation = awaitResult<Conversation>(
            [&](auto done) { api.createConversation(fields, this, done); });
        if (!conversation)
            return conversation.error();
        return awaitResult<StartedAnswer>([&](auto done) {
            api.sendMessage(conversation->id, { ContentPart::fromText(prompt) },
                            MessageParent::selectedLeaf(), this, done);
        });
    }

    QString storedText(ApiClient &api, const QString &messageId)
    {
        const auto stored =
            awaitResult<MessageDetail>([&](auto done) { api.getMessage(messageId, this, done); });
        return stored ? stored->message.plainText() : u"<%1>"_s.arg(stored.error().code);
    }

private Q_SLOTS:
    void initTestCase()
    {
        // A short retention so the expiry test does not wait 5 minutes.
        QVERIFY2(m_env.start({ u"--stream-retention"_s, u"1s"_s }), qPrintable(m_env.error));
    }
    void cleanupTestCase() { m_env.stop(); }

    void cutConnectionsResumeWithoutGapsOrDuplicates_data()
    {
        QTest::addColumn<quint32>("seed");
        QTest::addColumn<int>("maxCut"); // cut after 0..maxCut bytes of each SSE body
        QTest::addColumn<bool>("inHeaders"); // count from the answer's first byte instead
        QTest::addColumn<QString>("prompt");
        // Paced answers are cut while they generate; unpaced ones mostly
        // after, when the resume reads the retained log. Both bodies are
        // longer than the largest cut, however the server coalesces deltas,
        // so every row cuts at least once.
        const QString paced = u"paced [[sim: mode=lorem tokens=200 tps=200]]"_s;
        const QString unpaced = u"unpaced [[sim: mode=lorem tokens=400 tps=0]]"_s;
        for (quint32 seed = 1; seed <= 4; ++seed) {
            QTest::addRow("paced, seed %u", seed) << seed << 600 << false << paced;
            QTest::addRow("unpaced, seed %u", seed) << seed << 1000 << false << unpaced;
        }
        QTest::newRow("cut inside the headers") << quint32(9) << 60 << true << paced;
    }
    void cutConnectionsResumeWithoutGapsOrDuplicates()
    {
        QFETCH(quint32, seed);
        QFETCH(int, maxCut);
        QFETCH(bool, inHeaders);
        QFETCH(QString, prompt);

        CuttingProxy proxy(m_env.server.port());
        QVERIFY(proxy.listen());
        QRandomGenerator random(seed);
        proxy.cutAfter = [&random, maxCut] { return qint64(random.bounded(maxCut + 1)); };
        proxy.maxCuts = 6;
        proxy.countFromBody = !inHeaders;

        auto api = signedInClient(QUrl(u"http://127.0.0.1:%1"_s.arg(proxy.port())));
        const auto started = startAnswer(*api, prompt);
        QCOMPARE(codeOf(started), u"ok"_s);

        StreamClient stream(api.get());
        StreamClient::Settings settings;
        settings.initialBackoffMs = 10;
        settings.maxBackoffMs = 100;
        stream.setSettings(settings);
        QString fromSignals;
        connect(&stream, &StreamClient::deltaReceived, this,
                [&fromSignals](const QString &delta) { fromSignals += delta; });
        QSignalSpy finished(&stream, &StreamClient::finished);
        QSignalSpy failed(&stream, &StreamClient::failed);
        QSignalSpy metas(&stream, &StreamClient::metaReceived);
        QSignalSpy usages(&stream, &StreamClient::usageReceived);
        QSignalSpy states(&stream, &StreamClient::stateChanged);
        stream.start(started->streamUrl);
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() + failed.count() > 0, 60'000);
        QCOMPARE(failed.count(), 0);
        QCOMPARE(finished.at(0).at(0).value<Message::Status>(), Message::Status::Complete);

        const QString stored = storedText(*api, started->assistantMessageId);
        QVERIFY(stored.size() > 100);
        QCOMPARE(stream.text(), stored);
        QCOMPARE(fromSignals, stored);
        QCOMPARE(metas.count(), 1); // one deployment, no failover
        QCOMPARE(usages.count(), 1);
        QCOMPARE(finished.count(), 1);

        QVERIFY(proxy.cuts() >= 1);
        // QNAM itself resends a request whose connection closed before any
        // answer byte, so the proxy may see more requests than the client
        // opened connections; the client reconnected at least once.
        QVERIFY(stream.connectionCount() >= 2);
        QVERIFY(stream.connectionCount() <= proxy.streamRequests());
        // Every reconnect resumed after the last event delivered before it.
        const QList<QByteArray> ids = proxy.lastEventIds();
        QVERIFY(ids.first().isEmpty());
        qint64 previous = 0;
        for (qsizetype i = 1; i < ids.size(); ++i) {
            if (ids.at(i).isEmpty())
                continue; // cut before the first event: nothing to resume from
            QVERIFY(ids.at(i).toLongLong() >= previous);
            previous = ids.at(i).toLongLong();
        }
        if (!inHeaders) {
            QVERIFY(std::any_of(ids.cbegin() + 1, ids.cend(),
                                [](const QByteArray &id) { return !id.isEmpty(); }));
        }
        QVERIFY(states.contains(
            QList<QVariant> { QVariant::fromValue(StreamClient::State::Reconnecting) }));
    }

    void aRefusedAccessTokenOnTheStreamIsRefreshed()
    {
        auto api = signedInClient(m_env.server.baseUrl());
        const auto started = startAnswer(*api, u"token trouble [[sim: tps=200]]"_s);
        QCOMPARE(codeOf(started), u"ok"_s);
        api->setSession(u"expired"_s, api->refreshToken());
        const int before = api->refreshCount();

        StreamClient stream(api.get());
        QSignalSpy finished(&stream, &StreamClient::finished);
        QSignalSpy failed(&stream, &StreamClient::failed);
        stream.start(started->streamUrl);
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() + failed.count() > 0, 30'000);
        QCOMPARE(failed.count(), 0);
        QCOMPARE(api->refreshCount(), before + 1);
        QCOMPARE(stream.text(), storedText(*api, started->assistantMessageId));
    }

    void anExpiredLogWithAResumePointIsStreamExpired()
    {
        auto api = signedInClient(m_env.server.baseUrl());
        const auto started = startAnswer(*api, u"short lived"_s);
        QCOMPARE(codeOf(started), u"ok"_s);
        StreamClient first(api.get());
        QSignalSpy done(&first, &StreamClient::finished);
        first.start(started->streamUrl);
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 30'000);

        // Once the retained log is gone, resuming after an id cannot line up
        // with a replay: the server says 410 and the caller reloads.
        StreamClient resumed(api.get());
        QSignalSpy failed(&resumed, &StreamClient::failed);
        QSignalSpy expired(&resumed, &StreamClient::expired);
        QSignalSpy finished(&resumed, &StreamClient::finished);
        // While the log is retained, resuming after `done` yields nothing
        // and the client keeps reconnecting; once it is gone the server says
        // 410.
        StreamClient::Settings settings;
        settings.maxAttempts = 30;
        settings.maxBackoffMs = 500;
        resumed.setSettings(settings);
        resumed.start(started->streamUrl, first.lastEventId());
        QTRY_COMPARE_WITH_TIMEOUT(failed.count() + finished.count(), 1, 30'000);
        QCOMPARE(finished.count(), 0);
        QCOMPARE(failed.at(0).at(0).value<ApiError>().code, QString(errc::StreamExpired));
        QCOMPARE(resumed.state(), StreamClient::State::Failed);
        QCOMPARE(expired.count(), 1);
    }
};

QTEST_GUILESS_MAIN(TestStreamClient)
#include "tst_streamclient.moc"
