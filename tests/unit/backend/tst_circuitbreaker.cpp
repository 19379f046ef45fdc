#include "contract/errorcodes.h"
#include "generation/circuitbreaker.h"

#include <QTest>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

using namespace Qt::StringLiterals;
using namespace parlance;
using namespace std::chrono_literals;
using State = CircuitBreaker::State;

namespace {

struct FakeClock
{
    std::shared_ptr<std::atomic<qint64>> ms = std::make_shared<std::atomic<qint64>>(1'000'000);
    TickClock clock() const
    {
        return [ms = ms] { return std::chrono::milliseconds(ms->load()); };
    }
    void advance(std::chrono::milliseconds by) { *ms += by.count(); }
    std::chrono::milliseconds now() const { return std::chrono::milliseconds(ms->load()); }
};

void fail(CircuitBreaker &breaker, int times = 1)
{
    for (int i = 0; i < times; ++i) {
        const auto permit = breaker.tryAcquire();
        QVERIFY(permit);
        breaker.recordFailure(*permit, u"HTTP 503"_s);
    }
}

} // namespace

class TestCircuitBreaker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void opensAfterConsecutiveFailures_data();
    void opensAfterConsecutiveFailures();
    void successResetsTheRun();
    void windowedCountsFailuresInTheWindow_data();
    void windowedCountsFailuresInTheWindow();
    void halfOpenAdmitsExactlyOneProbe();
    void probeSuccessCloses();
    void probeFailureReopensWithGrowingCooldown();
    void lostProbeFreesTheSlot();
    void staleOutcomesAreIgnored();
    void throttleBlocksUntilRetryAfterWithoutCountingAFailure();
    void abandonedProbeFreesTheSlot();
    void snapshotReportsTimes();
    void settingsValidation_data();
    void settingsValidation();
    void concurrentCallersNeverGetTwoProbes();
};

void TestCircuitBreaker::opensAfterConsecutiveFailures_data()
{
    QTest::addColumn<int>("threshold");
    QTest::newRow("one") << 1;
    QTest::newRow("three") << 3;
    QTest::newRow("five") << 5;
}

void TestCircuitBreaker::opensAfterConsecutiveFailures()
{
    QFETCH(int, threshold);
    FakeClock clock;
    CircuitBreaker breaker({ .failureThreshold = threshold }, clock.clock());
    fail(breaker, threshold - 1);
    QCOMPARE(breaker.state(), State::Closed);
    QVERIFY(breaker.isAvailable());
    fail(breaker);
    QCOMPARE(breaker.state(), State::Open);
    QVERIFY(!breaker.isAvailable());
    QVERIFY(!breaker.tryAcquire());
}

void TestCircuitBreaker::successResetsTheRun()
{
    FakeClock clock;
    CircuitBreaker breaker({ .failureThreshold = 3 }, clock.clock());
    fail(breaker, 2);
    breaker.recordSuccess(*breaker.tryAcquire());
    fail(breaker, 2);
    QCOMPARE(breaker.state(), State::Closed);
    QCOMPARE(breaker.snapshot().recentFailures, 2);
}

void TestCircuitBreaker::windowedCountsFailuresInTheWindow_data()
{
    QTest::addColumn<int>("gapMs");
    QTest::addColumn<State>("expected");
    QTest::newRow("three within 10 s") << 4000 << State::Open;
    QTest::newRow("spread beyond 10 s") << 6000 << State::Closed;
}

void TestCircuitBreaker::windowedCountsFailuresInTheWindow()
{
    QFETCH(int, gapMs);
    QFETCH(State, expected);
    FakeClock clock;
    CircuitBreaker breaker({ .failureThreshold = 3, .failureWindow = 10s }, clock.clock());
    fail(breaker);
    clock.advance(std::chrono::milliseconds(gapMs));
    breaker.recordSuccess(*breaker.tryAcquire()); // does not reset in windowed mode
    fail(breaker);
    clock.advance(std::chrono::milliseconds(gapMs));
    fail(breaker);
    QCOMPARE(breaker.state(), expected);
}

