#include "providers/anthropicclient.h"
#include "providers/openaicompatibleclient.h"

#include <QJsonDocument>
#include <QTest>

using namespace parlance;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(parlance::ProviderRequest)
Q_DECLARE_METATYPE(parlance::DeploymentEndpoint)

namespace {

using Role = Message::Role;

const QByteArray pngBytes = QByteArray("\x89PNG\r\n\x1a\n-fake-", 14);
const QString pngBase64 = QString::fromLatin1(pngBytes.toBase64());

DeploymentEndpoint endpoint(ProviderKind kind)
{
    DeploymentEndpoint e;
    e.kind = kind;
    e.name = u"test"_s;
    e.baseUrl = QUrl(u"http://127.0.0.1:9/d/primary/v1"_s);
    e.apiKey = u"sk-secret-key-123"_s;
    e.upstreamModel = kind == ProviderKind::Anthropic ? u"claude-x"_s : u"gpt-x"_s;
    return e;
}

ProviderRequest request(QList<ProviderMessage> messages)
{
    ProviderRequest r;
    r.messages = std::move(messages);
    return r;
}

ProviderMessage msg(Role role, QList<ProviderContentPart> parts)
{
    return ProviderMessage { role, std::move(parts) };
}

ProviderContentPart text(const QString &t)
{
    return ProviderContentPart::fromText(t);
}

ProviderContentPart png()
{
    return ProviderContentPart::fromImage(pngBytes, u"image/png"_s);
}

QJsonObject json(QString source)
{
    source.replace(u"PNG64"_s, pngBase64);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(source.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad expected JSON in test: %s", qPrintable(error.errorString()));
    return doc.object();
}

// Compact JSON with sorted keys: equal objects give equal text, and a
// failure prints both.
QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

class TestProviderRequests : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void openAiBody_data();
    void openAiBody();
    void anthropicBody_data();
    void anthropicBody();
    void invalidRequestsAreRefused_data();
    void invalidRequestsAreRefused();
    void endpointUrlAppendsToBaseWithVersion_data();
    void endpointUrlAppendsToBaseWithVersion();
    void openAiHeadersCarryBearerKey();
    void openAiOmitsAuthWithoutKey();
    void anthropicHeadersCarryKeyAndVersion();
    void extraHeadersReplaceOurs();
};

void TestProviderRequests::openAiBody_data()
{
    QTest::addColumn<DeploymentEndpoint>("deployment");
    QTest::addColumn<ProviderRequest>("input");
    QTest::addColumn<QJsonObject>("expected");

    const DeploymentEndpoint base = endpoint(ProviderKind::OpenAiCompatible);
    QTest::newRow("text turns keep their order and roles, system stays a message")
        << base
        << request({ ProviderMessage::text(Role::System, u"Be brief."_s),
                     ProviderMessage::text(Role::User, u"Hi"_s),
                     ProviderMessage::text(Role::Assistant, u"Hello!"_s),
                     ProviderMessage::text(Role::User, u"Bye"_s) })
        << json(uR"({"model":"gpt-x","stream":true,"stream_options":{"include_usage":true},
                 "messages":[{"role":"system","content":"Be brief."},
                             {"role":"user","content":"Hi"},
                             {"role":"assistant","content":"Hello!"},
                             {"role":"user","content":"Bye"}]})"_s);

    ProviderRequest limited = request({ ProviderMessage::text(Role::User, u"Hi"_s) });
    limited.maxOutputTokens = 64;
    limited.temperature = 0.5;
    QTest::newRow("max tokens and temperature when set")
        << base << limited
        << json(uR"({"model":"gpt-x","stream":true,"stream_options":{"include_usage":true},
                 "max_tokens":64,"temperature":0.5,
                 "messages":[{"role":"user","content":"Hi"}]})"_s);

    DeploymentEndpoint reasoning = base;
    reasoning.maxTokensField = u"max_completion_tokens"_s;
    reasoning.streamUsage = false;
    QTest::newRow("configured max tokens field, usage option off")
        << reasoning << limited
        << json(uR"({"model":"gpt-x","stream":true,"max_completion_tokens":64,"temperature":0.5,
                 "messages":[{"role":"user","content":"Hi"}]})"_s);

    QTest::newRow("several text parts without images join with a blank line")
        << base << request({ msg(Role::User, { text(u"one"_s), text(u"two"_s) }) })
        << json(uR"({"model":"gpt-x","stream":true,"stream_options":{"include_usage":true},
                 "messages":[{"role":"user","content":"one\n\ntwo"}]})"_s);

    QTest::newRow("image makes a content array of text and image_url data URL")
        << base << request({ msg(Role::User, { text(u"What is this?"_s), png(), text(u""_s) }) })
        << json(uR"({"model":"gpt-x","stream":true,"stream_options":{"include_usage":true},
                 "messages":[{"role":"user","content":[
                   {"type":"text","text":"What is this?"},
                   {"type":"image_url","image_url":{"url":"data:image/png;base64,PNG64"}}]}]})"_s);
}

