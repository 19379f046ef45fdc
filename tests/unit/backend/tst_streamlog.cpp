#include "common/epolleventdispatcher.h"
#include "contract/errorcodes.h"
#include "streaming/streamlog.h"
#include "streaming/streamsubscription.h"

#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>

using namespace Qt::StringLiterals;
using namespace parlance;
using namespace std::chrono_literals;

namespace {

struct FakeClock
{
    std::shared_ptr<std::atomic<qint64>> ms = std::make_shared<std::atomic<qint64>>(1'000'000);
    TickClock clock() const
    {
        return [ms = ms] { return std::chrono::milliseconds(ms->load()); };
    }
    void advance(std::chrono::milliseconds by) { *ms += by.count(); }
};

std::shared_ptr<StreamLog> makeLog()
{
    return std::make_shared<StreamLog>(StreamLog::Identity { u"m1"_s, u"c1"_s, u"u1"_s });
}

// Concatenated delta text of a batch.
QString textOf(const QList<StreamEvent> &events)
{
    QString text;
    for (const StreamEvent &event : events) {
        if (event.type == StreamEvent::Type::Delta)
            text += event.text;
    }
    return text;
}

} // namespace

class TestStreamLog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void seqStartsAtOneAndGrowsByOne();
    void eventsAfterReturnsOnlyLaterEvents_data();
    void eventsAfterReturnsOnlyLaterEvents();
    void coalescedDeltasCarryTheLastSeq();
    void charBudgetBoundsABatchButNeverStarves();
    void emptyDeltaAppendsNothing();
    void finishAppendsErrorThenDone_data();
    void finishAppendsErrorThenDone();
    void appendAfterFinishIsRefused();
    void textIsStoredOnceNotPerEvent();
    void payloadsHaveTheWireShape();
    void typeNamesRoundTrip();
    void stopHandlerRunsOnce();
    void stopHandlerSetAfterStopRunsAtOnce();
    void lateSubscriberReplaysEverything();
    void subscriptionResumesAfterLastEventId_data();
    void subscriptionResumesAfterLastEventId();
    void waitingSubscriberIsWokenOnceByNextAppend();
    void finishWakesAWaitingSubscriber();
    void wakesOfOnePassRingWhenThePassEndsOnAnEpollThread();
    void removedWaiterIsNeverWoken();
    void backpressureHoldsEventsBack();
    void stalledReaderIsToldToReconnect();
    void progressResetsTheStall();
    void queuedWakeRunsOnTheContextThread();
};

void TestStreamLog::seqStartsAtOneAndGrowsByOne()
{
    auto log = makeLog();
    QCOMPARE(log->lastSeq(), 0);
    QCOMPARE(log->appendMeta({ { "model"_L1, u"demo"_s } }), 1);
    QCOMPARE(log->appendDelta(u"Hel"), 2);
    QCOMPARE(log->appendDelta(u"lo"), 3);
    QCOMPARE(log->appendUsage({ { "output_tokens"_L1, 2 } }), 4);
    QCOMPARE(log->finish(StreamFinalStatus::Complete), 5);
    const auto events = log->eventsAfter(0, 100);
    QCOMPARE(events.size(), 5);
    for (qsizetype i = 0; i < events.size(); ++i)
        QCOMPARE(events[i].seq, i + 1);
    QCOMPARE(log->text(), u"Hello"_s);
}

void TestStreamLog::eventsAfterReturnsOnlyLaterEvents_data()
{
    QTest::addColumn<qint64>("after");
    QTest::addColumn<int>("max");
    QTest::addColumn<QList<qint64>>("expected");
    QTest::newRow("from start") << qint64(0) << 100 << QList<qint64> { 1, 2, 3, 4, 5 };
    QTest::newRow("negative is start") << qint64(-7) << 100 << QList<qint64> { 1, 2, 3, 4, 5 };
    QTest::newRow("middle") << qint64(2) << 100 << QList<qint64> { 3, 4, 5 };
    QTest::newRow("limited count") << qint64(1) << 2 << QList<qint64> { 2, 3 };
    QTest::newRow("at end") << qint64(5) << 100 << QList<qint64> {};
    QTest::newRow("beyond end") << qint64(99) << 100 << QList<qint64> {};
    QTest::newRow("zero max") << qint64(0) << 0 << QList<qint64> {};
}

