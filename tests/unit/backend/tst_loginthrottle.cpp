#include "auth/inmemoryloginthrottle.h"
#include "contract/errorcodes.h"

#include <QHostAddress>
#include <QTest>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

using namespace Qt::StringLiterals;
using namespace parlance;
using namespace std::chrono_literals;

namespace {

struct FakeClock
{
    std::shared_ptr<std::atomic<qint64>> ms = std::make_shared<std::atomic<qint64>>(1'000'000);
    MonotonicClock clock() const
    {
        return [ms = ms] { return std::chrono::milliseconds(ms->load()); };
    }
    void advance(std::chrono::milliseconds by) { *ms += by.count(); }
};

int retryAfter(const Status &status)
{
    if (status.ok() || status.error().code != errc::TooManyAttempts)
        return -1;
    return status.error().retryAfterSeconds.value_or(-2);
}

} // namespace

class TestLoginThrottle : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void accountLocksAfterFiveFailures();
    void retryAfterCountsDown();
    void lockoutGrowsAndIsCapped_data();
    void lockoutGrowsAndIsCapped();
    void strikesAreForgottenAfterAQuietDay();
    void successResetsTheAccount();
    void failuresOutsideTheWindowAreForgotten();
    void addressAllowsBurstThenSteadyRate();
    void addressSuccessGivesTheAttemptBack();
    void refusalByOneLimitDoesNotChargeTheOther();
    void emptyKeySkipsThatCheck();
    void messagesNameTheScopeAndWait();
    void addressKeys_data();
    void addressKeys();
    void memoryStaysBounded();
    void lockedAccountsSurviveAFlood();
    void concurrentAttemptsNeverExceedLimits();
    void settingsValidation();
};

void TestLoginThrottle::accountLocksAfterFiveFailures()
{
    FakeClock time;
    InMemoryLoginThrottle throttle({}, time.clock());
    for (int i = 0; i < 5; ++i)
        QVERIFY2(throttle.admit(u"a@x.io"_s, u"ip-" + QString::number(i)).ok(), "admitted");
    const Status sixth = throttle.admit(u"a@x.io"_s, u"ip-9"_s);
    QVERIFY(!sixth.ok());
    QCOMPARE(sixth.error().code, QString(errc::TooManyAttempts));
    QCOMPARE(retryAfter(sixth), 15 * 60);
    // Another account is not affected.
    QVERIFY(throttle.admit(u"b@x.io"_s, u"ip-9"_s).ok());
}

void TestLoginThrottle::retryAfterCountsDown()
{
    FakeClock time;
    InMemoryLoginThrottle throttle({}, time.clock());
    for (int i = 0; i < 5; ++i)
        (void)throttle.admit(u"a@x.io"_s, QString());
    time.advance(100s);
    QCOMPARE(retryAfter(throttle.admit(u"a@x.io"_s, QString())), 800);
    time.advance(799s + 500ms);
    QCOMPARE(retryAfter(throttle.admit(u"a@x.io"_s, QString())), 1); // rounded up
    time.advance(500ms);
    QVERIFY(throttle.admit(u"a@x.io"_s, QString()).ok());
}

void TestLoginThrottle::lockoutGrowsAndIsCapped_data()
{
    QTest::addColumn<int>("locks");
    QTest::addColumn<int>("expected");
    QTest::newRow("first lock: the window") << 1 << 900;
    QTest::newRow("second: doubled") << 2 << 1800;
    QTest::newRow("third: capped at an hour") << 3 << 3600;
    QTest::newRow("fifth: still an hour") << 5 << 3600;
}

void TestLoginThrottle::lockoutGrowsAndIsCapped()
{
    QFETCH(int, locks);
    QFETCH(int, expected);
    FakeClock time;
    InMemoryLoginThrottle throttle({}, time.clock());
    int lastRetry = 0;
    for (int lock = 0; lock < locks; ++lock) {
        time.advance(std::chrono::seconds(lastRetry));
        for (int i = 0; i < 5; ++i)
            QVERIFY(throttle.admit(u"a@x.io"_s, QString()).ok());
        lastRetry = retryAfter(throttle.admit(u"a@x.io"_s, QString()));
    }
    QCOMPARE(lastRetry, expected);
}

void TestLoginThrottle::strikesAreForgottenAfterAQuietDay()
{
    FakeClock time;
    InMemoryLoginThrottle throttle({}, time.clock());
    for (int i = 0; i < 5; ++i)
        (void)throttle.admit(u"a@x.io"_s, QString());
    time.advance(24h);
    for (int i = 0; i < 5; ++i)
        QVERIFY(throttle.admit(u"a@x.io"_s, QString()).ok());
    QCOMPARE(retryAfter(throttle.admit(u"a@x.io"_s, QString())), 900);
}

