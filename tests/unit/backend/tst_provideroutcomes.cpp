#include "providers/anthropicprotocol.h"
#include "providers/errorclassifier.h"
#include "providers/openaiprotocol.h"

#include <QDateTime>
#include <QLocale>
#include <QTest>

using namespace parlance;
using namespace Qt::StringLiterals;

using Kind = ProviderOutcome::Kind;
using Cause = ProviderOutcome::Cause;
Q_DECLARE_METATYPE(ProviderOutcome::Kind)
Q_DECLARE_METATYPE(ProviderOutcome::Cause)
Q_DECLARE_METATYPE(std::optional<int>)

namespace {

SseEvent sse(const QString &data, const QString &type = u"message"_s)
{
    SseEvent e;
    e.type = type;
    e.data = data;
    return e;
}

} // namespace

class TestProviderOutcomes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void openAiDecoderReadsTextUsageAndTerminator();
    void openAiDecoderFlagsMalformedAndErrorChunks();
    void anthropicDecoderReadsTextUsageAndTerminator();
    void anthropicDecoderIgnoresNonTextDeltasAndReadsErrors();
    void httpStatusClassification_data();
    void httpStatusClassification();
    void streamErrorBeforeFirstTokenIsRetryableAfterIsInterrupted();
    void transportFailureDependsOnFirstToken();
    void httpFailureClassification_data();
    void httpFailureClassification();
    void retryAfterParsing_data();
    void retryAfterParsing();
    void retryAfterHttpDateIsSecondsFromNow();
    void sanitizerRemovesKeysAndControlCharacters();
    void upstreamErrorBodies_data();
    void upstreamErrorBodies();
};

void TestProviderOutcomes::openAiDecoderReadsTextUsageAndTerminator()
{
    OpenAiStreamDecoder decoder;
    StreamStep step = decoder.decode(sse(uR"({"choices":[{"index":0,"delta":{"role":"assistant",
        "content":""},"finish_reason":null}],"usage":null})"_s));
    QVERIFY(step.text.isEmpty() && !step.usage && !step.terminator && !step.malformed);
    step = decoder.decode(sse(uR"({"choices":[{"index":0,"delta":{"content":"Hel"}}]})"_s));
    QCOMPARE(step.text, u"Hel"_s);
    step =
        decoder.decode(sse(uR"({"choices":[{"index":0,"delta":{},"finish_reason":"length"}]})"_s));
    QCOMPARE(step.finishReason, u"length"_s);
    step = decoder.decode(sse(uR"({"choices":[],"usage":{"prompt_tokens":12,
        "completion_tokens":5,"total_tokens":17,"prompt_tokens_details":{"cached_tokens":8}}})"_s));
    QVERIFY(step.usage.has_value());
    QCOMPARE(step.usage->inputTokens, 12);
    QCOMPARE(step.usage->outputTokens, 5);
    QCOMPARE(step.usage->cachedTokens, 8);
    QVERIFY(decoder.decode(sse(u" [DONE]"_s)).terminator);
}

