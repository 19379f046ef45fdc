// The simulator's Anthropic messages API: event order and shapes, the
// message object, usage, headers and errors.

#include "simprocess.h"
#include "simtest.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TstSimAnthropic : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void streamEventsComeInTheDocumentedOrder();
    void nonStreamReturnsMessageObject();
    void maxTokensStopsWithMaxTokensReason();
    void systemPromptCountsAsInputTokens();
    void requestErrors_data();
    void requestErrors();
    void modelsListInAnthropicShape();

private:
    SimProcess m_sim;
};

void TstSimAnthropic::initTestCase()
{
    QVERIFY2(
        m_sim.start({ u"--config"_s, QStringLiteral(PARLANCE_TEST_DATA_DIR "/sim/config.json") }),
                    qPrintable(m_sim.errorString()));
}

void TstSimAnthropic::streamEventsComeInTheDocumentedOrder()
{
    // "Hi Claude, how are you?" is 23 characters: 3 + 4 + ceil(23/4) = 13.
    const RawResponse r = rawRequest(m_sim.port(), "POST", "/v1/messages", anthropicHeaders(),
                                     anthropicBody(u"Hi Claude, how are you?"_s, true));
    QCOMPARE(r.status, 200);
    QVERIFY(r.complete);
    QCOMPARE(r.header("content-type"), "text/event-stream; charset=utf-8");
    QVERIFY(!r.header("request-id").isEmpty());

    const QList<SseEvent> events = parseSse(r.body);
    QStringList names;
    QString text;
    for (const SseEvent &event : events) {
        names.append(QString::fromUtf8(event.event));
        bool ok = false;
        const QJsonObject data = parseObject(event.data, &ok);
        QVERIFY2(ok, event.data.constData());
        QCOMPARE(data.value("type"_L1).toString(), QString::fromUtf8(event.event));
        if (event.event == "content_block_delta") {
            QCOMPARE(data.value("index"_L1).toInt(-1), 0);
            const QJsonObject delta = data.value("delta"_L1).toObject();
            QCOMPARE(delta.value("type"_L1).toString(), u"text_delta"_s);
            text += delta.value("text"_L1).toString();
        }
    }
    const qsizetype deltas = names.count(u"content_block_delta"_s);
    QCOMPARE(deltas, 7); // "Hi", " Claude", ",", " how", " are", " you", "?"
    QStringList expected { u"message_start"_s, u"content_block_start"_s, u"ping"_s };
    for (qsizetype i = 0; i < deltas; ++i)
        expected.append(u"content_block_delta"_s);
    expected += { u"content_block_stop"_s, u"message_delta"_s, u"message_stop"_s };
    QCOMPARE(names, expected);
    QCOMPARE(text, u"Hi Claude, how are you?"_s);

    const QJsonObject message = parseObject(events.first().data).value("message"_L1).toObject();
    QVERIFY(message.value("id"_L1).toString().startsWith("msg_"_L1));
    QCOMPARE(message.value("type"_L1).toString(), u"message"_s);
    QCOMPARE(message.value("role"_L1).toString(), u"assistant"_s);
    QCOMPARE(message.value("model"_L1).toString(), u"claude-sonnet"_s);
    QVERIFY(message.value("content"_L1).toArray().isEmpty());
    QVERIFY(message.value("stop_reason"_L1).isNull());
    QCOMPARE(message.value("usage"_L1).toObject().value("input_tokens"_L1).toInt(), 13);

    const QJsonObject block = parseObject(events.at(1).data).value("content_block"_L1).toObject();
    QCOMPARE(block.value("type"_L1).toString(), u"text"_s);
    QCOMPARE(block.value("text"_L1).toString(), QString());

    const QJsonObject messageDelta = parseObject(events.at(events.size() - 2).data);
    QCOMPARE(messageDelta.value("delta"_L1).toObject().value("stop_reason"_L1).toString(),
             u"end_turn"_s);
    QVERIFY(messageDelta.value("delta"_L1).toObject().value("stop_sequence"_L1).isNull());
    QCOMPARE(messageDelta.value("usage"_L1).toObject().value("output_tokens"_L1).toInt(),
             int(deltas));
}

void TstSimAnthropic::nonStreamReturnsMessageObject()
{
    const RawResponse r = rawRequest(m_sim.port(), "POST", "/v1/messages", anthropicHeaders(),
                                     anthropicBody(u"Echo me"_s, false));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("content-type"), "application/json");
    const QJsonObject body = r.json();
    QCOMPARE(body.value("type"_L1).toString(), u"message"_s);
    QCOMPARE(body.value("role"_L1).toString(), u"assistant"_s);
    QCOMPARE(body.value("stop_reason"_L1).toString(), u"end_turn"_s);
    const QJsonArray content = body.value("content"_L1).toArray();
    QCOMPARE(content.size(), 1);
    QCOMPARE(content.first().toObject().value("type"_L1).toString(), u"text"_s);
    QCOMPARE(content.first().toObject().value("text"_L1).toString(), u"Echo me"_s);
    const QJsonObject usage = body.value("usage"_L1).toObject();
    QCOMPARE(usage.value("input_tokens"_L1).toInt(), 3 + 4 + 2);
    QCOMPARE(usage.value("output_tokens"_L1).toInt(), 2);
}

