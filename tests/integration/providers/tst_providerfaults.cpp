// Every simulator fault, in both dialects, ends in the outcome the
// classification table in docs/providers.md promises. Faults are asked for
// with x-sim-* headers, which the endpoint's extra headers carry.

#include "providertesthelpers.h"

using namespace parlance;
using namespace Qt::StringLiterals;

using Kind = ProviderOutcome::Kind;
using Cause = ProviderOutcome::Cause;
Q_DECLARE_METATYPE(ProviderOutcome::Kind)
Q_DECLARE_METATYPE(ProviderOutcome::Cause)
Q_DECLARE_METATYPE(HeaderList)

namespace {

// The echo of this text is five pieces: "Hello", " there", ",", " world", "!".
const QString userText = u"Hello there, world!"_s;

} // namespace

class TestProviderFaults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void faultEndsInDocumentedOutcome_data();
    void faultEndsInDocumentedOutcome();

private:
    SimProcess m_sim;
};

void TestProviderFaults::initTestCase()
{
    QVERIFY2(m_sim.start({ u"--config"_s, simConfigPath() }), qPrintable(m_sim.errorString()));
}

void TestProviderFaults::faultEndsInDocumentedOutcome_data()
{
    QTest::addColumn<ProviderKind>("kind");
    QTest::addColumn<HeaderList>("headers");
    QTest::addColumn<Kind>("expectedKind");
    QTest::addColumn<Cause>("expectedCause");
    QTest::addColumn<int>("expectedStatus"); // -1: the dialect's own
    QTest::addColumn<QString>("expectedText");
    QTest::addColumn<std::optional<int>>("expectedRetryAfter");

    const auto h = [](std::initializer_list<std::pair<const char *, const char *>> list) {
        HeaderList out;
        for (const auto &[name, value] : list)
            out.append({ QByteArray("x-sim-") + name, QByteArray(value) });
        return out;
    };
    for (const ProviderKind kind : { ProviderKind::OpenAiCompatible, ProviderKind::Anthropic }) {
        const char *dialect = kind == ProviderKind::Anthropic ? "anthropic" : "openai";
        const auto row = [&](const char *name) {
            return &(QTest::addRow("%s: %s", dialect, name) << kind);
        };
        *row("429 carries retry-after")
            << h({ { "fault", "429" }, { "retry-after", "7" } }) << Kind::Retryable
            << Cause::RateLimited << 429 << QString() << std::optional<int>(7);
        *row("500 is retryable") << h({ { "fault", "500" } }) << Kind::Retryable
                                 << Cause::ServerError << 500 << QString() << std::optional<int>();
        *row("overloaded is retryable")
            << h({ { "fault", "overloaded" }, { "retry-after", "3" } }) << Kind::Retryable
            << Cause::Overloaded << (kind == ProviderKind::Anthropic ? 529 : 503) << QString()
            << std::optional<int>(3);
        *row("stall before first token hits the first-token timeout")
            << h({ { "fault", "stall" } }) << Kind::Retryable << Cause::FirstTokenTimeout << 0
            << QString() << std::optional<int>();
        *row("stall after two tokens hits the idle timeout")
            << h({ { "fault", "stall" }, { "after", "2" } }) << Kind::Interrupted
            << Cause::IdleTimeout << 200 << u"Hello there"_s << std::optional<int>();
        // Tokens 600 ms apart under a 1.5 s idle timeout: the answer outlives
        // the timeout several times over and must not be cut.
        *row("slow drip under the idle timeout completes")
            << h({ { "fault", "drip" }, { "drip", "600" } }) << Kind::Complete << Cause::None << 200
            << userText << std::optional<int>();
        *row("disconnect mid-stream keeps the partial text")
            << h({ { "fault", "disconnect" }, { "after", "3" } }) << Kind::Interrupted
            << Cause::Disconnected << 200 << u"Hello there,"_s << std::optional<int>();
        *row("disconnect before the first token is retryable")
            << h({ { "fault", "disconnect" }, { "after", "0" } }) << Kind::Retryable
            << Cause::Disconnected << 200 << QString() << std::optional<int>();
        *row("malformed chunk is skipped")
            << h({ { "fault", "malformed" }, { "after", "2" } }) << Kind::Complete << Cause::None
            << 200 << userText << std::optional<int>();
        *row("error event mid-stream interrupts")
            << h({ { "fault", "error_event" }, { "after", "2" } }) << Kind::Interrupted
            << (kind == ProviderKind::Anthropic ? Cause::Overloaded : Cause::StreamError) << 200
            << u"Hello there"_s << std::optional<int>();
        *row("error event before the first token is retryable")
            << h({ { "fault", "error_event" }, { "after", "0" } }) << Kind::Retryable
            << (kind == ProviderKind::Anthropic ? Cause::Overloaded : Cause::StreamError) << 200
            << QString() << std::optional<int>();
    }
}

void TestProviderFaults::faultEndsInDocumentedOutcome()
{
    QFETCH(ProviderKind, kind);
    QFETCH(HeaderList, headers);
    QFETCH(Kind, expectedKind);
    QFETCH(Cause, expectedCause);
    QFETCH(int, expectedStatus);
    QFETCH(QString, expectedText);
    QFETCH(std::optional<int>, expectedRetryAfter);

    const auto client = ProviderClient::create(kind);
    DeploymentEndpoint endpoint = simEndpoint(kind, m_sim.port(), u"faults"_s);
    endpoint.extraHeaders = headers;
    // Short enough to keep the suite quick, long enough that a loaded
    // machine never trips them on a healthy stream (which has no delays).
    endpoint.firstTokenTimeoutMs = 1500;
    endpoint.idleTimeoutMs = 1500;
    const StreamRun run = runStream(*client, endpoint, userRequest(userText));
    QVERIFY(!run.timedOut);
    QVERIFY2(run.wellOrdered(), qPrintable(run.events.join(u' ')));
    const ProviderOutcome &outcome = *run.outcome;
    QVERIFY2(outcome.kind == expectedKind,
             qPrintable(ProviderOutcome::kindName(outcome.kind) + u' '
                        + ProviderOutcome::causeName(outcome.cause) + u' '
                        + outcome.error.message));
    QCOMPARE(ProviderOutcome::causeName(outcome.cause), ProviderOutcome::causeName(expectedCause));
    QCOMPARE(outcome.httpStatus, expectedStatus);
    QCOMPARE(run.text(), expectedText);
    QCOMPARE(outcome.deltaCount, run.deltas.size());
    QCOMPARE(outcome.error.retryAfterSeconds, expectedRetryAfter);
    if (expectedKind == Kind::Complete) {
        QVERIFY(run.usage.has_value());
        QCOMPARE(run.usage->outputTokens, 5);
    } else {
        QVERIFY(!outcome.error.code.isEmpty());
        QVERIFY(!outcome.error.message.isEmpty());
        QVERIFY(!outcome.error.message.contains(endpoint.apiKey));
        // Failing before any text means the user saw nothing.
        QCOMPARE(run.deltas.isEmpty(), expectedKind != Kind::Interrupted);
    }
    if (QTest::currentDataTag() && QByteArray(QTest::currentDataTag()).contains("malformed"))
        QCOMPARE(outcome.malformedEvents, 1);
}

QTEST_GUILESS_MAIN(TestProviderFaults)
#include "tst_providerfaults.moc"
