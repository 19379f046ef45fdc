#include "scenarios.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QSet>
#include <QTimer>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

namespace parlance::bench {

namespace {

constexpr qint64 Second = 1'000'000'000;
constexpr qint64 TokenGapNs = Second / 20; // 20 tokens/s

// Runs the event loop until `done` or `timeoutNs` passed; false on timeout.
bool waitUntil(const std::function<bool()> &done, qint64 timeoutNs)
{
    const qint64 deadline = nowNs() + timeoutNs;
    QEventLoop loop;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done() || nowNs() >= deadline || interrupted())
            loop.quit();
    });
    poll.start(20);
    if (!done())
        loop.exec();
    return done();
}

quint16 portFor(StreamStack &stack, StreamFlow::Target target)
{
    return target == StreamFlow::Target::Simulator ? stack.simPort() : stack.serverPort();
}

// Several loopback source addresses: one address has ~28k ephemeral ports,
// and closed connections linger in TIME_WAIT between runs.
QHostAddress sourceAddress(int i)
{
    return QHostAddress(quint32((127u << 24) | quint32(2 + i % 32)));
}

} // namespace

double quantile(QList<double> values, double q)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const double rank = q * double(values.size() - 1);
    const auto lo = qsizetype(rank);
    const auto hi = qMin(lo + 1, values.size() - 1);
    return values[lo] + (values[hi] - values[lo]) * (rank - double(lo));
}

OverheadFigures runOverhead(StreamStack &stack, ConversationPool &pool, StreamFlow::Target target,
                            int streams, const BenchOptions &options)
{
    OverheadFigures out;
    const bool sequential = streams == 1;
    const bool gateway = target != StreamFlow::Target::Simulator;
    const int tokens = sequential ? 2 : qMax(1, 20 * streams / 100);
    const QByteArray pacing =
        sequential ? QByteArray("tokens=2") : "tokens=" + QByteArray::number(tokens) + " tps=20";
    const QByteArray directive =
        "[[sim: mode=lorem " + pacing + " ttft=" + QByteArray::number(options.ttftMs) + "]]";
    const qint64 durationNs = sequential ? 0 : tokens * TokenGapNs;
    const qint64 t0 = nowNs();
    const qint64 measureFrom = t0 + qMax(durationNs, Second);
    const qint64 measureUntil =
        measureFrom + qint64((sequential ? 60 : options.measureSeconds) * double(Second));
    int inflight = 0;
    QSet<StreamFlow *> flows;

    const auto enough = [&] {
        const qint64 now = nowNs();
        return now >= measureUntil || interrupted()
            || (sequential && out.ttftMs.size() >= options.sequentialSamples);
    };
    std::function<void()> launch = [&] {
        if (enough())
            return;
        StreamFlow::Spec spec;
        spec.target = target;
        spec.port = portFor(stack, target);
        spec.directive = directive;
        SeededConversation conversation;
        if (gateway) {
            if (pool.empty()) {
                ++out.errors;
                out.firstError = u"no free conversation"_s;
                return;
            }
            conversation = pool.front();
            pool.pop_front();
            spec.token = conversation.token;
            spec.conversation = conversation.id;
        }
        auto *flow = new StreamFlow(spec);
        flows.insert(flow);
        ++inflight;
        flow->onFinished = [&, conversation, gateway](StreamFlow *f) {
            --inflight;
            flows.remove(f);
            if (gateway)
                pool.push_back(conversation);
            if (f->ok() && f->firstTokenNs() > 0) {
                if (f->sentNs() >= measureFrom && f->sentNs() < measureUntil)
                    out.ttftMs.append(double(f->firstTokenNs() - f->sentNs()) / 1e6);
            } else {
                if (out.errors++ == 0)
                    out.firstError = f->error();
            }
            f->deleteLater();
            QTimer::singleShot(0, launch);
        };
        flow->start();
    };
    const double cpu0 = gateway ? processCpuSeconds(stack.serverPid()) : 0;
    for (int i = 0; i < streams; ++i)
        QTimer::singleShot(int(double(i) * double(durationNs) / 1e6 / streams), launch);
    waitUntil([&] { return enough() && inflight == 0; },
              measureUntil - t0 + durationNs + 60 * Second);
    for (StreamFlow *flow : QSet<StreamFlow *>(flows))
        flow->abort();
    if (gateway)
        out.serverCpuSeconds = processCpuSeconds(stack.serverPid()) - cpu0;
    return out;
}