void TstSimAnthropic::maxTokensStopsWithMaxTokensReason()
{
    const RawResponse r = rawRequest(m_sim.port(), "POST", "/v1/messages", anthropicHeaders(),
                                     anthropicBody(u"[[sim: mode=lorem tokens=50]]"_s, true, 4));
    const QList<SseEvent> events = parseSse(r.body);
    QCOMPARE(events.last().event, "message_stop");
    const QJsonObject messageDelta = parseObject(events.at(events.size() - 2).data);
    QCOMPARE(messageDelta.value("delta"_L1).toObject().value("stop_reason"_L1).toString(),
             u"max_tokens"_s);
    QCOMPARE(messageDelta.value("usage"_L1).toObject().value("output_tokens"_L1).toInt(), 4);
}

void TstSimAnthropic::systemPromptCountsAsInputTokens()
{
    // System "Be brief." (9 chars) and user "Hi" (2): 3 + (4 + 3) + (4 + 1).
    const RawResponse r =
        rawRequest(m_sim.port(), "POST", "/v1/messages", anthropicHeaders(),
                   anthropicBody(u"Hi"_s, false, 100, { { u"system"_s, u"Be brief."_s } }));
    QCOMPARE(r.json().value("usage"_L1).toObject().value("input_tokens"_L1).toInt(), 15);
}

void TstSimAnthropic::requestErrors_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<Headers>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("type");
    const QByteArray ok = anthropicBody(u"hi"_s, true);
    QTest::newRow("no x-api-key") << "/v1/messages"_ba
                                  << Headers { { "anthropic-version"_ba, "2023-06-01"_ba } } << ok
                                  << 401 << u"authentication_error"_s;
    QTest::newRow("wrong key") << "/d/locked/v1/messages"_ba << anthropicHeaders("sk-locked-bad")
                               << ok << 401 << u"authentication_error"_s;
    QTest::newRow("no anthropic-version")
        << "/v1/messages"_ba << Headers { { "x-api-key"_ba, "k"_ba } } << ok << 400
        << u"invalid_request_error"_s;
    QTest::newRow("no max_tokens") << "/v1/messages"_ba << anthropicHeaders()
                                   << chatBody(u"hi"_s, true) << 400 << u"invalid_request_error"_s;
    QTest::newRow("system role in messages")
        << "/v1/messages"_ba << anthropicHeaders()
        << R"({"model":"m","max_tokens":5,"messages":[{"role":"system","content":"x"}]})"_ba << 400
        << u"invalid_request_error"_s;
    QTest::newRow("unknown model")
        << "/d/locked/v1/messages"_ba << anthropicHeaders("sk-locked-good")
        << anthropicBody(u"hi"_s, true).replace("claude-sonnet", "claude-x") << 404
        << u"not_found_error"_s;
    QTest::newRow("unknown path") << "/v1/complete"_ba << anthropicHeaders() << ok << 404
                                  << u"not_found_error"_s;
}

void TstSimAnthropic::requestErrors()
{
    QFETCH(QByteArray, path);
    QFETCH(Headers, headers);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, type);
    const RawResponse r = rawRequest(m_sim.port(), "POST", path, headers, body);
    QCOMPARE(r.status, status);
    QCOMPARE(r.header("content-type"), "application/json");
    QCOMPARE(r.json().value("type"_L1).toString(), u"error"_s);
    const QJsonObject error = r.json().value("error"_L1).toObject();
    QCOMPARE(error.value("type"_L1).toString(), type);
    QVERIFY(!error.value("message"_L1).toString().isEmpty());
}

void TstSimAnthropic::modelsListInAnthropicShape()
{
    const RawResponse r = rawRequest(m_sim.port(), "GET", "/d/locked/v1/models",
                                     anthropicHeaders("sk-locked-good"), {});
    QCOMPARE(r.status, 200);
    const QJsonArray data = r.json().value("data"_L1).toArray();
    QCOMPARE(data.size(), 2);
    QCOMPARE(data.at(1).toObject().value("type"_L1).toString(), u"model"_s);
    QCOMPARE(data.at(1).toObject().value("id"_L1).toString(), u"claude-sonnet"_s);
    QCOMPARE(r.json().value("has_more"_L1).toBool(true), false);
    QCOMPARE(r.json().value("last_id"_L1).toString(), u"claude-sonnet"_s);
}

QTEST_GUILESS_MAIN(TstSimAnthropic)
#include "tst_simanthropic.moc"
