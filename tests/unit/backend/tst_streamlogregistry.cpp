#include "contract/errorcodes.h"
#include "streaming/streamregistry.h"

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
    TickClock clock() const
    {
        return [ms = ms] { return std::chrono::milliseconds(ms->load()); };
    }
    void advance(std::chrono::milliseconds by) { *ms += by.count(); }
};

StreamLog::Identity identity(const QString &message, const QString &conversation = u"c1"_s,
                             const QString &user = u"alice"_s)
{
    return { message, conversation, user };
}

template<typename T> QString codeOf(const Result<T> &result)
{
    return result.ok() ? QString() : result.error().code;
}

} // namespace

class TestStreamLogRegistry : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void secondGenerationInAConversationIsRefused();
    void otherConversationsAreIndependent();
    void finishingFreesTheConversation();
    void duplicateMessageIdIsAConflict();
    void emptyIdsAreInvalid_data();
    void emptyIdsAreInvalid();
    void strangersSeeNotFound_data();
    void strangersSeeNotFound();
    void stopReachesTheGeneration();
    void stopAfterFinishIsAccepted();
    void activeMessageIsOwnerChecked();
    void finishedLogIsKeptForRetentionThenDropped();
    void openLogsNeverExpire();
    void attachedSubscriberOutlivesExpiry();
    void subscribeResumesFromLastEventId();
    void concurrentStartsAdmitOnePerConversation();
};

void TestStreamLogRegistry::secondGenerationInAConversationIsRefused()
{
    StreamRegistry registry;
    QVERIFY(registry.start(identity(u"m1"_s)).ok());
    const auto second = registry.start(identity(u"m2"_s));
    QCOMPARE(codeOf(second), QString(errc::GenerationInProgress));
    QCOMPARE(errc::httpStatusFor(errc::GenerationInProgress), 409);
    QCOMPARE(registry.size(), 1);
}

void TestStreamLogRegistry::otherConversationsAreIndependent()
{
    StreamRegistry registry;
    QVERIFY(registry.start(identity(u"m1"_s, u"c1"_s)).ok());
    QVERIFY(registry.start(identity(u"m2"_s, u"c2"_s)).ok());
    QCOMPARE(registry.activeCount(), 2);
}

void TestStreamLogRegistry::finishingFreesTheConversation()
{
    StreamRegistry registry;
    auto log = registry.start(identity(u"m1"_s));
    QVERIFY(log.ok());
    log.value()->finish(StreamFinalStatus::Complete);
    QCOMPARE(registry.activeCount(), 0);
    QVERIFY(registry.start(identity(u"m2"_s)).ok());
    QCOMPARE(registry.size(), 2); // the finished one stays for late readers
}

void TestStreamLogRegistry::duplicateMessageIdIsAConflict()
{
    StreamRegistry registry;
    auto log = registry.start(identity(u"m1"_s, u"c1"_s));
    log.value()->finish(StreamFinalStatus::Complete);
    QCOMPARE(codeOf(registry.start(identity(u"m1"_s, u"c2"_s))), QString(errc::Conflict));
}

void TestStreamLogRegistry::emptyIdsAreInvalid_data()
{
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("conversation");
    QTest::addColumn<QString>("user");
    QTest::newRow("no message") << QString() << u"c"_s << u"u"_s;
    QTest::newRow("no conversation") << u"m"_s << QString() << u"u"_s;
    QTest::newRow("no user") << u"m"_s << u"c"_s << QString();
}

void TestStreamLogRegistry::emptyIdsAreInvalid()
{
    QFETCH(QString, message);
    QFETCH(QString, conversation);
    QFETCH(QString, user);
    StreamRegistry registry;
    QCOMPARE(codeOf(registry.start(identity(message, conversation, user))),
             QString(errc::InvalidField));
}

void TestStreamLogRegistry::strangersSeeNotFound_data()
{
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("user");
    QTest::addColumn<bool>("found");
    QTest::newRow("owner") << u"m1"_s << u"alice"_s << true;
    QTest::newRow("another user") << u"m1"_s << u"mallory"_s << false;
    QTest::newRow("empty user") << u"m1"_s << QString() << false;
    QTest::newRow("unknown message") << u"m9"_s << u"alice"_s << false;
}

void TestStreamLogRegistry::strangersSeeNotFound()
{
    QFETCH(QString, message);
    QFETCH(QString, user);
    QFETCH(bool, found);
    StreamRegistry registry;
    auto log = registry.start(identity(u"m1"_s));
    const QString expected = found ? QString() : QString(errc::NotFound);
    QCOMPARE(codeOf(registry.find(message, user)), expected);
    QCOMPARE(codeOf(registry.subscribe(message, user, 0, {})), expected);
    QCOMPARE(codeOf(registry.requestStop(message, user)), expected);
    QCOMPARE(log.value()->stopRequested(), found);
}