QList<IdleFigures> runIdle(StreamStack &stack, ConversationPool &pool, const QList<int> &levels)
{
    QList<IdleFigures> out;
    // The generations: one token every 20 s (the provider's idle timeout is 30 s).
    const int generations = int(qMin<size_t>(100, pool.size()));
    struct Running
    {
        QByteArray token;
        QString messageId;
    };
    QList<Running> running;
    int pending = generations;
    QString error;
    for (int g = 0; g < generations; ++g) {
        const SeededConversation conversation = pool.front();
        pool.pop_front();
        StreamFlow::Spec spec;
        spec.target = StreamFlow::Target::PostOnly;
        spec.port = stack.serverPort();
        spec.token = conversation.token;
        spec.conversation = conversation.id;
        spec.directive = "[[sim: mode=lorem tokens=1000 tps=0.05 ttft=0]]";
        auto *flow = new StreamFlow(spec);
        flow->onFinished = [&, conversation](StreamFlow *f) {
            --pending;
            if (f->ok())
                running.append({ conversation.token, f->messageId() });
            else
                error = f->error();
            f->deleteLater();
        };
        flow->start();
    }
    waitUntil([&] { return pending == 0; }, 60 * Second);
    if (running.isEmpty()) {
        out.append(IdleFigures { levels.value(0), 0, 0, 0, u"no generation started: "_s + error });
        return out;
    }
    waitUntil([] { return false; }, 2 * Second); // Let the first tokens arrive.
    const qint64 rssBefore = residentBytes(stack.serverPid());

    std::vector<std::unique_ptr<StreamFlow>> readers;
    std::vector<char> caughtUp;
    int connecting = 0;
    int ready = 0;
    int failed = 0;
    QString readerError;
    int target = 0;
    std::function<void()> openMore = [&] {
        // Never more than 200 handshakes at once: parlanced's listen backlog is small.
        while (int(readers.size()) < target && connecting < 200 && !interrupted()) {
            const int i = int(readers.size());
            const Running &generation = running[i % running.size()];
            StreamFlow::Spec spec;
            spec.target = StreamFlow::Target::Subscribe;
            spec.port = stack.serverPort();
            spec.source = sourceAddress(i);
            spec.token = generation.token;
            spec.messageId = generation.messageId;
            auto flow = std::make_unique<StreamFlow>(spec);
            caughtUp.push_back(0);
            ++connecting;
            flow->onToken = [&, i](StreamFlow *, qint64, qint64) {
                if (caughtUp[size_t(i)])
                    return;
                caughtUp[size_t(i)] = 1;
                --connecting;
                ++ready;
                QTimer::singleShot(0, openMore);
            };
            flow->onFinished = [&, i](StreamFlow *f) {
                if (caughtUp[size_t(i)]) {
                    --ready;
                } else {
                    --connecting;
                    QTimer::singleShot(0, openMore);
                }
                caughtUp[size_t(i)] = 2;
                if (failed++ == 0)
                    readerError = f->error();
            };
            readers.push_back(std::move(flow));
            readers.back()->start();
        }
    };
    for (const int level : levels) {
        target = level;
        openMore();
        waitUntil([&] { return int(readers.size()) >= target && connecting == 0; }, 300 * Second);
        waitUntil([] { return false; }, 3 * Second); // Settle.
        IdleFigures figures;
        figures.streams = level;
        figures.open = ready;
        figures.rssBefore = rssBefore;
        figures.rssAfter = residentBytes(stack.serverPid());
        if (failed > 0)
            figures.error = u"%1 readers failed, first: %2"_s.arg(failed).arg(readerError);
        out.append(figures);
        if (interrupted() || ready < level / 2)
            break; // Out of descriptors or ports: larger levels will not do better.
    }
    for (auto &reader : readers) {
        reader->onFinished = nullptr;
        reader->abort();
    }
    return out;
}