void TestProviderRequests::openAiBody()
{
    QFETCH(DeploymentEndpoint, deployment);
    QFETCH(ProviderRequest, input);
    QFETCH(QJsonObject, expected);
    const Result<QJsonObject> body = OpenAiCompatibleClient().buildBody(deployment, input);
    QVERIFY2(body.ok(), qPrintable(body.ok() ? QString() : body.error().message));
    QCOMPARE(compact(*body), compact(expected));
}

void TestProviderRequests::anthropicBody_data()
{
    QTest::addColumn<DeploymentEndpoint>("deployment");
    QTest::addColumn<ProviderRequest>("input");
    QTest::addColumn<QJsonObject>("expected");

    const DeploymentEndpoint base = endpoint(ProviderKind::Anthropic);
    QTest::newRow("system becomes top-level, max_tokens defaults")
        << base
        << request({ ProviderMessage::text(Role::System, u"Be brief."_s),
                     ProviderMessage::text(Role::User, u"Hi"_s) })
        << json(uR"({"model":"claude-x","stream":true,"max_tokens":4096,"system":"Be brief.",
                 "messages":[{"role":"user","content":"Hi"}]})"_s);

    ProviderRequest limited = request({ ProviderMessage::text(Role::System, u"A"_s),
                                        ProviderMessage::text(Role::User, u"Hi"_s),
                                        ProviderMessage::text(Role::System, u"B"_s) });
    limited.maxOutputTokens = 100;
    limited.temperature = 0.25;
    QTest::newRow("several system messages join, request max_tokens wins")
        << base << limited
        << json(uR"({"model":"claude-x","stream":true,"max_tokens":100,"temperature":0.25,
                 "system":"A\n\nB","messages":[{"role":"user","content":"Hi"}]})"_s);

    QTest::newRow("consecutive same-role messages merge into blocks")
        << base
        << request({ ProviderMessage::text(Role::User, u"one"_s),
                     ProviderMessage::text(Role::User, u"two"_s),
                     ProviderMessage::text(Role::Assistant, u"three"_s),
                     ProviderMessage::text(Role::Assistant, u"four"_s),
                     ProviderMessage::text(Role::User, u"five"_s) })
        << json(uR"({"model":"claude-x","stream":true,"max_tokens":4096,"messages":[
                 {"role":"user","content":[{"type":"text","text":"one"},{"type":"text","text":"two"}]},
                 {"role":"assistant","content":[{"type":"text","text":"three"},
                                                {"type":"text","text":"four"}]},
                 {"role":"user","content":"five"}]})"_s);

    QTest::newRow("empty text parts and empty messages are dropped before merging")
        << base
        << request({ ProviderMessage::text(Role::User, u"one"_s),
                     ProviderMessage::text(Role::Assistant, u""_s),
                     msg(Role::User, { text(u""_s), text(u"two"_s) }) })
        << json(uR"({"model":"claude-x","stream":true,"max_tokens":4096,"messages":[
                 {"role":"user","content":[{"type":"text","text":"one"},
                                           {"type":"text","text":"two"}]}]})"_s);

    QTest::newRow("image becomes a base64 source block")
        << base << request({ msg(Role::User, { png(), text(u"Describe it"_s) }) })
        << json(uR"({"model":"claude-x","stream":true,"max_tokens":4096,"messages":[
                 {"role":"user","content":[
                   {"type":"image","source":{"type":"base64","media_type":"image/png","data":"PNG64"}},
                   {"type":"text","text":"Describe it"}]}]})"_s);
}

void TestProviderRequests::anthropicBody()
{
    QFETCH(DeploymentEndpoint, deployment);
    QFETCH(ProviderRequest, input);
    QFETCH(QJsonObject, expected);
    const Result<QJsonObject> body = AnthropicClient().buildBody(deployment, input);
    QVERIFY2(body.ok(), qPrintable(body.ok() ? QString() : body.error().message));
    QCOMPARE(compact(*body), compact(expected));
}