void TestLoginThrottle::successResetsTheAccount()
{
    FakeClock time;
    InMemoryLoginThrottle throttle({}, time.clock());
    for (int i = 0; i < 4; ++i)
        (void)throttle.admit(u"a@x.io"_s, QString());
    QVERIFY(throttle.admit(u"a@x.io"_s, QString()).ok()); // the 5th locks while in flight…
    throttle.succeeded(u"a@x.io"_s, QString()); // …until it turns out right
    for (int i = 0; i < 5; ++i)
        QVERIFY(throttle.admit(u"a@x.io"_s, QString()).ok());
    QVERIFY(!throttle.admit(u"a@x.io"_s, QString()).ok());
}

void TestLoginThrottle::failuresOutsideTheWindowAreForgotten()
{
    FakeClock time;
    InMemoryLoginThrottle throttle({}, time.clock());
    for (int i = 0; i < 4; ++i)
        (void)throttle.admit(u"a@x.io"_s, QString());
    time.advance(15min);
    for (int i = 0; i < 4; ++i)
        QVERIFY(throttle.admit(u"a@x.io"_s, QString()).ok());
    // Four recent failures: one more is admitted and locks.
    time.advance(1min);
    QVERIFY(throttle.admit(u"a@x.io"_s, QString()).ok());
    QVERIFY(!throttle.admit(u"a@x.io"_s, QString()).ok());
}

void TestLoginThrottle::addressAllowsBurstThenSteadyRate()
{
    FakeClock time;
    InMemoryLoginThrottle throttle({}, time.clock());
    for (int i = 0; i < 20; ++i)
        QVERIFY(throttle.admit(u"user" + QString::number(i) + u"@x.io", u"192.0.2.1"_s).ok());
    const Status refused = throttle.admit(u"other@x.io"_s, u"192.0.2.1"_s);
    QCOMPARE(retryAfter(refused), 3); // one attempt per 60 s / 20
    QVERIFY(refused.error().message.contains(u"network"_s));
    // Other addresses are not affected.
    QVERIFY(throttle.admit(u"other@x.io"_s, u"192.0.2.2"_s).ok());
    time.advance(2999ms);
    QCOMPARE(retryAfter(throttle.admit(u"x@x.io"_s, u"192.0.2.1"_s)), 1);
    time.advance(1ms);
    QVERIFY(throttle.admit(u"x@x.io"_s, u"192.0.2.1"_s).ok());
    QVERIFY(!throttle.admit(u"y@x.io"_s, u"192.0.2.1"_s).ok());
    // After a full window the whole burst is available again.
    time.advance(60s);
    for (int i = 0; i < 20; ++i)
        QVERIFY(throttle.admit(u"later" + QString::number(i) + u"@x.io", u"192.0.2.1"_s).ok());
    QVERIFY(!throttle.admit(u"z@x.io"_s, u"192.0.2.1"_s).ok());
}

void TestLoginThrottle::addressSuccessGivesTheAttemptBack()
{
    FakeClock time;
    InMemoryLoginThrottle throttle({}, time.clock());
    // An office behind one address: a hundred people sign in successfully.
    for (int i = 0; i < 100; ++i) {
        const QString account = u"staff" + QString::number(i) + u"@x.io";
        QVERIFY(throttle.admit(account, u"198.51.100.7"_s).ok());
        throttle.succeeded(account, u"198.51.100.7"_s);
    }
    QCOMPARE(throttle.trackedAddresses(), 0);
    QCOMPARE(throttle.trackedAccounts(), 0);
}

void TestLoginThrottle::refusalByOneLimitDoesNotChargeTheOther()
{
    FakeClock time;
    LoginThrottleSettings settings;
    settings.addressMaxFailures = 3;
    InMemoryLoginThrottle throttle(settings, time.clock());
    // A locked account costs the address nothing…
    for (int i = 0; i < 5; ++i)
        (void)throttle.admit(u"locked@x.io"_s, u"10.0.0." + QString::number(i));
    for (int i = 0; i < 10; ++i)
        QVERIFY(!throttle.admit(u"locked@x.io"_s, u"10.0.1.1"_s).ok());
    for (int i = 0; i < 3; ++i)
        QVERIFY(throttle.admit(u"free" + QString::number(i) + u"@x.io", u"10.0.1.1"_s).ok());
    // …and a throttled address costs the account nothing.
    for (int i = 0; i < 10; ++i)
        QVERIFY(!throttle.admit(u"victim@x.io"_s, u"10.0.1.1"_s).ok());
    for (int i = 0; i < 5; ++i)
        QVERIFY(throttle.admit(u"victim@x.io"_s, u"10.0.2." + QString::number(i)).ok());
}

void TestLoginThrottle::emptyKeySkipsThatCheck()
{
    FakeClock time;
    InMemoryLoginThrottle throttle({}, time.clock());
    for (int i = 0; i < 100; ++i)
        QVERIFY(throttle.admit(QString(), QString()).ok());
    QCOMPARE(throttle.trackedAccounts(), 0);
    QCOMPARE(throttle.trackedAddresses(), 0);
}