void TestStreamLog::eventsAfterReturnsOnlyLaterEvents()
{
    QFETCH(qint64, after);
    QFETCH(int, max);
    QFETCH(QList<qint64>, expected);
    auto log = makeLog();
    for (const auto piece : { u"a", u"b", u"c", u"d", u"e" })
        log->appendDelta(piece);
    QList<qint64> seqs;
    for (const StreamEvent &event : log->eventsAfter(after, max))
        seqs.append(event.seq);
    QCOMPARE(seqs, expected);
}

void TestStreamLog::coalescedDeltasCarryTheLastSeq()
{
    auto log = makeLog();
    log->appendMeta({ { "model"_L1, u"demo"_s } }); // 1
    log->appendDelta(u"one "); // 2
    log->appendDelta(u"two "); // 3
    log->appendDelta(u"three"); // 4
    log->appendUsage({}); // 5
    log->finish(StreamFinalStatus::Complete); // 6
    const auto events = log->eventsAfter(0, 100, -1, true);
    QCOMPARE(events.size(), 4);
    QCOMPARE(events[1].type, StreamEvent::Type::Delta);
    QCOMPARE(events[1].text, u"one two three"_s);
    QCOMPARE(events[1].seq, 4);
    QCOMPARE(events[2].seq, 5);
    // Resuming in the middle of a run gives exactly the rest of it.
    const auto rest = log->eventsAfter(2, 100, -1, true);
    QCOMPARE(rest.first().text, u"two three"_s);
    QCOMPARE(rest.first().seq, 4);
}

void TestStreamLog::charBudgetBoundsABatchButNeverStarves()
{
    auto log = makeLog();
    log->appendDelta(QString(50, u'x')); // 1
    log->appendDelta(u"ab"); // 2
    log->appendDelta(u"cd"); // 3
    // A single delta larger than the budget still comes out alone.
    auto events = log->eventsAfter(0, 100, 10, true);
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].seq, 1);
    QCOMPARE(events[0].text.size(), 50);
    events = log->eventsAfter(1, 100, 3, true);
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].text, u"abcd"_s); // stops after reaching 3: "ab" then "cd"
    QCOMPARE(events[0].seq, 3);
    events = log->eventsAfter(1, 100, 2, false);
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].text, u"ab"_s);
}

void TestStreamLog::emptyDeltaAppendsNothing()
{
    auto log = makeLog();
    log->appendDelta(u"x");
    QCOMPARE(log->appendDelta(u""), 1);
    QCOMPARE(log->lastSeq(), 1);
}

void TestStreamLog::finishAppendsErrorThenDone_data()
{
    QTest::addColumn<StreamFinalStatus>("status");
    QTest::addColumn<bool>("withError");
    QTest::addColumn<QString>("statusName");
    QTest::newRow("complete") << StreamFinalStatus::Complete << false << u"complete"_s;
    QTest::newRow("stopped") << StreamFinalStatus::Stopped << false << u"stopped"_s;
    QTest::newRow("interrupted with error")
        << StreamFinalStatus::Interrupted << true << u"interrupted"_s;
    QTest::newRow("error with error") << StreamFinalStatus::Error << true << u"error"_s;
}

void TestStreamLog::finishAppendsErrorThenDone()
{
    QFETCH(StreamFinalStatus, status);
    QFETCH(bool, withError);
    QFETCH(QString, statusName);
    auto log = makeLog();
    log->appendDelta(u"partial");
    std::optional<ApiError> error;
    if (withError)
        error = ApiError { QString(errc::UpstreamError), u"provider failed"_s, std::nullopt };
    const qint64 done = log->finish(status, error);
    QCOMPARE(done, withError ? 3 : 2);
    QVERIFY(log->isFinished());
    QCOMPARE(log->finalStatus(), status);
    QCOMPARE(log->finalError(), error);
    const auto events = log->eventsAfter(1, 10);
    QCOMPARE(events.last().type, StreamEvent::Type::Done);
    QCOMPARE(events.last().data.value("status"_L1).toString(), statusName);
    if (withError) {
        QCOMPARE(events.first().type, StreamEvent::Type::Error);
        QCOMPARE(events.first().data.value("code"_L1).toString(), QString(errc::UpstreamError));
    }
    QCOMPARE(log->text(), u"partial"_s); // partial text survives for persistence
}