void TestProviderRequests::invalidRequestsAreRefused_data()
{
    QTest::addColumn<ProviderRequest>("input");
    QTest::addColumn<bool>("anthropicToo");

    QTest::newRow("no messages") << request({}) << true;
    QTest::newRow("image in an assistant message")
        << request({ msg(Role::Assistant, { png() }) }) << true;
    QTest::newRow("image in a system message") << request({ msg(Role::System, { png() }) }) << true;
    QTest::newRow("unsupported image type") << request(
        { msg(Role::User, { ProviderContentPart::fromImage(pngBytes, u"image/bmp"_s) }) })
                                            << true;
    QTest::newRow("empty image") << request(
        { msg(Role::User, { ProviderContentPart::fromImage({}, u"image/png"_s) }) })
                                 << true;
    ProviderRequest zero = request({ ProviderMessage::text(Role::User, u"Hi"_s) });
    zero.maxOutputTokens = 0;
    QTest::newRow("zero max tokens") << zero << true;
    QTest::newRow("only a system prompt (Anthropic has no turn to send)")
        << request({ ProviderMessage::text(Role::System, u"S"_s) }) << false;
}

void TestProviderRequests::invalidRequestsAreRefused()
{
    QFETCH(ProviderRequest, input);
    QFETCH(bool, anthropicToo);
    const Result<QJsonObject> anthropic =
        AnthropicClient().buildBody(endpoint(ProviderKind::Anthropic), input);
    QVERIFY(!anthropic.ok());
    QCOMPARE(anthropic.error().code, u"invalid_field"_s);
    const Result<QJsonObject> openAi =
        OpenAiCompatibleClient().buildBody(endpoint(ProviderKind::OpenAiCompatible), input);
    QCOMPARE(!openAi.ok(), anthropicToo);
}

void TestProviderRequests::endpointUrlAppendsToBaseWithVersion_data()
{
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("openAi");
    QTest::addColumn<QString>("anthropic");
    QTest::newRow("plain") << u"https://api.example.com/v1"_s
                           << u"https://api.example.com/v1/chat/completions"_s
                           << u"https://api.example.com/v1/messages"_s;
    QTest::newRow("trailing slash")
        << u"http://127.0.0.1:11434/v1/"_s << u"http://127.0.0.1:11434/v1/chat/completions"_s
        << u"http://127.0.0.1:11434/v1/messages"_s;
    QTest::newRow("path prefix") << u"https://openrouter.ai/api/v1"_s
                                 << u"https://openrouter.ai/api/v1/chat/completions"_s
                                 << u"https://openrouter.ai/api/v1/messages"_s;
}

void TestProviderRequests::endpointUrlAppendsToBaseWithVersion()
{
    QFETCH(QString, base);
    QFETCH(QString, openAi);
    QFETCH(QString, anthropic);
    DeploymentEndpoint e = endpoint(ProviderKind::OpenAiCompatible);
    e.baseUrl = QUrl(base);
    QCOMPARE(OpenAiCompatibleClient().buildHttpRequest(e).url.toString(), openAi);
    QCOMPARE(AnthropicClient().buildHttpRequest(e).url.toString(), anthropic);
}

void TestProviderRequests::openAiHeadersCarryBearerKey()
{
    const HttpRequest r =
        OpenAiCompatibleClient().buildHttpRequest(endpoint(ProviderKind::OpenAiCompatible));
    QCOMPARE(r.header("authorization"), "Bearer sk-secret-key-123"_ba);
    QCOMPARE(r.header("content-type"), "application/json"_ba);
    QCOMPARE(r.header("accept"), "text/event-stream"_ba);
    QVERIFY(!r.hasHeader("x-api-key"));
}

void TestProviderRequests::openAiOmitsAuthWithoutKey()
{
    DeploymentEndpoint local = endpoint(ProviderKind::OpenAiCompatible);
    local.apiKey.clear();
    QVERIFY(!OpenAiCompatibleClient().buildHttpRequest(local).hasHeader("authorization"));
}

void TestProviderRequests::anthropicHeadersCarryKeyAndVersion()
{
    const HttpRequest r = AnthropicClient().buildHttpRequest(endpoint(ProviderKind::Anthropic));
    QCOMPARE(r.header("x-api-key"), "sk-secret-key-123"_ba);
    QCOMPARE(r.header("anthropic-version"), "2023-06-01"_ba);
    QVERIFY(!r.hasHeader("authorization"));
}

void TestProviderRequests::extraHeadersReplaceOurs()
{
    DeploymentEndpoint e = endpoint(ProviderKind::Anthropic);
    e.extraHeaders = { { "anthropic-version"_ba, "2099-01-01"_ba },
                       { "anthropic-beta"_ba, "feature-x"_ba } };
    const HttpRequest r = AnthropicClient().buildHttpRequest(e);
    QCOMPARE(r.header("anthropic-version"), "2099-01-01"_ba);
    QCOMPARE(r.header("anthropic-beta"), "feature-x"_ba);
    int versions = 0;
    for (const auto &header : r.headers)
        versions += header.first.compare("anthropic-version", Qt::CaseInsensitive) == 0 ? 1 : 0;
    QCOMPARE(versions, 1);
}

QTEST_GUILESS_MAIN(TestProviderRequests)
#include "tst_providerrequests.moc"