void TestStreamLogRegistry::stopReachesTheGeneration()
{
    StreamRegistry registry;
    auto log = registry.start(identity(u"m1"_s));
    int stops = 0;
    log.value()->setStopHandler([&] { ++stops; });
    QVERIFY(registry.requestStop(u"m1"_s, u"alice"_s).ok());
    QCOMPARE(stops, 1);
    QVERIFY(log.value()->stopRequested());
}

void TestStreamLogRegistry::stopAfterFinishIsAccepted()
{
    StreamRegistry registry;
    auto log = registry.start(identity(u"m1"_s));
    log.value()->finish(StreamFinalStatus::Complete);
    QVERIFY(registry.requestStop(u"m1"_s, u"alice"_s).ok());
    QCOMPARE(log.value()->finalStatus(), StreamFinalStatus::Complete);
}

void TestStreamLogRegistry::activeMessageIsOwnerChecked()
{
    StreamRegistry registry;
    auto log = registry.start(identity(u"m1"_s));
    QCOMPARE(registry.activeMessage(u"c1"_s, u"alice"_s), u"m1"_s);
    QCOMPARE(registry.activeMessage(u"c1"_s, u"mallory"_s), std::nullopt);
    log.value()->finish(StreamFinalStatus::Complete);
    QCOMPARE(registry.activeMessage(u"c1"_s, u"alice"_s), std::nullopt);
}

void TestStreamLogRegistry::finishedLogIsKeptForRetentionThenDropped()
{
    FakeClock clock;
    StreamRegistry registry(StreamRegistrySettings { 5min }, clock.clock());
    auto log = registry.start(identity(u"m1"_s));
    log.value()->appendDelta(u"hi");
    log.value()->finish(StreamFinalStatus::Complete);
    clock.advance(5min - 1ms);
    QCOMPARE(registry.collectExpired(), 0);
    QVERIFY(registry.subscribe(u"m1"_s, u"alice"_s, 0, {}).ok());
    clock.advance(1ms);
    QCOMPARE(registry.collectExpired(), 1);
    QCOMPARE(codeOf(registry.find(u"m1"_s, u"alice"_s)), QString(errc::NotFound));
    QCOMPARE(registry.size(), 0);
}

void TestStreamLogRegistry::openLogsNeverExpire()
{
    FakeClock clock;
    StreamRegistry registry(StreamRegistrySettings { 1min }, clock.clock());
    auto log = registry.start(identity(u"m1"_s));
    clock.advance(24h);
    QCOMPARE(registry.collectExpired(), 0);
    QVERIFY(registry.find(u"m1"_s, u"alice"_s).ok());
}

void TestStreamLogRegistry::attachedSubscriberOutlivesExpiry()
{
    FakeClock clock;
    StreamRegistry registry(StreamRegistrySettings { 1min }, clock.clock());
    auto log = registry.start(identity(u"m1"_s));
    auto sub = registry.subscribe(u"m1"_s, u"alice"_s, 0, {});
    QVERIFY(sub.ok());
    log.value()->appendDelta(u"still here");
    log.value()->finish(StreamFinalStatus::Complete);
    log = ApiError {}; // drop the writer's reference
    clock.advance(2min);
    QCOMPARE(registry.collectExpired(), 1);
    auto read = sub.value()->read();
    QCOMPARE(read.outcome, StreamSubscription::Outcome::Events);
    QCOMPARE(read.events.first().text, u"still here"_s);
}

void TestStreamLogRegistry::subscribeResumesFromLastEventId()
{
    StreamRegistry registry;
    auto log = registry.start(identity(u"m1"_s));
    log.value()->appendDelta(u"a");
    log.value()->appendDelta(u"b");
    log.value()->appendDelta(u"c");
    auto sub = registry.subscribe(u"m1"_s, u"alice"_s, 2, {});
    QCOMPARE(sub.value()->read().events.first().text, u"c"_s);
}

void TestStreamLogRegistry::concurrentStartsAdmitOnePerConversation()
{
    StreamRegistry registry;
    constexpr int Threads = 8;
    constexpr int Conversations = 200;
    std::atomic<int> admitted { 0 };
    std::atomic<int> refused { 0 };
    std::vector<std::thread> threads;
    for (int t = 0; t < Threads; ++t) {
        threads.emplace_back([&, t] {
            for (int c = 0; c < Conversations; ++c) {
                const auto result = registry.start(
                    identity(u"m-%1-%2"_s.arg(t).arg(c), u"c-%1"_s.arg(c), u"alice"_s));
                if (result.ok())
                    ++admitted;
                else if (result.error().code == errc::GenerationInProgress)
                    ++refused;
            }
        });
    }
    for (auto &thread : threads)
        thread.join();
    QCOMPARE(admitted.load(), Conversations);
    QCOMPARE(refused.load(), Conversations * (Threads - 1));
    QCOMPARE(registry.activeCount(), Conversations);
}

QTEST_GUILESS_MAIN(TestStreamLogRegistry)
#include "tst_streamlogregistry.moc"