ActiveFigures runActive(StreamStack &stack, ConversationPool &pool, StreamFlow::Target target,
                        int streams, const BenchOptions &options)
{
    ActiveFigures out;
    out.streams = streams;
    const bool gateway = target != StreamFlow::Target::Simulator;
    const qint64 ramp = qMax<qint64>(2 * Second, qint64(streams) * Second / 400);
    const qint64 windowFrom = ramp + 2 * Second;
    const qint64 window = qint64(options.measureSeconds * double(Second));
    const qint64 tokens = (windowFrom + window + 2 * Second) / TokenGapNs;
    const QByteArray directive = "[[sim: mode=lorem tokens=" + QByteArray::number(tokens)
        + " tps=20 ttft=" + QByteArray::number(options.ttftMs) + "]]";

    struct Stream
    {
        qint64 minOffset = std::numeric_limits<qint64>::max();
        QList<QPair<qint64, qint64>> inWindow; // token index, arrival
        qint64 lastBefore = -1;
        qint64 lastIn = -1;
    };
    std::vector<Stream> state(static_cast<size_t>(streams));
    std::vector<std::unique_ptr<StreamFlow>> flows;
    int finished = 0;
    const qint64 t0 = nowNs();
    double serverCpu0 = 0, simCpu0 = 0, serverCpu1 = 0, simCpu1 = 0;
    // This process reads every stream: on two cores it competes with both.
    const qint64 selfPid = QCoreApplication::applicationPid();
    double clientCpu0 = 0, clientCpu1 = 0;
    QTimer::singleShot(int(windowFrom / 1'000'000), [&] {
        serverCpu0 = processCpuSeconds(stack.serverPid());
        simCpu0 = processCpuSeconds(stack.simPid());
        clientCpu0 = processCpuSeconds(selfPid);
    });
    QTimer::singleShot(int((windowFrom + window) / 1'000'000), [&] {
        serverCpu1 = processCpuSeconds(stack.serverPid());
        simCpu1 = processCpuSeconds(stack.simPid());
        clientCpu1 = processCpuSeconds(selfPid);
    });
    for (int i = 0; i < streams; ++i) {
        StreamFlow::Spec spec;
        spec.target = target;
        spec.port = portFor(stack, target);
        spec.source = sourceAddress(i);
        spec.directive = directive;
        SeededConversation conversation;
        if (gateway) {
            if (pool.empty()) {
                ++out.errors;
                out.firstError = u"no free conversation"_s;
                break;
            }
            conversation = pool.front();
            pool.pop_front();
            spec.token = conversation.token;
            spec.conversation = conversation.id;
        }
        auto flow = std::make_unique<StreamFlow>(spec);
        flow->onToken = [&, i](StreamFlow *, qint64 index, qint64 ns) {
            Stream &s = state[size_t(i)];
            s.minOffset = qMin(s.minOffset, ns - index * TokenGapNs);
            const qint64 at = ns - t0;
            if (at < windowFrom) {
                s.lastBefore = index;
            } else if (at < windowFrom + window) {
                s.inWindow.append({ index, ns });
                s.lastIn = index;
            }
        };
        flow->onFinished = [&, conversation, gateway](StreamFlow *f) {
            ++finished;
            if (gateway)
                pool.push_back(conversation);
            if (!f->ok() && out.errors++ == 0)
                out.firstError = f->error();
        };
        StreamFlow *raw = flow.get();
        flows.push_back(std::move(flow));
        QTimer::singleShot(int(double(i) * double(ramp) / 1e6 / streams), raw,
                           [raw] { raw->start(); });
    }
    waitUntil([&] { return finished >= int(flows.size()); },
              ramp + tokens * TokenGapNs + 60 * Second);
    for (auto &flow : flows) {
        flow->onFinished = nullptr;
        flow->abort();
    }
    qint64 delivered = 0;
    for (const Stream &s : state) {
        for (const auto &[index, ns] : s.inWindow)
            out.lagMs.append(double(ns - index * TokenGapNs - s.minOffset) / 1e6);
        if (s.lastIn >= 0)
            delivered += s.lastIn - s.lastBefore;
    }
    const double seconds = double(window) / double(Second);
    out.tokensPerSecond = double(delivered) / seconds;
    out.expectedTokensPerSecond = 20.0 * streams;
    if (gateway && serverCpu1 > 0)
        out.serverCpuPercent = 100 * (serverCpu1 - serverCpu0) / seconds;
    if (simCpu1 > 0)
        out.simCpuPercent = 100 * (simCpu1 - simCpu0) / seconds;
    if (clientCpu1 > 0)
        out.clientCpuPercent = 100 * (clientCpu1 - clientCpu0) / seconds;
    return out;
}

} // namespace parlance::bench