void TestProviderOutcomes::openAiDecoderFlagsMalformedAndErrorChunks()
{
    OpenAiStreamDecoder decoder;
    QVERIFY(decoder.decode(sse(uR"({"id":"x","choices":[{"delta":{"content":")"_s)).malformed);
    QVERIFY(decoder.decode(sse(u"[1,2]"_s)).malformed);
    const StreamStep step =
        decoder.decode(sse(uR"({"error":{"message":"boom","type":"server_error","code":null}})"_s));
    QVERIFY(step.error.has_value());
    QCOMPARE(step.error->type, u"server_error"_s);
    QCOMPARE(step.error->message, u"boom"_s);
}

void TestProviderOutcomes::anthropicDecoderReadsTextUsageAndTerminator()
{
    AnthropicStreamDecoder decoder;
    StreamStep step = decoder.decode(sse(uR"({"type":"message_start","message":{"usage":
        {"input_tokens":10,"cache_read_input_tokens":30,"cache_creation_input_tokens":5,
         "output_tokens":1}}})"_s,
                                         u"message_start"_s));
    QVERIFY(!step.usage); // output is not final yet
    QVERIFY(decoder.decode(sse(uR"({"type":"ping"})"_s, u"ping"_s)).text.isEmpty());
    step = decoder.decode(sse(uR"({"type":"content_block_delta","index":0,
        "delta":{"type":"text_delta","text":"Hi"}})"_s,
                              u"content_block_delta"_s));
    QCOMPARE(step.text, u"Hi"_s);
    step = decoder.decode(sse(uR"({"type":"message_delta","delta":{"stop_reason":"end_turn",
        "stop_sequence":null},"usage":{"output_tokens":7}})"_s,
                              u"message_delta"_s));
    QCOMPARE(step.finishReason, u"end_turn"_s);
    QVERIFY(step.usage.has_value());
    QCOMPARE(step.usage->inputTokens, 45); // the whole prompt, cache included
    QCOMPARE(step.usage->cachedTokens, 30);
    QCOMPARE(step.usage->outputTokens, 7);
    QVERIFY(decoder.decode(sse(uR"({"type":"message_stop"})"_s, u"message_stop"_s)).terminator);
}

void TestProviderOutcomes::anthropicDecoderIgnoresNonTextDeltasAndReadsErrors()
{
    AnthropicStreamDecoder decoder;
    QVERIFY(decoder
                .decode(sse(uR"({"type":"content_block_delta","index":0,
        "delta":{"type":"thinking_delta","thinking":"hmm"}})"_s,
                            u"content_block_delta"_s))
                .text.isEmpty());
    // Without an event: line the data's type decides.
    QCOMPARE(decoder
                 .decode(sse(uR"({"type":"content_block_delta","index":0,
        "delta":{"type":"text_delta","text":"x"}})"_s))
                 .text,
             u"x"_s);
    QVERIFY(decoder
                .decode(sse(uR"({"type":"content_block_delta","delta":{"text":")"_s,
                            u"content_block_delta"_s))
                .malformed);
    const StreamStep step = decoder.decode(sse(uR"({"type":"error","error":{
        "type":"overloaded_error","message":"Overloaded"}})"_s,
                                               u"error"_s));
    QVERIFY(step.error.has_value());
    QCOMPARE(step.error->type, u"overloaded_error"_s);
}