void TestStreamLog::appendAfterFinishIsRefused()
{
    auto log = makeLog();
    log->finish(StreamFinalStatus::Stopped);
    QCOMPARE(log->appendDelta(u"late"), 0);
    QCOMPARE(log->appendMeta({}), 0);
    QCOMPARE(log->finish(StreamFinalStatus::Complete), 0);
    QCOMPARE(log->lastSeq(), 1);
    QCOMPARE(log->finalStatus(), StreamFinalStatus::Stopped);
    QVERIFY(log->text().isEmpty());
}

void TestStreamLog::textIsStoredOnceNotPerEvent()
{
    auto log = makeLog();
    const QString piece = u"0123456789"_s;
    constexpr int Count = 20000;
    for (int i = 0; i < Count; ++i)
        log->appendDelta(piece);
    log->finish(StreamFinalStatus::Complete);
    QCOMPARE(log->textLength(), Count * piece.size());
    // Storing the accumulated text per event would be ~Count^2 * 10 chars.
    // Text (2 bytes per char) plus a few dozen bytes per event is the bound.
    QVERIFY2(log->memoryBytes() < Count * piece.size() * 2 + Count * 64,
             qPrintable(QString::number(log->memoryBytes())));
}

void TestStreamLog::payloadsHaveTheWireShape()
{
    StreamEvent delta { 3, StreamEvent::Type::Delta, u"hi"_s, {} };
    QCOMPARE(delta.payload(), QJsonObject({ { "text"_L1, u"hi"_s } }));
    StreamEvent usage { 4, StreamEvent::Type::Usage, {}, { { "output_tokens"_L1, 7 } } };
    QCOMPARE(usage.payload(), usage.data);
}

void TestStreamLog::typeNamesRoundTrip()
{
    for (auto type : { StreamEvent::Type::Meta, StreamEvent::Type::Delta, StreamEvent::Type::Usage,
                       StreamEvent::Type::Error, StreamEvent::Type::Done }) {
        QCOMPARE(StreamEvent::typeFromName(QString(StreamEvent::typeName(type))), type);
    }
    QCOMPARE(StreamEvent::typeFromName(u"token"), std::nullopt);
    QCOMPARE(StreamEvent::typeName(StreamEvent::Type::Delta), "delta"_L1);
}

void TestStreamLog::stopHandlerRunsOnce()
{
    auto log = makeLog();
    int calls = 0;
    log->setStopHandler([&] { ++calls; });
    QVERIFY(!log->stopRequested());
    log->requestStop();
    log->requestStop();
    QVERIFY(log->stopRequested());
    QCOMPARE(calls, 1);
}

void TestStreamLog::stopHandlerSetAfterStopRunsAtOnce()
{
    auto log = makeLog();
    log->requestStop();
    int calls = 0;
    log->setStopHandler([&] { ++calls; });
    QCOMPARE(calls, 1);
}

void TestStreamLog::lateSubscriberReplaysEverything()
{
    auto log = makeLog();
    log->appendMeta({ { "model"_L1, u"demo"_s } });
    log->appendDelta(u"Hello, ");
    log->appendDelta(u"world");
    log->finish(StreamFinalStatus::Complete);
    StreamSubscription sub(log, 0, {});
    auto result = sub.read();
    QCOMPARE(result.outcome, StreamSubscription::Outcome::Events);
    QCOMPARE(result.events.size(), 3);
    QCOMPARE(textOf(result.events), u"Hello, world"_s);
    QCOMPARE(result.events.last().type, StreamEvent::Type::Done);
    QCOMPARE(sub.read().outcome, StreamSubscription::Outcome::Finished);
    QCOMPARE(sub.read().outcome, StreamSubscription::Outcome::Finished);
}

void TestStreamLog::subscriptionResumesAfterLastEventId_data()
{
    QTest::addColumn<qint64>("lastEventId");
    QTest::addColumn<QString>("expectedText");
    QTest::addColumn<qint64>("firstSeq");
    // Deltas come coalesced: the run carries the seq of its last delta (5).
    QTest::newRow("no id") << qint64(0) << u"abcd"_s << qint64(5);
    QTest::newRow("after meta") << qint64(1) << u"abcd"_s << qint64(5);
    QTest::newRow("mid text") << qint64(3) << u"cd"_s << qint64(5);
    QTest::newRow("after last delta") << qint64(5) << QString() << qint64(6);
    QTest::newRow("beyond end clamps") << qint64(1000) << QString() << qint64(-1);
}

