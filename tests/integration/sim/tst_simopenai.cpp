// The simulator's OpenAI chat completions: exact stream and response shapes,
// usage, authentication and request validation.

#include "simprocess.h"
#include "simtest.h"

#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;

class TstSimOpenAi : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void streamSendsChunksThenDone();
    void includeUsageAddsUsageChunkWithEmptyChoices();
    void nonStreamReturnsChatCompletionWithUsage();
    void maxTokensCutsWithFinishReasonLength();
    void authFailuresAnswer401_data();
    void authFailuresAnswer401();
    void configuredKeyIsAccepted();
    void unknownModelIs404ModelNotFound();
    void invalidBodiesAre400_data();
    void invalidBodiesAre400();
    void modelsListsDeploymentModels();
    void scriptModeStreamsTheScriptFile();
    void loremStreamsConfiguredTokensInChunks();
    void keepAliveServesSequentialRequestsThroughQnam();

private:
    SimProcess m_sim;
};

void TstSimOpenAi::initTestCase()
{
    QVERIFY2(
        m_sim.start({ u"--config"_s, QStringLiteral(PARLANCE_TEST_DATA_DIR "/sim/config.json") }),
                    qPrintable(m_sim.errorString()));
}

void TstSimOpenAi::streamSendsChunksThenDone()
{
    const RawResponse r = rawRequest(m_sim.port(), "POST", "/v1/chat/completions", openAiHeaders(),
                                     chatBody(u"Hello there, simulated world!"_s, true));
    QCOMPARE(r.status, 200);
    QVERIFY(r.complete);
    QCOMPARE(r.header("content-type"), "text/event-stream; charset=utf-8");
    QCOMPARE(r.header("transfer-encoding"), "chunked");
    QVERIFY(!r.header("x-request-id").isEmpty());

    const QList<SseEvent> events = parseSse(r.body);
    QVERIFY(events.size() >= 4);
    QCOMPARE(events.last().data, "[DONE]");
    QString id;
    for (qsizetype i = 0; i + 1 < events.size(); ++i) {
        QVERIFY(events[i].event.isEmpty());
        bool ok = false;
        const QJsonObject chunk = parseObject(events[i].data, &ok);
        QVERIFY2(ok, events[i].data.constData());
        QCOMPARE(chunk.value("object"_L1).toString(), u"chat.completion.chunk"_s);
        QCOMPARE(chunk.value("model"_L1).toString(), u"gpt-4o"_s);
        QVERIFY(chunk.value("created"_L1).toInteger() > 1700000000);
        QVERIFY(!chunk.contains("usage"_L1)); // only with include_usage
        if (id.isEmpty())
            id = chunk.value("id"_L1).toString();
        QCOMPARE(chunk.value("id"_L1).toString(), id);
        const QJsonObject choice = chunk.value("choices"_L1).toArray().first().toObject();
        QCOMPARE(choice.value("index"_L1).toInt(-1), 0);
        QVERIFY(choice.contains("logprobs"_L1) && choice.value("logprobs"_L1).isNull());
        const bool last = i + 2 == events.size();
        QCOMPARE(choice.value("finish_reason"_L1).toString(), last ? u"stop"_s : QString());
        if (i == 0)
            QCOMPARE(choice.value("delta"_L1).toObject().value("role"_L1).toString(),
                     u"assistant"_s);
        if (last)
            QVERIFY(choice.value("delta"_L1).toObject().isEmpty());
    }
    QVERIFY(id.startsWith("chatcmpl-"_L1));
    QCOMPARE(openAiStreamText(events), u"Hello there, simulated world!"_s);
}

void TstSimOpenAi::includeUsageAddsUsageChunkWithEmptyChoices()
{
    // "Hello there" is 11 characters: 3 per request + 4 per message + ceil(11/4).
    const RawResponse r = rawRequest(
        m_sim.port(), "POST", "/v1/chat/completions", openAiHeaders(),
        chatBody(u"Hello there"_s, true,
                 { { u"stream_options"_s, QJsonObject { { u"include_usage"_s, true } } } }));
    QCOMPARE(r.status, 200);
    const QList<SseEvent> events = parseSse(r.body);
    QCOMPARE(events.last().data, "[DONE]");
    const QJsonObject usageChunk = parseObject(events.at(events.size() - 2).data);
    QVERIFY(usageChunk.value("choices"_L1).toArray().isEmpty());
    const QJsonObject usage = usageChunk.value("usage"_L1).toObject();
    QCOMPARE(usage.value("prompt_tokens"_L1).toInt(), 3 + 4 + 3);
    QCOMPARE(usage.value("completion_tokens"_L1).toInt(), 2); // "Hello", " there"
    QCOMPARE(usage.value("total_tokens"_L1).toInt(), 12);
    for (qsizetype i = 0; i + 2 < events.size(); ++i) {
        const QJsonObject chunk = parseObject(events[i].data);
        QVERIFY(chunk.contains("usage"_L1) && chunk.value("usage"_L1).isNull());
    }
}