void TestProviderOutcomes::httpStatusClassification_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("message");
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<Cause>("cause");
    QTest::addColumn<QString>("errorCode");
    QTest::addColumn<bool>("keepsRetryAfter");

    QTest::newRow("429 rate limit")
        << 429 << u"requests"_s << u"rate_limit_exceeded"_s << u""_s << Kind::Retryable
        << Cause::RateLimited << u"rate_limited"_s << true;
    QTest::newRow("429 insufficient quota is fatal")
        << 429 << u"insufficient_quota"_s << u"insufficient_quota"_s << u""_s << Kind::Fatal
        << Cause::QuotaExhausted << u"upstream_error"_s << false;
    QTest::newRow("500") << 500 << u"server_error"_s << u""_s << u""_s << Kind::Retryable
                         << Cause::ServerError << u"upstream_error"_s << false;
    QTest::newRow("502") << 502 << u""_s << u""_s << u""_s << Kind::Retryable << Cause::ServerError
                         << u"upstream_error"_s << false;
    QTest::newRow("503 overloaded") << 503 << u"server_error"_s << u""_s << u""_s << Kind::Retryable
                                    << Cause::Overloaded << u"overloaded"_s << true;
    QTest::newRow("529 overloaded")
        << 529 << u"overloaded_error"_s << u""_s << u""_s << Kind::Retryable << Cause::Overloaded
        << u"overloaded"_s << true;
    QTest::newRow("504 gateway timeout") << 504 << u""_s << u""_s << u""_s << Kind::Retryable
                                         << Cause::ServerError << u"upstream_timeout"_s << false;
    QTest::newRow("401") << 401 << u"authentication_error"_s << u""_s << u""_s << Kind::Fatal
                         << Cause::Unauthorized << u"upstream_error"_s << false;
    QTest::newRow("403") << 403 << u"permission_error"_s << u""_s << u""_s << Kind::Fatal
                         << Cause::Unauthorized << u"upstream_error"_s << false;
    QTest::newRow("404 unknown model")
        << 404 << u"invalid_request_error"_s << u"model_not_found"_s << u""_s << Kind::Fatal
        << Cause::NotFound << u"upstream_error"_s << false;
    QTest::newRow("400 invalid request")
        << 400 << u"invalid_request_error"_s << u""_s << u"temperature: out of range"_s
        << Kind::Fatal << Cause::InvalidRequest << u"upstream_error"_s << false;
    QTest::newRow("400 OpenAI context code")
        << 400 << u"invalid_request_error"_s << u"context_length_exceeded"_s << u""_s << Kind::Fatal
        << Cause::ContextTooLong << u"context_too_long"_s << false;
    QTest::newRow("400 vLLM context message")
        << 400 << u"BadRequestError"_s << u"400"_s
        << u"This model's maximum context length is 4096 tokens. However, you requested 5000"_s
        << Kind::Fatal << Cause::ContextTooLong << u"context_too_long"_s << false;
    QTest::newRow("400 Anthropic prompt too long")
        << 400 << u"invalid_request_error"_s << u""_s
        << u"prompt is too long: 210000 tokens > 200000 maximum"_s << Kind::Fatal
        << Cause::ContextTooLong << u"context_too_long"_s << false;
    QTest::newRow("400 llama.cpp context size")
        << 400 << u"exceed_context_size_error"_s << u""_s << u""_s << Kind::Fatal
        << Cause::ContextTooLong << u"context_too_long"_s << false;
    QTest::newRow("302 redirect is not followed")
        << 302 << u""_s << u""_s << u""_s << Kind::Fatal << Cause::InvalidRequest
        << u"upstream_error"_s << false;
}

void TestProviderOutcomes::httpStatusClassification()
{
    QFETCH(int, status);
    QFETCH(QString, type);
    QFETCH(QString, code);
    QFETCH(QString, message);
    QFETCH(Kind, kind);
    QFETCH(Cause, cause);
    QFETCH(QString, errorCode);
    QFETCH(bool, keepsRetryAfter);
    const ProviderOutcome outcome = ErrorClassifier::fromHttpStatus(
        status, UpstreamErrorInfo { type, code, message }, 7, u"sk-abc"_s);
    QCOMPARE(outcome.kind, kind);
    QCOMPARE(outcome.cause, cause);
    QCOMPARE(outcome.error.code, errorCode);
    QCOMPARE(outcome.httpStatus, status);
    QCOMPARE(outcome.error.retryAfterSeconds,
             keepsRetryAfter ? std::optional<int>(7) : std::optional<int>());
    QVERIFY(outcome.error.message.contains(QString::number(status))
            || cause == Cause::ContextTooLong);
    QVERIFY(message.isEmpty() || outcome.error.message.contains(message.left(20)));
}

void TestProviderOutcomes::streamErrorBeforeFirstTokenIsRetryableAfterIsInterrupted()
{
    const UpstreamErrorInfo overloaded { u"overloaded_error"_s, {}, u"Overloaded"_s };
    ProviderOutcome before = ErrorClassifier::fromStreamError(overloaded, 0, {});
    QCOMPARE(before.kind, Kind::Retryable);
    QCOMPARE(before.cause, Cause::Overloaded);
    QCOMPARE(before.httpStatus, 200);
    ProviderOutcome after = ErrorClassifier::fromStreamError(overloaded, 3, {});
    QCOMPARE(after.kind, Kind::Interrupted);
    QCOMPARE(after.error.code, u"overloaded"_s);
    const UpstreamErrorInfo server { u"server_error"_s, {}, u"boom"_s };
    QCOMPARE(ErrorClassifier::fromStreamError(server, 0, {}).cause, Cause::StreamError);
    QCOMPARE(ErrorClassifier::fromStreamError(server, 0, {}).kind, Kind::Retryable);
    const UpstreamErrorInfo invalid { u"invalid_request_error"_s, {}, u"bad"_s };
    QCOMPARE(ErrorClassifier::fromStreamError(invalid, 0, {}).kind, Kind::Fatal);
}

