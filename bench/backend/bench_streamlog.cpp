// Streaming log costs: append, fan-out to N subscribers (each woken, each
// reading its batch), and memory per idle subscription. Prints medians over
// repeated runs. Only the release preset's figures mean anything.
#include "streaming/streamlog.h"
#include "streaming/streamsubscription.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>

#include <algorithm>
#include <malloc.h>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace parlance;

namespace {

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

std::shared_ptr<StreamLog> newLog()
{
    return std::make_shared<StreamLog>(StreamLog::Identity { u"m"_s, u"c"_s, u"u"_s });
}

// Appends per second with no subscriber.
double appendRate(int events)
{
    auto log = newLog();
    const QString delta = u"token "_s;
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < events; ++i)
        log->appendDelta(delta);
    return events / (double(timer.nsecsElapsed()) / 1e9);
}

// Each append wakes every subscriber; each then reads what is new, as the
// connection threads would (here on one thread: the cost, not the latency).
// Returns delivered events per second (appends x subscribers).
double fanOutRate(int subscribers, int events)
{
    auto log = newLog();
    std::vector<int> woken(size_t(subscribers), 0);
    std::vector<std::unique_ptr<StreamSubscription>> subs;
    for (int s = 0; s < subscribers; ++s) {
        subs.push_back(
            std::make_unique<StreamSubscription>(log, 0, [&woken, s] { ++woken[size_t(s)]; }));
        (void)subs.back()->read(); // Waiting: armed
    }
    const QString delta = u"token "_s;
    qint64 delivered = 0;
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < events; ++i) {
        log->appendDelta(delta);
        for (int s = 0; s < subscribers; ++s) {
            if (woken[size_t(s)] == 0)
                continue;
            woken[size_t(s)] = 0;
            for (;;) {
                auto result = subs[size_t(s)]->read();
                if (result.outcome != StreamSubscription::Outcome::Events)
                    break;
                delivered += result.events.size();
            }
        }
    }
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    return delivered / seconds;
}

qint64 heapInUse()
{
    const struct mallinfo2 info = mallinfo2();
    return qint64(info.uordblks);
}

// Heap bytes per idle subscription (waiter + cursor), measured over many.
double bytesPerIdleSubscription(int count)
{
    auto log = newLog();
    log->appendDelta(u"hello"_s);
    std::vector<std::unique_ptr<StreamSubscription>> subs;
    subs.reserve(size_t(count));
    const qint64 before = heapInUse();
    for (int i = 0; i < count; ++i) {
        subs.push_back(std::make_unique<StreamSubscription>(log, 1, [] {}));
        (void)subs.back()->read();
    }
    const qint64 after = heapInUse();
    return double(after - before) / count;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    constexpr int Runs = 5;

    std::vector<double> appends;
    for (int r = 0; r < Runs; ++r)
        appends.push_back(appendRate(200'000));
    out << "StreamLog benchmark (median of " << Runs << " runs)\n";
    out << "append, no subscriber:            " << qRound64(median(appends)) << " events/s\n";

    double single = 0;
    for (const int subscribers : { 1, 100, 1000 }) {
        const int events = subscribers == 1 ? 200'000 : (subscribers == 100 ? 20'000 : 2'000);
        std::vector<double> rates;
        for (int r = 0; r < Runs; ++r)
            rates.push_back(fanOutRate(subscribers, events));
        const double rate = median(rates);
        if (subscribers == 1)
            single = rate;
        out << "fan-out to " << QString::number(subscribers).rightJustified(4)
            << " subscribers:    " << qRound64(rate) << " deliveries/s ("
            << qRound64(rate / subscribers) << " appends/s; "
            << QString::number(rate / single, 'f', 2) << "x of 1)\n";
    }

    std::vector<double> bytes;
    for (int r = 0; r < Runs; ++r)
        bytes.push_back(bytesPerIdleSubscription(10'000));
    out << "heap per idle subscription:       " << qRound64(median(bytes)) << " bytes\n";
    return 0;
}