void TestStreamLog::subscriptionResumesAfterLastEventId()
{
    QFETCH(qint64, lastEventId);
    QFETCH(QString, expectedText);
    QFETCH(qint64, firstSeq);
    auto log = makeLog();
    log->appendMeta({}); // 1
    for (const auto piece : { u"a", u"b", u"c", u"d" }) // 2..5
        log->appendDelta(piece);
    log->appendUsage({}); // 6
    StreamSubscription sub(log, lastEventId, {});
    auto result = sub.read();
    if (firstSeq < 0) {
        QCOMPARE(result.outcome, StreamSubscription::Outcome::Waiting);
        return;
    }
    QCOMPARE(result.outcome, StreamSubscription::Outcome::Events);
    QCOMPARE(textOf(result.events), expectedText);
    const auto firstNonMeta =
        std::find_if(result.events.cbegin(), result.events.cend(),
                     [](const StreamEvent &e) { return e.type != StreamEvent::Type::Meta; });
    QCOMPARE(firstNonMeta->seq, firstSeq);
    QCOMPARE(sub.lastSeq(), 6);
}

void TestStreamLog::waitingSubscriberIsWokenOnceByNextAppend()
{
    auto log = makeLog();
    int wakes = 0;
    StreamSubscription sub(log, 0, [&] { ++wakes; });
    QCOMPARE(sub.read().outcome, StreamSubscription::Outcome::Waiting);
    log->appendDelta(u"a");
    log->appendDelta(u"b"); // not re-armed yet: no second wake
    QCOMPARE(wakes, 1);
    auto result = sub.read();
    QCOMPARE(textOf(result.events), u"ab"_s);
    QCOMPARE(wakes, 1);
    QCOMPARE(sub.read().outcome, StreamSubscription::Outcome::Waiting);
    log->appendDelta(u"c");
    QCOMPARE(wakes, 2);
}

void TestStreamLog::finishWakesAWaitingSubscriber()
{
    auto log = makeLog();
    int wakes = 0;
    StreamSubscription sub(log, 0, [&] { ++wakes; });
    QCOMPARE(sub.read().outcome, StreamSubscription::Outcome::Waiting);
    log->finish(StreamFinalStatus::Stopped);
    QCOMPARE(wakes, 1);
    auto result = sub.read();
    QCOMPARE(result.outcome, StreamSubscription::Outcome::Events);
    QCOMPARE(result.events.last().type, StreamEvent::Type::Done);
    QCOMPARE(sub.read().outcome, StreamSubscription::Outcome::Finished);
}

void TestStreamLog::removedWaiterIsNeverWoken()
{
    auto log = makeLog();
    int wakes = 0;
    {
        StreamSubscription sub(log, 0, [&] { ++wakes; });
        QCOMPARE(log->waiterCount(), 1);
        QCOMPARE(sub.read().outcome, StreamSubscription::Outcome::Waiting);
    }
    QCOMPARE(log->waiterCount(), 0);
    log->appendDelta(u"x");
    QCOMPARE(wakes, 0);
}

void TestStreamLog::backpressureHoldsEventsBack()
{
    auto log = makeLog();
    FakeClock clock;
    SubscriptionLimits limits;
    limits.maxPendingBytes = 1000;
    StreamSubscription sub(log, 0, {}, limits, clock.clock());
    log->appendDelta(u"abc");
    QCOMPARE(sub.read(1000).outcome, StreamSubscription::Outcome::Backpressure);
    QCOMPARE(sub.lastSeq(), 0); // nothing was handed out
    auto result = sub.read(999);
    QCOMPARE(result.outcome, StreamSubscription::Outcome::Events);
    QCOMPARE(textOf(result.events), u"abc"_s);
    // Caught up: a full buffer with nothing new is just waiting.
    QCOMPARE(sub.read(5000).outcome, StreamSubscription::Outcome::Waiting);
}