void TestProviderOutcomes::transportFailureDependsOnFirstToken()
{
    for (const Cause cause : { Cause::ConnectFailed, Cause::FirstTokenTimeout, Cause::Disconnected,
                               Cause::MalformedStream }) {
        QCOMPARE(ErrorClassifier::transportFailure(cause, 0, {}).kind, Kind::Retryable);
        QCOMPARE(ErrorClassifier::transportFailure(cause, 1, {}).kind, Kind::Interrupted);
    }
    QCOMPARE(ErrorClassifier::transportFailure(Cause::FirstTokenTimeout, 0, {}).error.code,
             u"upstream_timeout"_s);
    QCOMPARE(ErrorClassifier::transportFailure(Cause::IdleTimeout, 4, {}).error.code,
             u"upstream_timeout"_s);
}

void TestProviderOutcomes::httpFailureClassification_data()
{
    QTest::addColumn<int>("errorKind"); // HttpError::Kind
    QTest::addColumn<bool>("statusSeen");
    QTest::addColumn<qint64>("deltas");
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<Cause>("cause");
    using H = HttpError::Kind;
    const auto row = [](const char *name, H error, bool status, qint64 deltas, Kind kind,
                        Cause cause) {
        QTest::newRow(name) << int(error) << status << deltas << kind << cause;
    };
    row("refused", H::ConnectionRefused, false, 0, Kind::Retryable, Cause::ConnectFailed);
    row("dns", H::HostNotFound, false, 0, Kind::Retryable, Cause::ConnectFailed);
    row("tls", H::Tls, false, 0, Kind::Retryable, Cause::ConnectFailed);
    row("reset before the status", H::ConnectionClosed, false, 0, Kind::Retryable,
        Cause::ConnectFailed);
    row("unsendable request", H::InvalidRequest, false, 0, Kind::Retryable, Cause::ConnectFailed);
    row("reset after the status", H::ConnectionClosed, true, 0, Kind::Retryable,
        Cause::Disconnected);
    row("reset after a token", H::Network, true, 3, Kind::Interrupted, Cause::Disconnected);
    row("clean end without terminator", H::None, true, 2, Kind::Interrupted, Cause::Disconnected);
    row("garbage instead of HTTP", H::MalformedResponse, false, 0, Kind::Retryable,
        Cause::MalformedStream);
    row("headers too large", H::HeadersTooLarge, false, 0, Kind::Retryable, Cause::MalformedStream);
    row("bad chunk after a token", H::MalformedResponse, true, 1, Kind::Interrupted,
        Cause::MalformedStream);
    row("client shut down", H::Shutdown, true, 1, Kind::Interrupted, Cause::Disconnected);
}

void TestProviderOutcomes::httpFailureClassification()
{
    QFETCH(int, errorKind);
    QFETCH(bool, statusSeen);
    QFETCH(qint64, deltas);
    QFETCH(Kind, kind);
    QFETCH(Cause, cause);
    const QString key = u"sk-secret-key-0123456789abcdef"_s;
    const HttpError error { HttpError::Kind(errorKind), u"detail mentioning "_s + key, false };
    const ProviderOutcome outcome =
        ErrorClassifier::fromHttpFailure(error, statusSeen, deltas, key);
    QCOMPARE(ProviderOutcome::kindName(outcome.kind), ProviderOutcome::kindName(kind));
    QCOMPARE(ProviderOutcome::causeName(outcome.cause), ProviderOutcome::causeName(cause));
    QCOMPARE(outcome.deltaCount, deltas);
    QCOMPARE(outcome.error.code, u"upstream_error"_s);
    QVERIFY2(!outcome.error.message.contains(u"0123456789abcdef"_s),
             qPrintable(outcome.error.message));
}

