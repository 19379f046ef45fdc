// SessionClock, the simulator's one timer for every response: order,
// replacement, cancellation (also from a callback), and no starvation by a
// client that keeps asking for "now".

#include "sessionclock.h"

#include <QElapsedTimer>
#include <QTest>

#include <functional>
#include <memory>
#include <vector>

using parlance::sim::SessionClock;

namespace {

class Recorder final : public SessionClock::Client
{
public:
    Recorder(SessionClock &clock, int name, std::vector<int> &calls)
        : m_clock(clock)
        , m_name(name)
        , m_calls(calls)
    { }
    virtual ~Recorder() { m_clock.cancel(this); }
    Recorder(const Recorder &) = delete;
    Recorder &operator=(const Recorder &) = delete;

    void clockDue() override
    {
        m_calls.push_back(m_name);
        calledAtMs = elapsed.elapsed();
        if (onDue)
            onDue();
    }

    QElapsedTimer elapsed;
    qint64 calledAtMs = -1;
    std::function<void()> onDue;

private:
    SessionClock &m_clock;
    int m_name;
    std::vector<int> &m_calls;
};

} // namespace

class TstSessionClock : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void callsBackInDeadlineOrderAndNeverEarly();
    void aNewScheduleReplacesTheOldOne();
    void aCancelledClientIsNotCalled();
    void aCallbackMayDeleteAnotherDueClient();
    void aClientAskingForNowDoesNotStarveOthers();
};

void TstSessionClock::callsBackInDeadlineOrderAndNeverEarly()
{
    SessionClock clock;
    std::vector<int> calls;
    Recorder a(clock, 1, calls), b(clock, 2, calls), c(clock, 3, calls);
    for (Recorder *r : { &a, &b, &c })
        r->elapsed.start();
    clock.schedule(&a, 60);
    clock.schedule(&b, 20);
    clock.schedule(&c, 40);
    QCOMPARE(clock.pending(), 3);
    QTRY_COMPARE(calls.size(), size_t(3));
    QCOMPARE(calls, (std::vector<int> { 2, 3, 1 }));
    QVERIFY2(b.calledAtMs >= 20, qPrintable(QString::number(b.calledAtMs)));
    QVERIFY2(c.calledAtMs >= 40, qPrintable(QString::number(c.calledAtMs)));
    QVERIFY2(a.calledAtMs >= 60, qPrintable(QString::number(a.calledAtMs)));
    QCOMPARE(clock.pending(), 0);
}

void TstSessionClock::aNewScheduleReplacesTheOldOne()
{
    SessionClock clock;
    std::vector<int> calls;
    Recorder a(clock, 1, calls);
    a.elapsed.start();
    clock.schedule(&a, 10);
    clock.schedule(&a, 80);
    QCOMPARE(clock.pending(), 1);
    QTRY_COMPARE(calls.size(), size_t(1));
    QVERIFY2(a.calledAtMs >= 80, qPrintable(QString::number(a.calledAtMs)));
    QTest::qWait(30);
    QCOMPARE(calls.size(), size_t(1)); // once, not once per schedule
}

void TstSessionClock::aCancelledClientIsNotCalled()
{
    SessionClock clock;
    std::vector<int> calls;
    Recorder a(clock, 1, calls), b(clock, 2, calls);
    clock.schedule(&a, 10);
    clock.schedule(&b, 20);
    clock.cancel(&a);
    clock.cancel(&a); // twice is harmless
    QTRY_COMPARE(calls, (std::vector<int> { 2 }));
    QTest::qWait(20);
    QCOMPARE(calls, (std::vector<int> { 2 }));
}

void TstSessionClock::aCallbackMayDeleteAnotherDueClient()
{
    SessionClock clock;
    std::vector<int> calls;
    auto a = std::make_unique<Recorder>(clock, 1, calls);
    auto b = std::make_unique<Recorder>(clock, 2, calls);
    Recorder c(clock, 3, calls);
    // All three are due in the same pass; a's callback deletes b, as a
    // response's end can delete another response's connection.
    clock.schedule(a.get(), 15);
    clock.schedule(b.get(), 15);
    clock.schedule(&c, 15);
    a->onDue = [&] { b.reset(); };
    QTest::qWait(40);
    QCOMPARE(calls, (std::vector<int> { 1, 3 }));
    QCOMPARE(clock.pending(), 0);
}

void TstSessionClock::aClientAskingForNowDoesNotStarveOthers()
{
    SessionClock clock;
    std::vector<int> calls;
    Recorder busy(clock, 1, calls), other(clock, 2, calls);
    int busyCalls = 0;
    busy.onDue = [&] {
        if (++busyCalls < 100'000)
            clock.schedule(&busy, 0);
    };
    clock.schedule(&busy, 0);
    clock.schedule(&other, 5);
    // Each pass fires only what was due when it began, so the event loop
    // turns and the other client's deadline comes.
    QTRY_VERIFY(std::find(calls.begin(), calls.end(), 2) != calls.end());
    QVERIFY(busyCalls < 100'000);
    clock.cancel(&busy);
}

QTEST_GUILESS_MAIN(TstSessionClock)
#include "tst_sessionclock.moc"