void TestLoginThrottle::messagesNameTheScopeAndWait()
{
    FakeClock time;
    InMemoryLoginThrottle throttle({}, time.clock());
    for (int i = 0; i < 5; ++i)
        (void)throttle.admit(u"a@x.io"_s, QString());
    const Status status = throttle.admit(u"a@x.io"_s, QString());
    QCOMPARE(status.error().message,
             u"Too many failed sign-in attempts for this account. Try again in 15 minutes."_s);
    QCOMPARE(status.error().toJson().value(u"retry_after"_s).toInt(), 900);
}

void TestLoginThrottle::addressKeys_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<QString>("key");
    QTest::newRow("ipv4") << u"192.0.2.33"_s << u"192.0.2.33"_s;
    QTest::newRow("ipv4-mapped ipv6") << u"::ffff:192.0.2.33"_s << u"192.0.2.33"_s;
    QTest::newRow("ipv6 keeps its /64")
        << u"2001:db8:1:2:aaaa:bbbb:cccc:dddd"_s << u"2001:db8:1:2::/64"_s;
    QTest::newRow("same /64 same key") << u"2001:db8:1:2::1"_s << u"2001:db8:1:2::/64"_s;
    QTest::newRow("loopback") << u"::1"_s << u"::/64"_s;
    QTest::newRow("not an address") << u"nonsense"_s << u"unknown"_s;
}

void TestLoginThrottle::addressKeys()
{
    QFETCH(QString, address);
    QFETCH(QString, key);
    QCOMPARE(LoginThrottle::addressKey(QHostAddress(address)), key);
}

void TestLoginThrottle::memoryStaysBounded()
{
    FakeClock time;
    LoginThrottleSettings settings;
    settings.maxTrackedAccounts = 100;
    settings.maxTrackedAddresses = 50;
    InMemoryLoginThrottle throttle(settings, time.clock());
    for (int i = 0; i < 5000; ++i) {
        QVERIFY(throttle
                    .admit(u"user" + QString::number(i) + u"@x.io",
                           u"10." + QString::number(i / 256) + u".0." + QString::number(i % 256))
                    .ok());
        QVERIFY(throttle.trackedAccounts() <= 100);
        QVERIFY(throttle.trackedAddresses() <= 50);
    }
    QVERIFY(throttle.trackedAccounts() > 50);
}

void TestLoginThrottle::lockedAccountsSurviveAFlood()
{
    FakeClock time;
    LoginThrottleSettings settings;
    settings.maxTrackedAccounts = 100;
    InMemoryLoginThrottle throttle(settings, time.clock());
    for (int i = 0; i < 5; ++i)
        (void)throttle.admit(u"target@x.io"_s, QString());
    // An attacker sprays single failures at thousands of other accounts,
    // hoping to push the target's lock out of memory.
    for (int i = 0; i < 5000; ++i)
        (void)throttle.admit(u"spray" + QString::number(i) + u"@x.io", QString());
    QCOMPARE(retryAfter(throttle.admit(u"target@x.io"_s, QString())), 900);
}

void TestLoginThrottle::concurrentAttemptsNeverExceedLimits()
{
    FakeClock time; // frozen: nothing may refill while threads race
    InMemoryLoginThrottle throttle({}, time.clock());
    std::atomic<int> addressAdmitted = 0;
    std::atomic<int> accountAdmitted = 0;
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 500; ++i) {
                // Same address, different accounts.
                if (throttle
                        .admit(u"t" + QString::number(t) + u'-' + QString::number(i),
                               u"203.0.113.9"_s)
                        .ok())
                    ++addressAdmitted;
                // Same account, different addresses.
                if (throttle
                        .admit(u"shared@x.io"_s,
                               u"t" + QString::number(t) + u'-' + QString::number(i))
                        .ok())
                    ++accountAdmitted;
                if (i % 50 == 0)
                    throttle.succeeded(QString(), u"unrelated"_s);
            }
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    QCOMPARE(addressAdmitted.load(), 20);
    QCOMPARE(accountAdmitted.load(), 5);
}

void TestLoginThrottle::settingsValidation()
{
    QVERIFY(LoginThrottleSettings {}.validate().ok());
    LoginThrottleSettings zero;
    zero.accountMaxFailures = 0;
    QVERIFY(!zero.validate().ok());
    LoginThrottleSettings inverted;
    inverted.accountMaxLockout = 60s;
    QVERIFY(!inverted.validate().ok());
    LoginThrottleSettings noWindow;
    noWindow.addressWindow = 0s;
    QVERIFY(!noWindow.validate().ok());
}

QTEST_GUILESS_MAIN(TestLoginThrottle)
#include "tst_loginthrottle.moc"