void TestStreamLog::stalledReaderIsToldToReconnect()
{
    auto log = makeLog();
    FakeClock clock;
    SubscriptionLimits limits;
    limits.maxPendingBytes = 100;
    limits.maxStall = 30s;
    StreamSubscription sub(log, 0, {}, limits, clock.clock());
    log->appendDelta(u"abc");
    QCOMPARE(sub.read(100).outcome, StreamSubscription::Outcome::Backpressure);
    clock.advance(29'999ms);
    QCOMPARE(sub.read(100).outcome, StreamSubscription::Outcome::Backpressure);
    clock.advance(1ms);
    QCOMPARE(sub.read(100).outcome, StreamSubscription::Outcome::Reconnect);
    // The resume point is what was handed out: nothing lost on reconnect.
    StreamSubscription resumed(log, sub.lastSeq(), {});
    QCOMPARE(textOf(resumed.read().events), u"abc"_s);
}

void TestStreamLog::progressResetsTheStall()
{
    auto log = makeLog();
    FakeClock clock;
    SubscriptionLimits limits;
    limits.maxPendingBytes = 100;
    limits.maxStall = 30s;
    StreamSubscription sub(log, 0, {}, limits, clock.clock());
    log->appendDelta(u"a");
    QCOMPARE(sub.read(100).outcome, StreamSubscription::Outcome::Backpressure);
    clock.advance(20s);
    QCOMPARE(sub.read(0).outcome, StreamSubscription::Outcome::Events);
    log->appendDelta(u"b");
    QCOMPARE(sub.read(100).outcome, StreamSubscription::Outcome::Backpressure);
    clock.advance(20s);
    QCOMPARE(sub.read(100).outcome, StreamSubscription::Outcome::Backpressure);
}

void TestStreamLog::queuedWakeRunsOnTheContextThread()
{
    QThread thread;
    thread.start();
    QObject context;
    context.moveToThread(&thread);
    std::atomic<Qt::HANDLE> ranOn { nullptr };
    auto log = makeLog();
    {
        StreamSubscription sub(log, 0, StreamSubscription::queuedWake(&context, [&] {
                                   ranOn = QThread::currentThreadId();
                               }));
        QCOMPARE(sub.read().outcome, StreamSubscription::Outcome::Waiting);
        log->appendDelta(u"x");
        QTRY_VERIFY(ranOn.load() != nullptr);
    }
    Qt::HANDLE workerId = nullptr;
    QMetaObject::invokeMethod(
        &context, [&] { workerId = QThread::currentThreadId(); }, Qt::BlockingQueuedConnection);
    QCOMPARE(ranOn.load(), workerId);
    QVERIFY(ranOn.load() != QThread::currentThreadId());
    QMetaObject::invokeMethod(
        &context, [&] { context.moveToThread(qApp->thread()); }, Qt::BlockingQueuedConnection);
    thread.quit();
    thread.wait();
}

void TestStreamLog::wakesOfOnePassRingWhenThePassEndsOnAnEpollThread()
{
    // A generation thread (epoll dispatcher) appends for many streams in one
    // pass; their readers are rung together when the pass ends, and a reader
    // that left in between is not rung at all.
    QThread writer;
    writer.setEventDispatcher(new EpollEventDispatcher);
    writer.start();
    auto log = makeLog();
    std::atomic<int> stayingWakes = 0;
    std::atomic<int> leavingWakes = 0;
    auto staying = std::make_unique<StreamSubscription>(log, 0, [&] { ++stayingWakes; });
    auto leaving = std::make_unique<StreamSubscription>(log, 0, [&] { ++leavingWakes; });
    QCOMPARE(staying->read().outcome, StreamSubscription::Outcome::Waiting);
    QCOMPARE(leaving->read().outcome, StreamSubscription::Outcome::Waiting);
    QObject anchor;
    anchor.moveToThread(&writer);
    int wakesInsideThePass = -1;
    QMetaObject::invokeMethod(
        &anchor,
        [&] {
            log->appendDelta(u"a");
            log->appendDelta(u"b");
            wakesInsideThePass = stayingWakes.load() + leavingWakes.load();
            leaving.reset(); // the reader leaves before the pass ends
        },
        Qt::BlockingQueuedConnection);
    QCOMPARE(wakesInsideThePass, 0);
    QTRY_COMPARE(stayingWakes.load(), 1);
    QCOMPARE(textOf(staying->read().events), u"ab"_s);
    QTest::qWait(20);
    QCOMPARE(leavingWakes.load(), 0);
    QCOMPARE(stayingWakes.load(), 1);
    writer.quit();
    QVERIFY(writer.wait(5000));
}

QTEST_GUILESS_MAIN(TestStreamLog)
#include "tst_streamlog.moc"