void TstSimOpenAi::nonStreamReturnsChatCompletionWithUsage()
{
    const RawResponse r = rawRequest(m_sim.port(), "POST", "/v1/chat/completions", openAiHeaders(),
                                     chatBody(u"Say this back"_s, false));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("content-type"), "application/json");
    const QJsonObject body = r.json();
    QCOMPARE(body.value("object"_L1).toString(), u"chat.completion"_s);
    QVERIFY(body.value("id"_L1).toString().startsWith("chatcmpl-"_L1));
    const QJsonObject choice = body.value("choices"_L1).toArray().first().toObject();
    QCOMPARE(choice.value("finish_reason"_L1).toString(), u"stop"_s);
    const QJsonObject message = choice.value("message"_L1).toObject();
    QCOMPARE(message.value("role"_L1).toString(), u"assistant"_s);
    QCOMPARE(message.value("content"_L1).toString(), u"Say this back"_s);
    const QJsonObject usage = body.value("usage"_L1).toObject();
    QCOMPARE(usage.value("prompt_tokens"_L1).toInt(), 3 + 4 + 4);
    QCOMPARE(usage.value("completion_tokens"_L1).toInt(), 3);
    QCOMPARE(usage.value("total_tokens"_L1).toInt(), 14);
}

void TstSimOpenAi::maxTokensCutsWithFinishReasonLength()
{
    const RawResponse r = rawRequest(
        m_sim.port(), "POST", "/v1/chat/completions", openAiHeaders(),
        chatBody(u"one two three four five"_s, false, { { u"max_completion_tokens"_s, 2 } }));
    const QJsonObject choice = r.json().value("choices"_L1).toArray().first().toObject();
    QCOMPARE(choice.value("finish_reason"_L1).toString(), u"length"_s);
    QCOMPARE(choice.value("message"_L1).toObject().value("content"_L1).toString(), u"one two"_s);
    QCOMPARE(r.json().value("usage"_L1).toObject().value("completion_tokens"_L1).toInt(), 2);
}

void TstSimOpenAi::authFailuresAnswer401_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<QString>("code");
    QTest::newRow("no header") << "/v1/chat/completions"_ba << QByteArray() << QString();
    QTest::newRow("empty bearer") << "/v1/chat/completions"_ba
                                  << "Bearer "_ba << QString();
    QTest::newRow("not bearer") << "/v1/chat/completions"_ba
                                << "Basic abc"_ba << QString();
    QTest::newRow("wrong key") << "/d/locked/v1/chat/completions"_ba
                               << "Bearer sk-locked-bad"_ba << u"invalid_api_key"_s;
}

void TstSimOpenAi::authFailuresAnswer401()
{
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, authorization);
    QFETCH(QString, code);
    Headers headers;
    if (!authorization.isEmpty())
        headers.append({ "authorization"_ba, authorization });
    const RawResponse r = rawRequest(m_sim.port(), "POST", path, headers, chatBody(u"hi"_s, true));
    QCOMPARE(r.status, 401);
    const QJsonObject error = r.json().value("error"_L1).toObject();
    QCOMPARE(error.value("type"_L1).toString(), u"invalid_request_error"_s);
    QVERIFY(!error.value("message"_L1).toString().isEmpty());
    QVERIFY(error.contains("param"_L1) && error.value("param"_L1).isNull());
    QVERIFY(error.contains("code"_L1));
    QCOMPARE(error.value("code"_L1).toString(), code);
    QVERIFY(!r.body.contains("sk-locked-bad")); // keys are masked
}

void TstSimOpenAi::configuredKeyIsAccepted()
{
    const RawResponse r = rawRequest(m_sim.port(), "POST", "/d/locked/v1/chat/completions",
                                     openAiHeaders("sk-locked-good"), chatBody(u"hi"_s, false));
    QCOMPARE(r.status, 200);
}

