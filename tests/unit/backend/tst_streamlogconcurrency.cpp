#include "streaming/streamlog.h"
#include "streaming/streamsubscription.h"

#include <QSemaphore>
#include <QTest>

#include <atomic>
#include <memory>
#include <random>
#include <thread>
#include <vector>

using namespace Qt::StringLiterals;
using namespace parlance;

namespace {

// Delta i: a few characters that differ from their neighbours, so a gap or
// a duplicate anywhere changes the reassembled text.
QString deltaText(int i)
{
    return QString::number(i) + QChar(u'a' + i % 26) + (i % 7 == 0 ? u" "_s : QString());
}

struct ReaderReport
{
    QString text;
    int doneEvents = 0;
    int reconnects = 0;
    QString failure; // empty when every invariant held
};

// Follows the log like an SSE client: reads batches, sleeps now and then,
// and sometimes drops its subscription and resumes from the last id it saw
// (or from an earlier one, checking that the overlap is identical).
ReaderReport follow(const std::shared_ptr<StreamLog> &log, unsigned seed, bool coalesce)
{
    ReaderReport report;
    std::mt19937 random(seed);
    QSemaphore doorbell;
    qint64 lastSeq = 0;
    SubscriptionLimits limits;
    limits.maxEventsPerRead = 1 + int(random() % 300);
    limits.maxCharsPerRead = 1 + qsizetype(random() % 4000);
    limits.coalesceDeltas = coalesce;
    auto subscription = std::make_unique<StreamSubscription>(
        log, 0, [&] { doorbell.release(); }, limits);
    for (;;) {
        if (random() % 500 == 0)
            std::this_thread::sleep_for(std::chrono::microseconds(random() % 2000));
        if (random() % 200 == 0) {
            // Reconnect: usually from the last id, sometimes from an earlier one.
            ++report.reconnects;
            qint64 from = lastSeq;
            if (random() % 3 == 0 && lastSeq > 0)
                from = qint64(random() % quint64(lastSeq));
            subscription.reset();
            // Replay [from, lastSeq] without coalescing and compare with what
            // we already have: a resume must repeat history exactly.
            if (from < lastSeq) {
                QString again;
                qint64 seq = from;
                while (seq < lastSeq) {
                    const auto events = log->eventsAfter(seq, 1000);
                    for (const StreamEvent &event : events) {
                        if (event.seq > lastSeq)
                            break;
                        if (event.seq != seq + 1) {
                            report.failure = u"gap on replay"_s;
                            return report;
                        }
                        seq = event.seq;
                        again += event.text;
                    }
                }
                // What we hold = the log's text up to `from` + the replay.
                qsizetype prefix = 0;
                for (const StreamEvent &event : log->eventsAfter(0, int(from)))
                    prefix += event.text.size();
                if (report.text.size() != prefix + again.size()
                    || report.text.mid(prefix) != again) {
                    report.failure = u"replay differs at reconnect %1"_s.arg(report.reconnects);
                    return report;
                }
            }
            subscription = std::make_unique<StreamSubscription>(
                log, lastSeq, [&] { doorbell.release(); }, limits);
        }
        const auto result = subscription->read();
        switch (result.outcome) {
        case StreamSubscription::Outcome::Events:
            for (const StreamEvent &event : result.events) {
                if (event.seq <= lastSeq || (!coalesce && event.seq != lastSeq + 1)) {
                    report.failure = u"seq %1 after %2"_s.arg(event.seq).arg(lastSeq);
                    return report;
                }
                lastSeq = event.seq;
                if (event.type == StreamEvent::Type::Done)
                    ++report.doneEvents;
                report.text += event.text;
            }
            break;
        case StreamSubscription::Outcome::Waiting:
            // A generous bound only so that a lost wake fails instead of hanging.
            if (!doorbell.tryAcquire(1, 10'000)) {
                report.failure = u"lost wake-up at seq %1"_s.arg(lastSeq);
                return report;
            }
            doorbell.tryAcquire(doorbell.available()); // drop spurious extra wakes
            break;
        case StreamSubscription::Outcome::Finished:
            return report;
        case StreamSubscription::Outcome::Backpressure:
        case StreamSubscription::Outcome::Reconnect:
            report.failure = u"unexpected backpressure"_s;
            return report;
        }
    }
}

} // namespace

class TestStreamLogConcurrency : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readersReassembleExactlyWhileWriterAppends_data();
    void readersReassembleExactlyWhileWriterAppends();
    void subscribersComeAndGoDuringAppends();
};