void TestCircuitBreaker::halfOpenAdmitsExactlyOneProbe()
{
    FakeClock clock;
    CircuitBreaker breaker({ .failureThreshold = 1, .cooldown = 10s }, clock.clock());
    fail(breaker);
    clock.advance(9999ms);
    QVERIFY(!breaker.tryAcquire());
    clock.advance(1ms);
    QCOMPARE(breaker.state(), State::HalfOpen);
    const auto probe = breaker.tryAcquire();
    QVERIFY(probe);
    QVERIFY(probe->probe);
    QVERIFY(!breaker.tryAcquire());
    QVERIFY(!breaker.isAvailable());
    QVERIFY(breaker.snapshot().probeInFlight);
}

void TestCircuitBreaker::probeSuccessCloses()
{
    FakeClock clock;
    CircuitBreaker breaker({ .failureThreshold = 1, .cooldown = 10s }, clock.clock());
    fail(breaker);
    clock.advance(10s);
    breaker.recordSuccess(*breaker.tryAcquire());
    QCOMPARE(breaker.state(), State::Closed);
    QVERIFY(breaker.tryAcquire());
    QVERIFY(breaker.tryAcquire()); // closed: no probe limit
}

void TestCircuitBreaker::probeFailureReopensWithGrowingCooldown()
{
    FakeClock clock;
    CircuitBreaker breaker(
        { .failureThreshold = 1, .cooldown = 10s, .cooldownGrowth = 2, .maxCooldown = 35s },
        clock.clock());
    fail(breaker);
    const QList<std::chrono::milliseconds> expected { 20s, 35s, 35s };
    std::chrono::milliseconds cooldown = 10s;
    for (const auto next : expected) {
        clock.advance(cooldown);
        fail(breaker); // the probe fails
        QCOMPARE(breaker.state(), State::Open);
        QCOMPARE(breaker.snapshot().currentCooldown, next);
        clock.advance(next - 1ms);
        QVERIFY(!breaker.isAvailable());
        clock.advance(-(next - 1ms));
        cooldown = next;
    }
    // Closing resets the cooldown to the first one.
    clock.advance(cooldown);
    breaker.recordSuccess(*breaker.tryAcquire());
    fail(breaker);
    QCOMPARE(breaker.snapshot().currentCooldown, 10s);
}

void TestCircuitBreaker::lostProbeFreesTheSlot()
{
    FakeClock clock;
    CircuitBreaker breaker({ .failureThreshold = 1, .cooldown = 1s, .probeTimeout = 30s },
                           clock.clock());
    fail(breaker);
    clock.advance(1s);
    const auto lost = breaker.tryAcquire();
    QVERIFY(lost);
    clock.advance(30s);
    const auto second = breaker.tryAcquire();
    QVERIFY(second);
    // The lost probe's late verdict no longer counts.
    breaker.recordFailure(*lost, u"late"_s);
    QCOMPARE(breaker.state(), State::HalfOpen);
    breaker.recordSuccess(*second);
    QCOMPARE(breaker.state(), State::Closed);
}

void TestCircuitBreaker::staleOutcomesAreIgnored()
{
    FakeClock clock;
    CircuitBreaker breaker({ .failureThreshold = 2 }, clock.clock());
    const auto slow = breaker.tryAcquire(); // started while closed
    fail(breaker, 2); // opens meanwhile
    breaker.recordSuccess(*slow); // must not close
    QCOMPARE(breaker.state(), State::Open);
}

void TestCircuitBreaker::throttleBlocksUntilRetryAfterWithoutCountingAFailure()
{
    FakeClock clock;
    CircuitBreaker breaker({ .failureThreshold = 1 }, clock.clock());
    breaker.recordThrottled(*breaker.tryAcquire(), 5s);
    QCOMPARE(breaker.state(), State::Closed);
    QVERIFY(!breaker.tryAcquire());
    QCOMPARE(breaker.availableAt(), clock.now() + 5s);
    clock.advance(5s);
    QVERIFY(breaker.tryAcquire());
    QCOMPARE(breaker.snapshot().recentFailures, 0);
}