void TestProviderOutcomes::retryAfterParsing_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("headerMs");
    QTest::addColumn<std::optional<int>>("seconds");
    QTest::newRow("absent") << QByteArray() << QByteArray() << std::optional<int>();
    QTest::newRow("integer") << "2"_ba << QByteArray() << std::optional<int>(2);
    QTest::newRow("spaces") << " 30 "_ba << QByteArray() << std::optional<int>(30);
    QTest::newRow("decimal rounds up") << "1.2"_ba << QByteArray() << std::optional<int>(2);
    QTest::newRow("zero") << "0"_ba << QByteArray() << std::optional<int>(0);
    QTest::newRow("negative") << "-5"_ba << QByteArray() << std::optional<int>();
    QTest::newRow("garbage") << "soon"_ba << QByteArray() << std::optional<int>();
    QTest::newRow("huge is capped") << "99999999"_ba << QByteArray() << std::optional<int>(86400);
    QTest::newRow("ms wins and rounds up") << "5"_ba
                                           << "1500"_ba << std::optional<int>(2);
    QTest::newRow("past date is zero")
        << "Wed, 21 Oct 2015 07:28:00 GMT"_ba << QByteArray() << std::optional<int>(0);
}

void TestProviderOutcomes::retryAfterParsing()
{
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, headerMs);
    QFETCH(std::optional<int>, seconds);
    QCOMPARE(parseRetryAfter(header, headerMs), seconds);
}

void TestProviderOutcomes::retryAfterHttpDateIsSecondsFromNow()
{
    const QDateTime future = QDateTime::currentDateTimeUtc().addSecs(120);
    const QByteArray date =
        QLocale::c().toString(future, u"ddd, dd MMM yyyy HH:mm:ss 'GMT'"_s).toLatin1();
    const std::optional<int> seconds = parseRetryAfter(date, {});
    QVERIFY(seconds.has_value());
    QVERIFY2(*seconds >= 100 && *seconds <= 121, qPrintable(QString::number(*seconds)));
}

void TestProviderOutcomes::sanitizerRemovesKeysAndControlCharacters()
{
    const QString key = u"custom-secret-value-42"_s;
    const QString out = sanitizeProviderMessage(
        u"Incorrect API key provided: custom-secret-value-42.\nAlso sk-proj-abcdEFGH1234 and "
        "\x01bell"_s,
        key);
    QVERIFY2(!out.contains(key), qPrintable(out));
    QVERIFY2(!out.contains(u"abcdEFGH1234"_s), qPrintable(out));
    QVERIFY(!out.contains(u'\n') && !out.contains(QChar(1)));
    QVERIFY(out.startsWith(u"Incorrect API key provided: [redacted]"_s));
    QVERIFY(sanitizeProviderMessage(QString(5000, u'x'), {}).size() <= 500);
}

void TestProviderOutcomes::upstreamErrorBodies_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("message");
    QTest::newRow("OpenAI") << R"({"error":{"message":"m","type":"t","param":null,"code":"c"}})"_ba
                            << u"t"_s << u"c"_s << u"m"_s;
    QTest::newRow("Anthropic") << R"({"type":"error","error":{"type":"t","message":"m"}})"_ba
                               << u"t"_s << u""_s << u"m"_s;
    QTest::newRow("vLLM") << R"({"object":"error","message":"m","type":"t","code":400})"_ba
                          << u"t"_s << u"400"_s << u"m"_s;
    QTest::newRow("Ollama") << R"({"error":"m"})"_ba << u""_s << u""_s << u"m"_s;
    QTest::newRow("HTML page") << "<html>bad gateway</html>"_ba << u""_s << u""_s
                               << u"<html>bad gateway</html>"_s;
}

void TestProviderOutcomes::upstreamErrorBodies()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, type);
    QFETCH(QString, code);
    QFETCH(QString, message);
    const UpstreamErrorInfo info = parseUpstreamError(body);
    QCOMPARE(info.type, type);
    QCOMPARE(info.code, code);
    QCOMPARE(info.message, message);
}

QTEST_GUILESS_MAIN(TestProviderOutcomes)
#include "tst_provideroutcomes.moc"
