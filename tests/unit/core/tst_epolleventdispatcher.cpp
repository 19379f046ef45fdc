#include "common/epolleventdispatcher.h"

#include <QEventLoop>
#include <QPointer>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

using namespace parlance;
using namespace std::chrono_literals;

namespace {

// A connected pair of Unix stream sockets, closed at scope end.
struct SocketPair
{
    int fds[2] = { -1, -1 };
    SocketPair() { QVERIFY(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0); }
    ~SocketPair()
    {
        for (const int fd : fds)
            if (fd >= 0)
                ::close(fd);
    }
    void makeReadable() const { QCOMPARE(::write(fds[1], "x", 1), ssize_t(1)); }
};

class TimerCounter : public QObject
{
public:
    using QObject::QObject;
    std::vector<int> fired;
    std::function<void(int)> onTimer;

protected:
    void timerEvent(QTimerEvent *event) override
    {
        fired.push_back(event->timerId());
        if (onTimer)
            onTimer(event->timerId());
    }
};

} // namespace

// The whole test runs on a main thread whose dispatcher is the epoll one (see
// main() below), so QTest::qWait, QSignalSpy::wait and every socket here go
// through it.
class TestEpollEventDispatcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void isTheDispatcherOfThisThread()
    {
        QVERIFY(qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance()));
    }

    void timersFireInDeadlineOrder()
    {
        std::vector<int> order;
        QTimer::singleShot(120, this, [&] { order.push_back(120); });
        QTimer::singleShot(1, this, [&] { order.push_back(1); });
        QTimer::singleShot(40, this, [&] { order.push_back(40); });
        QTRY_COMPARE(order.size(), size_t(3));
        QCOMPARE(order, (std::vector<int> { 1, 40, 120 }));
    }

    void repeatingTimerFiresUntilStopped()
    {
        QTimer timer;
        timer.setInterval(2);
        int ticks = 0;
        connect(&timer, &QTimer::timeout, this, [&] {
            if (++ticks == 5)
                timer.stop();
        });
        timer.start();
        QTRY_COMPARE(ticks, 5);
        QTest::qWait(30);
        QCOMPARE(ticks, 5);
        QVERIFY(!timer.isActive());
    }

    void timerKilledOrDeletedByAnotherHandlerDoesNotFire()
    {
        auto *counter = new TimerCounter;
        QPointer<TimerCounter> guard(counter);
        // Same deadline: both are due in the same pass, whichever comes first
        // deletes the object, and the other must not be delivered to it.
        const int first = counter->startTimer(0ms);
        const int second = counter->startTimer(0ms);
        QVERIFY(first > 0 && second > 0);
        counter->onTimer = [counter](int) { delete counter; };
        QTRY_VERIFY(guard.isNull());
        QTest::qWait(10);

        TimerCounter survivor;
        const int a = survivor.startTimer(1ms);
        const int b = survivor.startTimer(1ms);
        bool killed = false;
        survivor.onTimer = [&](int id) {
            if (!std::exchange(killed, true))
                survivor.killTimer(id == a ? b : a);
        };
        QTRY_VERIFY(!survivor.fired.empty());
        QTest::qWait(20);
        // Only the timer that fired first is left, and it keeps firing.
        const int kept = survivor.fired.front();
        for (const int id : survivor.fired)
            QCOMPARE(id, kept);
        QVERIFY(survivor.fired.size() > 1);
    }

    void timerStartedUnderAKilledTimersIdWaitsItsTurn()
    {
        // Both due in one pass. Whichever fires first kills the other and
        // starts a long timer, which Qt gives the id just freed. The long
        // timer must not fire in the same pass under the old id.
        TimerCounter counter;
        const int a = counter.startTimer(1ms);
        const int b = counter.startTimer(1ms);
        int longTimer = 0;
        counter.onTimer = [&](int id) {
            if (longTimer == 0) {
                // Ids are reused last-freed first: free the other one last.
                counter.killTimer(id);
                counter.killTimer(id == a ? b : a);
                longTimer = counter.startTimer(10s);
            }
        };
        QTRY_VERIFY(longTimer != 0);
        QTest::qWait(50);
        QCOMPARE(counter.fired.size(), size_t(1));
        QVERIFY(QAbstractEventDispatcher::instance()->remainingTime(longTimer) > 5000);
    }

    void zeroIntervalTimerDoesNotStarveOtherWork()
    {
        QTimer busy;
        busy.setInterval(0);
        int spins = 0;
        connect(&busy, &QTimer::timeout, this, [&] { ++spins; });
        busy.start();
        bool timerFired = false;
        bool postedRan = false;
        QTimer::singleShot(20, this, [&] { timerFired = true; });
        QMetaObject::invokeMethod(
            this, [&] { postedRan = true; }, Qt::QueuedConnection);
        SocketPair pair;
        QSocketNotifier notifier(pair.fds[0], QSocketNotifier::Read);
        int reads = 0;
        connect(&notifier, &QSocketNotifier::activated, this, [&] {
            char byte;
            QCOMPARE(::read(pair.fds[0], &byte, 1), ssize_t(1));
            ++reads;
        });
        pair.makeReadable();
        QTRY_VERIFY(timerFired && postedRan && reads == 1);
        QVERIFY(spins > 0);
    }

    void remainingTimeAndRegisteredTimersDescribeLiveTimers()
    {
        auto *dispatcher = QAbstractEventDispatcher::instance();
        TimerCounter counter;
        const int id = counter.startTimer(5000ms, Qt::PreciseTimer);
        const int left = dispatcher->remainingTime(id);
        QVERIFY2(left > 0 && left <= 5000, QByteArray::number(left).constData());
        const auto timers = dispatcher->registeredTimers(&counter);
        QCOMPARE(timers.size(), 1);
        QCOMPARE(timers.first().timerId, id);
        QCOMPARE(timers.first().interval, 5000);
        QCOMPARE(timers.first().timerType, Qt::PreciseTimer);
        counter.killTimer(id);
        QCOMPARE(dispatcher->remainingTime(id), -1);
        QVERIFY(dispatcher->registeredTimers(&counter).isEmpty());
    }

    void eventsPostedFromAnotherThreadWakeTheLoop()
    {
        constexpr int Posts = 2000;
        int received = 0;
        std::thread poster([&] {
            for (int i = 0; i < Posts; ++i)
                QMetaObject::invokeMethod(
                    this, [&] { ++received; }, Qt::QueuedConnection);
        });
        QTRY_COMPARE(received, Posts);
        poster.join();
    }

    void deleteLaterIsHonoured()
    {
        QPointer<QObject> object(new QObject);
        object->deleteLater();
        QTRY_VERIFY(object.isNull());
    }

    void notifierDeletedByAnEarlierHandlerInTheSamePassIsNotActivated()
    {
        SocketPair first, second;
        auto *a = new QSocketNotifier(first.fds[0], QSocketNotifier::Read);
        auto *b = new QSocketNotifier(second.fds[0], QSocketNotifier::Read);
        int activations = 0;
        // Whichever is delivered first deletes the other; both are ready in
        // the same epoll_wait.
        connect(a, &QSocketNotifier::activated, this, [&] {
            ++activations;
            delete b;
            b = nullptr;
            a->setEnabled(false);
        });
        connect(b, &QSocketNotifier::activated, this, [&] {
            ++activations;
            delete a;
            a = nullptr;
            b->setEnabled(false);
        });
        first.makeReadable();
        second.makeReadable();
        QTRY_COMPARE(activations, 1);
        QTest::qWait(20);
        QCOMPARE(activations, 1);
        delete a;
        delete b;
    }

    void descriptorNumberReusedBehindANotifierStillWorks()
    {
        auto *first = new SocketPair;
        const int reusedFd = first->fds[0];
        auto *stale = new QSocketNotifier(reusedFd, QSocketNotifier::Read);
        QCoreApplication::processEvents();
        // Closed while its notifier is still enabled: the kernel forgets it.
        delete first;
        SocketPair second;
        QCOMPARE(second.fds[0], reusedFd); // the lowest free number comes back
        QSocketNotifier fresh(second.fds[0], QSocketNotifier::Read);
        int activations = 0;
        connect(&fresh, &QSocketNotifier::activated, this, [&] {
            char byte;
            QCOMPARE(::read(second.fds[0], &byte, 1), ssize_t(1));
            ++activations;
        });
        delete stale; // must not take the fresh registration with it
        second.makeReadable();
        QTRY_COMPARE(activations, 1);
    }

    void excludedSocketNotifiersWaitForALaterPass()
    {
        SocketPair pair;
        QSocketNotifier notifier(pair.fds[0], QSocketNotifier::Read);
        int activations = 0;
        connect(&notifier, &QSocketNotifier::activated, this, [&] {
            char byte;
            QCOMPARE(::read(pair.fds[0], &byte, 1), ssize_t(1));
            ++activations;
        });
        pair.makeReadable();
        QCoreApplication::processEvents(QEventLoop::ExcludeSocketNotifiers);
        QCOMPARE(activations, 0);
        QTRY_COMPARE(activations, 1);
    }

    void tcpConnectionsExchangeDataBothWays()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        std::vector<std::unique_ptr<QTcpSocket>> accepted;
        connect(&server, &QTcpServer::newConnection, this, [&] {
            while (QTcpSocket *peer = server.nextPendingConnection()) {
                // Echo everything back.
                connect(peer, &QTcpSocket::readyRead, peer,
                        [peer] { peer->write(peer->readAll()); });
                accepted.emplace_back(peer);
            }
        });
        constexpr int Clients = 64;
        const QByteArray payload(4096, 'p');
        std::vector<std::unique_ptr<QTcpSocket>> clients;
        std::vector<QByteArray> echoed(Clients);
        for (int i = 0; i < Clients; ++i) {
            auto socket = std::make_unique<QTcpSocket>();
            QTcpSocket *raw = socket.get();
            connect(raw, &QTcpSocket::readyRead, this,
                    [raw, &echoed, i] { echoed[size_t(i)] += raw->readAll(); });
            connect(raw, &QTcpSocket::connected, this, [raw, payload] { raw->write(payload); });
            raw->connectToHost(QHostAddress::LocalHost, server.serverPort());
            clients.push_back(std::move(socket));
        }
        QTRY_VERIFY_WITH_TIMEOUT(
            std::all_of(echoed.begin(), echoed.end(),
                        [&](const QByteArray &got) { return got.size() == payload.size(); }),
            10000);
        for (const QByteArray &got : echoed)
            QCOMPARE(got, payload);

        // The server closing a connection reaches its client.
        int disconnected = 0;
        for (auto &client : clients)
            connect(client.get(), &QTcpSocket::disconnected, this, [&] { ++disconnected; });
        for (auto &peer : accepted)
            peer->close();
        QTRY_COMPARE(disconnected, Clients);
    }

    void largeWriteDrainsThroughTheWriteNotifier()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, server.serverPort());
        QVERIFY(server.waitForNewConnection(5000));
        std::unique_ptr<QTcpSocket> peer(server.nextPendingConnection());
        QVERIFY(client.waitForConnected(5000));
        // Far more than a socket buffer holds, so Qt has to wait for the
        // kernel to take it, chunk by chunk, through the write notifier.
        QByteArray big(16 * 1024 * 1024, '\0');
        for (qsizetype i = 0; i < big.size(); ++i)
            big[i] = char(i * 7);
        qint64 received = 0;
        QByteArray tail;
        connect(peer.get(), &QTcpSocket::readyRead, this, [&] {
            const QByteArray chunk = peer->readAll();
            received += chunk.size();
            tail = chunk.right(16);
        });
        QCOMPARE(client.write(big), qint64(big.size()));
        QTRY_COMPARE_WITH_TIMEOUT(received, qint64(big.size()), 30000);
        QCOMPARE(tail, big.right(16));
        QCOMPARE(client.bytesToWrite(), qint64(0));
    }

    void threadUsingItQuitsWhenAsked()
    {
        QThread thread;
        auto *dispatcher = new EpollEventDispatcher;
        QVERIFY(dispatcher->isValid());
        thread.setEventDispatcher(dispatcher);
        thread.start();
        QMetaObject::invokeMethod(
            dispatcher, [&] { QCOMPARE(QAbstractEventDispatcher::instance(), dispatcher); },
            Qt::BlockingQueuedConnection);
        std::atomic<int> ran = 0;
        QTimer timer;
        timer.setInterval(1);
        timer.moveToThread(&thread);
        connect(
            &timer, &QTimer::timeout, &timer, [&] { ++ran; }, Qt::DirectConnection);
        QMetaObject::invokeMethod(&timer, qOverload<>(&QTimer::start),
                                  Qt::BlockingQueuedConnection);
        QTRY_VERIFY(ran.load() >= 3);
        QMetaObject::invokeMethod(&timer, &QTimer::stop, Qt::BlockingQueuedConnection);
        // quit() from this thread interrupts the other's epoll_wait.
        thread.quit();
        QVERIFY(thread.wait(10000));
    }
};

int main(int argc, char *argv[])
{
    QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    TestEpollEventDispatcher test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_epolleventdispatcher.moc"
