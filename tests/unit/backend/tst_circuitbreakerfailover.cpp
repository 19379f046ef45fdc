#include "contract/errorcodes.h"
#include "generation/failoverplan.h"

#include <QTest>

#include <atomic>
#include <memory>

using namespace Qt::StringLiterals;
using namespace parlance;
using namespace std::chrono_literals;
using Kind = AttemptFailure::Kind;

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

struct Fixture
{
    FakeClock clock;
    QList<FailoverCandidate> candidates;

    explicit Fixture(int count)
    {
        for (int i = 0; i < count; ++i) {
            candidates.append(
                { u"d%1"_s.arg(i),
                  std::make_shared<CircuitBreaker>(
                      CircuitBreakerSettings { .failureThreshold = 1, .cooldown = 30s },
                      clock.clock()),
                  10s });
        }
    }
    FailoverPlan plan(FailoverSettings settings = {}) const
    {
        return FailoverPlan(candidates, settings, clock.clock());
    }
    void trip(int index)
    {
        auto &breaker = *candidates[index].breaker;
        breaker.recordFailure(*breaker.tryAcquire(), u"down"_s);
    }
};

} // namespace

class TestFailoverPlan : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstAttemptIsTheFirstDeployment();
    void failuresMoveDownTheList_data();
    void failuresMoveDownTheList();
    void openCircuitsAreSkipped();
    void allOpenAnswersUnavailableWithRetryAfter();
    void allThrottledAnswersRateLimited();
    void rateLimitMovesOnAtOnceAndIsRemembered();
    void badRequestStopsThePlan();
    void noFailoverAfterFirstToken();
    void switchingBudgetEndsTheSearch();
    void fallbackDeadlineIsCappedToTheBudget();
    void firstAttemptKeepsItsOwnTimeout();
    void exhaustedListReportsTheLastFailure_data();
    void exhaustedListReportsTheLastFailure();
    void successClosesAHalfOpenCircuit();
};

void TestFailoverPlan::firstAttemptIsTheFirstDeployment()
{
    Fixture f(3);
    auto plan = f.plan();
    const auto attempt = plan.next();
    QVERIFY(attempt);
    QCOMPARE(attempt->deployment, u"d0"_s);
    QVERIFY(!attempt->isFallback);
}

void TestFailoverPlan::failuresMoveDownTheList_data()
{
    QTest::addColumn<int>("kind");
    QTest::newRow("connect") << int(Kind::Connect);
    QTest::newRow("timeout") << int(Kind::Timeout);
    QTest::newRow("5xx") << int(Kind::ServerError);
    QTest::newRow("bad key") << int(Kind::Unauthorized);
    QTest::newRow("model missing") << int(Kind::ModelMissing);
}

void TestFailoverPlan::failuresMoveDownTheList()
{
    QFETCH(int, kind);
    Fixture f(3);
    auto plan = f.plan();
    QStringList tried;
    while (auto attempt = plan.next()) {
        tried << attempt->deployment;
        plan.failed(*attempt, { Kind(kind), u"boom"_s, std::nullopt });
    }
    QCOMPARE(tried, QStringList({ u"d0"_s, u"d1"_s, u"d2"_s }));
    QCOMPARE(plan.attemptsMade(), 3);
    // Each failure fed its breaker (threshold 1: all open now).
    for (const auto &candidate : f.candidates)
        QCOMPARE(candidate.breaker->state(), CircuitBreaker::State::Open);
}

void TestFailoverPlan::openCircuitsAreSkipped()
{
    Fixture f(3);
    f.trip(0);
    auto plan = f.plan();
    const auto attempt = plan.next();
    QCOMPARE(attempt->deployment, u"d1"_s);
}

void TestFailoverPlan::allOpenAnswersUnavailableWithRetryAfter()
{
    Fixture f(2);
    f.trip(0);
    f.clock.advance(10s);
    f.trip(1);
    auto plan = f.plan();
    QVERIFY(!plan.next());
    const ApiError error = plan.finalError();
    QCOMPARE(error.code, QString(errc::Unavailable));
    QCOMPARE(error.retryAfterSeconds, 20); // d0 probes again in 20 s
}

void TestFailoverPlan::allThrottledAnswersRateLimited()
{
    Fixture f(2);
    for (auto &candidate : f.candidates)
        candidate.breaker->recordThrottled(*candidate.breaker->tryAcquire(), 1500ms);
    auto plan = f.plan();
    QVERIFY(!plan.next());
    QCOMPARE(plan.finalError().code, QString(errc::RateLimited));
    QCOMPARE(plan.finalError().retryAfterSeconds, 2); // rounded up
}