void TestCircuitBreaker::abandonedProbeFreesTheSlot()
{
    FakeClock clock;
    CircuitBreaker breaker({ .failureThreshold = 1, .cooldown = 1s }, clock.clock());
    fail(breaker);
    clock.advance(1s);
    breaker.recordAbandoned(*breaker.tryAcquire());
    QCOMPARE(breaker.state(), State::HalfOpen);
    QVERIFY(breaker.tryAcquire());
}

void TestCircuitBreaker::snapshotReportsTimes()
{
    FakeClock clock;
    CircuitBreaker breaker({ .failureThreshold = 2, .cooldown = 10s }, clock.clock());
    fail(breaker, 2);
    const auto openedAt = clock.now();
    const auto snap = breaker.snapshot();
    QCOMPARE(snap.state, State::Open);
    QCOMPARE(snap.lastError, u"HTTP 503"_s);
    QCOMPARE(snap.openedAt, openedAt);
    QCOMPARE(snap.nextProbeAt, openedAt + 10s);
    const QDateTime wall(QDate(2026, 1, 2), QTime(3, 4, 5), Qt::UTC);
    const QJsonObject json = snap.toJson(clock.now(), wall);
    QCOMPARE(json.value("state"_L1).toString(), u"open"_s);
    QCOMPARE(json.value("opened_at"_L1).toString(), u"2026-01-02T03:04:05.000Z"_s);
    QCOMPARE(json.value("next_probe_at"_L1).toString(), u"2026-01-02T03:04:15.000Z"_s);
    QCOMPARE(json.value("last_error"_L1).toString(), u"HTTP 503"_s);
}

void TestCircuitBreaker::settingsValidation_data()
{
    QTest::addColumn<CircuitBreakerSettings>("settings");
    QTest::addColumn<QString>("field");
    QTest::newRow("defaults") << CircuitBreakerSettings {} << QString();
    QTest::newRow("zero threshold")
        << CircuitBreakerSettings { .failureThreshold = 0 } << u"failure_threshold"_s;
    QTest::newRow("negative window")
        << CircuitBreakerSettings { .failureWindow = -1ms } << u"failure_window_ms"_s;
    QTest::newRow("zero cooldown")
        << CircuitBreakerSettings { .cooldown = 0ms } << u"cooldown_ms"_s;
    QTest::newRow("shrinking growth")
        << CircuitBreakerSettings { .cooldownGrowth = 0 } << u"cooldown_growth"_s;
    QTest::newRow("max below first")
        << CircuitBreakerSettings { .cooldown = 20s, .maxCooldown = 10s } << u"max_cooldown_ms"_s;
}

void TestCircuitBreaker::settingsValidation()
{
    QFETCH(CircuitBreakerSettings, settings);
    QFETCH(QString, field);
    const Status status = settings.validate();
    QCOMPARE(status.ok(), field.isEmpty());
    if (!status.ok()) {
        QCOMPARE(status.error().code, QString(errc::InvalidField));
        QVERIFY2(status.error().message.startsWith(field), qPrintable(status.error().message));
    }
}

void TestCircuitBreaker::concurrentCallersNeverGetTwoProbes()
{
    FakeClock clock;
    CircuitBreaker breaker({ .failureThreshold = 1, .cooldown = 1s }, clock.clock());
    fail(breaker);
    for (int round = 0; round < 50; ++round) {
        clock.advance(std::chrono::milliseconds(breaker.snapshot().currentCooldown));
        std::atomic<int> probes { 0 };
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&] {
                for (int i = 0; i < 200; ++i) {
                    if (breaker.tryAcquire())
                        ++probes;
                }
            });
        }
        for (auto &thread : threads)
            thread.join();
        QCOMPARE(probes.load(), 1);
        // Fail the probe through a fresh half-open cycle: reopen.
        clock.advance(std::chrono::milliseconds(60'000));
        fail(breaker);
        QCOMPARE(breaker.state(), State::Open);
    }
}

QTEST_GUILESS_MAIN(TestCircuitBreaker)
#include "tst_circuitbreaker.moc"