void TestStreamLogConcurrency::readersReassembleExactlyWhileWriterAppends_data()
{
    QTest::addColumn<int>("deltas");
    QTest::addColumn<int>("readers");
    QTest::addColumn<bool>("coalesce");
    QTest::newRow("100k deltas, 4 coalescing readers") << 100'000 << 4 << true;
    QTest::newRow("100k deltas, 3 event-by-event readers") << 100'000 << 3 << false;
    QTest::newRow("short stream, 16 readers") << 500 << 16 << true;
}

void TestStreamLogConcurrency::readersReassembleExactlyWhileWriterAppends()
{
    QFETCH(int, deltas);
    QFETCH(int, readers);
    QFETCH(bool, coalesce);
    auto log = std::make_shared<StreamLog>(StreamLog::Identity { u"m"_s, u"c"_s, u"u"_s });
    QString expected;
    for (int i = 0; i < deltas; ++i)
        expected += deltaText(i);

    std::vector<ReaderReport> reports(static_cast<size_t>(readers));
    std::vector<std::thread> threads;
    for (int r = 0; r < readers; ++r) {
        threads.emplace_back(
            [&, r] { reports[size_t(r)] = follow(log, 1234u + unsigned(r), coalesce); });
    }
    std::thread writer([&] {
        std::mt19937 random(99);
        log->appendMeta({ { "model"_L1, u"demo"_s } });
        for (int i = 0; i < deltas; ++i) {
            log->appendDelta(deltaText(i));
            if (random() % 5000 == 0)
                std::this_thread::sleep_for(std::chrono::microseconds(random() % 3000));
        }
        log->appendUsage({ { "output_tokens"_L1, deltas } });
        log->finish(StreamFinalStatus::Complete);
    });
    writer.join();
    for (auto &thread : threads)
        thread.join();

    QCOMPARE(log->text(), expected);
    for (int r = 0; r < readers; ++r) {
        const ReaderReport &report = reports[size_t(r)];
        QVERIFY2(report.failure.isEmpty(), qPrintable(report.failure));
        QCOMPARE(report.doneEvents, 1);
        QVERIFY2(report.text == expected,
                 qPrintable(u"reader %1: %2 chars instead of %3"_s.arg(r)
                                .arg(report.text.size())
                                .arg(expected.size())));
    }
    QCOMPARE(log->waiterCount(), 0);
}

void TestStreamLogConcurrency::subscribersComeAndGoDuringAppends()
{
    // Subscriptions created and destroyed on many threads while the writer
    // wakes them: no crash, no wake after removal (the wake would touch a
    // destroyed semaphore), nothing left registered.
    auto log = std::make_shared<StreamLog>(StreamLog::Identity { u"m"_s, u"c"_s, u"u"_s });
    std::atomic<bool> stop { false };
    std::vector<std::thread> churners;
    std::atomic<int> cycles { 0 };
    for (int t = 0; t < 4; ++t) {
        churners.emplace_back([&] {
            while (!stop.load()) {
                auto counter = std::make_unique<std::atomic<int>>(0);
                StreamSubscription sub(log, log->lastSeq(), [c = counter.get()] { ++*c; });
                (void)sub.read();
                ++cycles;
            }
        });
    }
    for (int i = 0; i < 50'000; ++i)
        log->appendDelta(u"x");
    // Keep appending until every churner has cycled a fair number of times.
    while (cycles.load() < 2000)
        log->appendDelta(u"y");
    stop = true;
    for (auto &thread : churners)
        thread.join();
    log->finish(StreamFinalStatus::Complete);
    QCOMPARE(log->waiterCount(), 0);
}

QTEST_GUILESS_MAIN(TestStreamLogConcurrency)
#include "tst_streamlogconcurrency.moc"