void TestFailoverPlan::rateLimitMovesOnAtOnceAndIsRemembered()
{
    Fixture f(2);
    auto plan = f.plan();
    auto first = plan.next();
    plan.failed(*first, { Kind::RateLimited, u"429"_s, 60s });
    auto second = plan.next();
    QCOMPARE(second->deployment, u"d1"_s);
    QCOMPARE(f.candidates[0].breaker->state(), CircuitBreaker::State::Closed);
    // A later request skips the throttled deployment.
    auto later = f.plan();
    QCOMPARE(later.next()->deployment, u"d1"_s);
}

void TestFailoverPlan::badRequestStopsThePlan()
{
    Fixture f(3);
    auto plan = f.plan();
    auto attempt = plan.next();
    plan.failed(*attempt, { Kind::BadRequest, u"400"_s, std::nullopt });
    QVERIFY(!plan.next());
    QCOMPARE(plan.finalError().code, QString(errc::UpstreamError));
    QCOMPARE(f.candidates[0].breaker->state(), CircuitBreaker::State::Closed);
}

void TestFailoverPlan::noFailoverAfterFirstToken()
{
    Fixture f(2);
    auto plan = f.plan();
    auto attempt = plan.next();
    plan.firstTokenReceived(*attempt);
    plan.failed(*attempt, { Kind::ServerError, u"stream broke"_s, std::nullopt });
    QVERIFY(plan.firstTokenSeen());
    QVERIFY(!plan.next());
    QCOMPARE(f.candidates[0].breaker->state(), CircuitBreaker::State::Open);
}

void TestFailoverPlan::switchingBudgetEndsTheSearch()
{
    Fixture f(3);
    auto plan = f.plan({ .switchBudget = 2s });
    auto first = plan.next();
    f.clock.advance(9s); // the primary's own time does not count
    plan.failed(*first, { Kind::Timeout, u"no first token"_s, std::nullopt });
    auto second = plan.next();
    QVERIFY(second);
    f.clock.advance(2s);
    plan.failed(*second, { Kind::Connect, u"refused"_s, std::nullopt });
    QVERIFY(!plan.next()); // d2 is never tried: the 2 s are spent
    QCOMPARE(plan.finalError().code, QString(errc::UpstreamError));
}

void TestFailoverPlan::fallbackDeadlineIsCappedToTheBudget()
{
    Fixture f(2);
    auto plan = f.plan({ .switchBudget = 2s });
    auto first = plan.next();
    plan.failed(*first, { Kind::Connect, u"refused"_s, std::nullopt });
    const auto failedAt = f.clock.now();
    f.clock.advance(300ms);
    auto second = plan.next();
    QVERIFY(second->isFallback);
    QCOMPARE(second->firstTokenDeadline, failedAt + 2s);
    auto uncapped = Fixture(2);
    auto plan2 = uncapped.plan({ .switchBudget = 2s, .capFallbackToBudget = false });
    plan2.failed(*plan2.next(), { Kind::Connect, u"refused"_s, std::nullopt });
    QCOMPARE(plan2.next()->firstTokenDeadline, uncapped.clock.now() + 10s);
}

void TestFailoverPlan::firstAttemptKeepsItsOwnTimeout()
{
    Fixture f(1);
    auto plan = f.plan();
    QCOMPARE(plan.next()->firstTokenDeadline, f.clock.now() + 10s);
}

void TestFailoverPlan::exhaustedListReportsTheLastFailure_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("code");
    QTest::newRow("timeout") << int(Kind::Timeout) << QString(errc::UpstreamTimeout);
    QTest::newRow("5xx") << int(Kind::ServerError) << QString(errc::UpstreamError);
    QTest::newRow("429") << int(Kind::RateLimited) << QString(errc::RateLimited);
}

void TestFailoverPlan::exhaustedListReportsTheLastFailure()
{
    QFETCH(int, kind);
    QFETCH(QString, code);
    Fixture f(1);
    auto plan = f.plan();
    plan.failed(*plan.next(), { Kind(kind), u"x"_s, 3s });
    QVERIFY(!plan.next());
    QCOMPARE(plan.finalError().code, code);
}

void TestFailoverPlan::successClosesAHalfOpenCircuit()
{
    Fixture f(2);
    f.trip(0);
    f.clock.advance(30s);
    auto plan = f.plan();
    auto probe = plan.next();
    QCOMPARE(probe->deployment, u"d0"_s);
    QVERIFY(probe->permit.probe);
    // While the probe is out, another request goes to d1.
    auto other = f.plan();
    QCOMPARE(other.next()->deployment, u"d1"_s);
    plan.firstTokenReceived(*probe);
    QCOMPARE(f.candidates[0].breaker->state(), CircuitBreaker::State::Closed);
}

QTEST_GUILESS_MAIN(TestFailoverPlan)
#include "tst_circuitbreakerfailover.moc"
