#include "generation/turngate.h"

#include <QTest>

#include <atomic>
#include <thread>

using namespace parlance;
using State = TurnGate::State;

// The gate between a generation launched before its user message was stored
// and the storing of its answer (GenerationService::startNewMessage).
class TestTurnGate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void answerEndingFirstIsStoredWhenTheUserMessageIs_data()
    {
        QTest::addColumn<bool>("userMessageStored");
        QTest::addColumn<int>("runs");
        QTest::addColumn<State>("finalState");
        QTest::newRow("stored: the kept job runs once") << true << 1 << State::Stored;
        QTest::newRow("failed: the kept job never runs") << false << 0 << State::Failed;
    }
    void answerEndingFirstIsStoredWhenTheUserMessageIs()
    {
        QFETCH(bool, userMessageStored);
        QFETCH(int, runs);
        QFETCH(State, finalState);
        TurnGate gate;
        int ran = 0;
        QCOMPARE(gate.runWhenStored([&] { ++ran; }), State::Pending);
        QCOMPARE(ran, 0);
        userMessageStored ? gate.stored() : gate.failed();
        QCOMPARE(ran, runs);
        QCOMPARE(gate.state(), finalState);
        // Settling twice changes nothing, and runs nothing again.
        gate.stored();
        gate.failed();
        QCOMPARE(ran, runs);
        QCOMPARE(gate.state(), finalState);
    }

    void answerEndingAfterTheUserMessageRunsItsOwnJob()
    {
        TurnGate gate;
        gate.stored();
        int ran = 0;
        QCOMPARE(gate.runWhenStored([&] { ++ran; }), State::Stored);
        QCOMPARE(ran, 0); // the caller runs it; the gate keeps nothing
        gate.stored();
        QCOMPARE(ran, 0);
    }

    void answerAfterAFailedUserMessageIsDropped()
    {
        TurnGate gate;
        gate.failed();
        int ran = 0;
        QCOMPARE(gate.runWhenStored([&] { ++ran; }), State::Failed);
        gate.stored();
        QCOMPARE(ran, 0);
    }

    void racingSidesRunTheJobExactlyOnce()
    {
        // Whichever side comes second, the answer is stored once: by the
        // gate (Pending) or by the generation itself (Stored).
        for (int round = 0; round < 500; ++round) {
            TurnGate gate;
            std::atomic<int> ran { 0 };
            std::thread writer([&] { gate.stored(); });
            if (gate.runWhenStored([&] { ++ran; }) == State::Stored)
                ++ran;
            writer.join();
            QCOMPARE(ran.load(), 1);
        }
    }
};

QTEST_GUILESS_MAIN(TestTurnGate)
#include "tst_turngate.moc"