void TstSimOpenAi::unknownModelIs404ModelNotFound()
{
    const RawResponse r = rawRequest(m_sim.port(), "POST", "/d/locked/v1/chat/completions",
                                     openAiHeaders("sk-locked-good"),
                                     chatBody(u"hi"_s, false, {}, u"gpt-nonexistent"_s));
    QCOMPARE(r.status, 404);
    QCOMPARE(r.json().value("error"_L1).toObject().value("code"_L1).toString(),
             u"model_not_found"_s);
}

void TstSimOpenAi::invalidBodiesAre400_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("not json") << "{nope"_ba;
    QTest::newRow("no model") << R"({"messages":[{"role":"user","content":"x"}]})"_ba;
    QTest::newRow("no messages") << R"({"model":"gpt-4o"})"_ba;
    QTest::newRow("empty messages") << R"({"model":"gpt-4o","messages":[]})"_ba;
    QTest::newRow("bad max_tokens")
        << R"({"model":"gpt-4o","max_tokens":0,"messages":[{"role":"user","content":"x"}]})"_ba;
    QTest::newRow("bad directive") << chatBody(u"[[sim: fault=meteor]]"_s, true);
}

void TstSimOpenAi::invalidBodiesAre400()
{
    QFETCH(QByteArray, body);
    const RawResponse r =
        rawRequest(m_sim.port(), "POST", "/v1/chat/completions", openAiHeaders(), body);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json().value("error"_L1).toObject().value("type"_L1).toString(),
             u"invalid_request_error"_s);
}

void TstSimOpenAi::modelsListsDeploymentModels()
{
    const RawResponse r =
        rawRequest(m_sim.port(), "GET", "/d/locked/v1/models", openAiHeaders("sk-locked-good"), {});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value("object"_L1).toString(), u"list"_s);
    const QJsonArray data = r.json().value("data"_L1).toArray();
    QCOMPARE(data.size(), 2);
    QCOMPARE(data.first().toObject().value("id"_L1).toString(), u"gpt-4o"_s);
    QCOMPARE(data.first().toObject().value("object"_L1).toString(), u"model"_s);
}

void TstSimOpenAi::scriptModeStreamsTheScriptFile()
{
    QFile script(QStringLiteral(PARLANCE_TEST_DATA_DIR "/sim/scripts/markdown.md"));
    QVERIFY(script.open(QIODevice::ReadOnly));
    const RawResponse r = rawRequest(m_sim.port(), "POST", "/d/scripted/v1/chat/completions",
                                     openAiHeaders(), chatBody(u"anything"_s, true));
    QCOMPARE(r.status, 200);
    QCOMPARE(openAiStreamText(parseSse(r.body)), QString::fromUtf8(script.readAll()));
}

void TstSimOpenAi::loremStreamsConfiguredTokensInChunks()
{
    // The "lorem" deployment: 30 tokens, 3 per chunk.
    const RawResponse r = rawRequest(
        m_sim.port(), "POST", "/d/lorem/v1/chat/completions", openAiHeaders(),
        chatBody(u"x"_s, true,
                 { { u"stream_options"_s, QJsonObject { { u"include_usage"_s, true } } } }));
    const QList<SseEvent> events = parseSse(r.body);
    // role chunk + 10 content chunks + finish chunk + usage chunk + [DONE]
    QCOMPARE(events.size(), 14);
    const QJsonObject usage = parseObject(events.at(12).data).value("usage"_L1).toObject();
    QCOMPARE(usage.value("completion_tokens"_L1).toInt(), 30);
    QVERIFY(openAiStreamText(events).startsWith(u"Lorem ipsum dolor"_s));
}

void TstSimOpenAi::keepAliveServesSequentialRequestsThroughQnam()
{
    QNetworkAccessManager manager;
    for (int i = 0; i < 2; ++i) {
        QNetworkRequest request(QUrl(m_sim.baseUrl() + u"/v1/chat/completions"_s));
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        request.setRawHeader("Authorization", "Bearer sk-test");
        QNetworkReply *reply = manager.post(request, chatBody(u"round %1"_s.arg(i), true));
        QEventLoop loop;
        connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(10000, &loop, &QEventLoop::quit);
        loop.exec();
        QVERIFY(reply->isFinished());
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        const QList<SseEvent> events = parseSse(reply->readAll());
        QCOMPARE(openAiStreamText(events), u"round %1"_s.arg(i));
        QCOMPARE(events.last().data, "[DONE]");
        reply->deleteLater();
    }
}

QTEST_GUILESS_MAIN(TstSimOpenAi)
#include "tst_simopenai.moc"
