// bench_streaming: what parlanced adds to a streamed answer, and how many
// streams one node holds (DESIGN.md §6). The provider simulator and parlanced
// (release builds, next to this bench in the build tree) run as real
// processes on this machine, together with this client: one event loop of raw
// QTcpSockets. docs/benchmarks-streaming.md explains the method.
//   bench_streaming [--repeats N] [--seconds S] [--only overhead|idle|active]
//   PARLANCE_BENCH_QUICK=1: short runs for development.
//   PARLANCE_BENCH_BUILD_DIR=DIR: take parlanced and the simulator from DIR.
#include "common/epolleventdispatcher.h"
#include "scenarios.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QThread>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace parlance::bench;

namespace {

void say(const QString &text)
{
    std::printf("    %s\n", qUtf8Printable(text));
    std::fflush(stdout);
}

double median(QList<double> values)
{
    return quantile(std::move(values), 0.5);
}

// "min / median / max" of one figure over the runs (just the figure for one run).
QString spread(QList<double> values, const char *format = "%.2f")
{
    std::sort(values.begin(), values.end());
    const auto one = [format](double v) { return QString::asprintf(format, v); };
    if (values.isEmpty())
        return u"-"_s;
    if (values.size() == 1)
        return one(values.first());
    return one(values.first()) + u" / "_s + one(median(values)) + u" / "_s + one(values.last());
}

int runOverheadTable(StreamStack &stack, ConversationPool &pool, const BenchOptions &options)
{
    struct Level
    {
        QList<double> simP50, simP99, gwP50, gwP99, overP50, overP99, cpuMs;
        int samples = 0, errors = 0;
        QString error;
    };
    QList<Level> levels(options.overheadLevels.size());
    for (int run = 0; run < options.repeats && !interrupted(); ++run) {
        for (qsizetype l = 0; l < options.overheadLevels.size() && !interrupted(); ++l) {
            const int streams = options.overheadLevels[l];
            const auto sim =
                runOverhead(stack, pool, StreamFlow::Target::Simulator, streams, options);
            const auto gw = runOverhead(stack, pool, StreamFlow::Target::Gateway, streams, options);
            Level &level = levels[l];
            const double s50 = quantile(sim.ttftMs, 0.5), s99 = quantile(sim.ttftMs, 0.99);
            const double g50 = quantile(gw.ttftMs, 0.5), g99 = quantile(gw.ttftMs, 0.99);
            level.simP50.append(s50);
            level.simP99.append(s99);
            level.gwP50.append(g50);
            level.gwP99.append(g99);
            level.overP50.append(g50 - s50);
            level.overP99.append(g99 - s99);
            if (!gw.ttftMs.isEmpty())
                level.cpuMs.append(1000 * gw.serverCpuSeconds / double(gw.ttftMs.size()));
            level.samples += int(gw.ttftMs.size());
            level.errors += sim.errors + gw.errors;
            if (level.error.isEmpty())
                level.error = !gw.firstError.isEmpty() ? gw.firstError : sim.firstError;
            say(u"run %1, %2 streams: simulator p50 %3 p99 %4 ms (%5 samples); parlanced p50 %6 "
                u"p99 %7 ms (%8 samples); errors %9"_s.arg(run + 1)
                    .arg(streams)
                    .arg(s50, 0, 'f', 2)
                    .arg(s99, 0, 'f', 2)
                    .arg(sim.ttftMs.size())
                    .arg(g50, 0, 'f', 2)
                    .arg(g99, 0, 'f', 2)
                    .arg(gw.ttftMs.size())
                    .arg(sim.errors + gw.errors));
            if (!gw.firstError.isEmpty() || !sim.firstError.isEmpty())
                say(u"  first error: "_s
                    + (gw.firstError.isEmpty() ? sim.firstError : gw.firstError));
        }
    }
    std::printf("\nGateway overhead on time to first token (simulator ttft %d ms), ms, "
                "min / median / max over %d runs\n\n",
                options.ttftMs, options.repeats);
    std::printf("| concurrent streams | simulator p50 | simulator p99 | via parlanced p50 | via "
                "parlanced p99 | overhead p50 | overhead p99 | parlanced CPU ms/stream | "
                "samples (errors) |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (qsizetype l = 0; l < levels.size(); ++l) {
        const Level &level = levels[l];
        std::printf("| %d | %s | %s | %s | %s | %s | %s | %s | %d (%d) |\n",
                    options.overheadLevels[l], qUtf8Printable(spread(level.simP50)),
                    qUtf8Printable(spread(level.simP99)), qUtf8Printable(spread(level.gwP50)),
                    qUtf8Printable(spread(level.gwP99)), qUtf8Printable(spread(level.overP50)),
                    qUtf8Printable(spread(level.overP99)), qUtf8Printable(spread(level.cpuMs)),
                    level.samples, level.errors);
    }
    std::printf("target (DESIGN.md §6): overhead p50 < 2 ms, p99 < 10 ms at 1,000 streams. "
                "Overhead = quantile via parlanced - the same quantile straight from the "
                "simulator.\n\n");
    std::fflush(stdout);
    return 0;
}

void runActiveTable(StreamStack &stack, ConversationPool &pool, const BenchOptions &options)
{
    std::printf("\nActive streams at 20 tokens/s: delivery lag (arrival - the stream's own "
                "50 ms schedule), ms\n\n");
    QStringList lines;
    for (const int streams : options.activeLevels) {
        if (interrupted())
            break;
        for (const auto target : { StreamFlow::Target::Simulator, StreamFlow::Target::Gateway }) {
            const auto f = runActive(stack, pool, target, streams, options);
            const bool gw = target == StreamFlow::Target::Gateway;
            const QString line =
                u"| %1 | %2 | %3 | %4 | %5 | %6 | %7 / %8 | %9 | %10 | %11 | %12 |"_s.arg(streams)
                    .arg(gw ? u"parlanced"_s : u"simulator alone"_s)
                    .arg(quantile(f.lagMs, 0.5), 0, 'f', 1)
                    .arg(quantile(f.lagMs, 0.99), 0, 'f', 1)
                    .arg(quantile(f.lagMs, 1.0), 0, 'f', 1)
                    .arg(f.lagMs.size())
                    .arg(f.tokensPerSecond, 0, 'f', 0)
                    .arg(f.expectedTokensPerSecond, 0, 'f', 0)
                    .arg(gw ? QString::asprintf("%.0f %%", f.serverCpuPercent) : u"-"_s)
                    .arg(QString::asprintf("%.0f %%", f.simCpuPercent))
                    .arg(QString::asprintf("%.0f %%", f.clientCpuPercent))
                    .arg(f.errors);
            say(line);
            if (!f.firstError.isEmpty())
                say(u"  first error: "_s + f.firstError);
            lines.append(line);
        }
    }
    std::printf(
        "\n| streams | path | lag p50 | lag p99 | lag max | tokens measured | tokens/s "
        "delivered / scheduled | parlanced CPU | simulator CPU | bench client CPU | errors |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (const QString &line : lines)
        std::printf("%s\n", qUtf8Printable(line));
    std::printf("target (DESIGN.md §6): 2,000 active streams at 20 tokens/s without falling "
                "behind. CPU: percent of one core during the window (2 cores = 200 %%).\n\n");
    std::fflush(stdout);
}

void runIdleTable(const QString &benchDir, const BenchOptions &options, qint64 fileLimit)
{
    StreamStack stack;
    if (!stack.start(benchDir, 110)) {
        say(u"idle streams not measured: "_s + stack.errorText());
        return;
    }
    ConversationPool pool(stack.conversations().cbegin(), stack.conversations().cend());
    // Each reader is a descriptor in parlanced and one in this client; keep
    // 1,000 for everything else. Without root the hard limit caps the top level.
    QList<int> levels;
    for (const int level : options.idleLevels) {
        const int allowed = int(qMin<qint64>(level, fileLimit - 1'000));
        if (allowed < level)
            say(u"%1 idle streams asked, %2 possible: the open files limit is %3"_s.arg(level)
                    .arg(allowed)
                    .arg(fileLimit));
        if (allowed > 0 && (levels.isEmpty() || allowed > levels.last()))
            levels.append(allowed);
    }
    const auto figures = runIdle(stack, pool, levels);
    std::printf("\nIdle SSE streams held by one parlanced (one reader per connection, 100 "
                "generations sending a token every 20 s)\n\n");
    std::printf("| streams asked | open and caught up | parlanced RSS before | RSS after | "
                "bytes per stream | notes |\n| --- | --- | --- | --- | --- | --- |\n");
    for (const IdleFigures &f : figures) {
        const double perStream = f.open > 0 ? double(f.rssAfter - f.rssBefore) / f.open : 0;
        std::printf("| %d | %d | %.1f MiB | %.1f MiB | %.0f (%.1f KiB) | %s |\n", f.streams, f.open,
                    double(f.rssBefore) / 1048576.0, double(f.rssAfter) / 1048576.0, perStream,
                    perStream / 1024, qUtf8Printable(f.error));
    }
    std::printf("target (DESIGN.md §6): 20,000 idle streams under 16 KiB each.\n\n");
    std::fflush(stdout);
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_NO_GLIB", "1"); // The plain Unix dispatcher when epoll is off.
    // The clients of thousands of streams must not be what falls behind.
    if (QAbstractEventDispatcher *dispatcher = parlance::EpollEventDispatcher::create())
        QCoreApplication::setEventDispatcher(dispatcher);
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Streaming benchmarks: gateway TTFT overhead and SSE density."_s);
    parser.addHelpOption();
    const QCommandLineOption repeatsOption(u"repeats"_s, u"Overhead runs (default 3)."_s, u"N"_s);
    const QCommandLineOption secondsOption(
        u"seconds"_s, u"Measuring window per level (default 10; quick 3)."_s, u"S"_s);
    const QCommandLineOption onlyOption(u"only"_s, u"overhead, active or idle."_s, u"WHAT"_s);
    parser.addOptions({ repeatsOption, secondsOption, onlyOption });
    parser.process(app);

    BenchOptions options;
    if (qEnvironmentVariable("PARLANCE_BENCH_QUICK") == u"1") {
        options.measureSeconds = 3;
        options.repeats = 1;
        options.sequentialSamples = 50;
        options.activeLevels = { 250, 1000 };
        options.idleLevels = { 1000, 5000 };
    }
    if (parser.isSet(repeatsOption))
        options.repeats = qMax(1, parser.value(repeatsOption).toInt());
    if (parser.isSet(secondsOption))
        options.measureSeconds = qMax(1.0, parser.value(secondsOption).toDouble());
    const QString only = parser.value(onlyOption);

    installInterruptHandler();
    const qint64 fileLimit = raiseFileLimit(70'000);
    const QString benchDir = QCoreApplication::applicationDirPath();
    std::printf("bench_streaming: %d cores shared by the simulator, parlanced and this client; "
                "open files limit %lld; load average %s\n",
                QThread::idealThreadCount(), fileLimit, qUtf8Printable(loadAverage()));
    std::fflush(stdout);

    if (only.isEmpty() || only == u"overhead" || only == u"active") {
        StreamStack stack;
        if (!stack.start(benchDir, 3'000)) {
            std::fprintf(stderr, "bench_streaming: %s\n", qUtf8Printable(stack.errorText()));
            return 1;
        }
        say(u"simulator on port %1, parlanced on port %2, %3 conversations"_s.arg(stack.simPort())
                .arg(stack.serverPort())
                .arg(stack.conversations().size()));
        ConversationPool pool(stack.conversations().cbegin(), stack.conversations().cend());
        if (only.isEmpty() || only == u"overhead")
            runOverheadTable(stack, pool, options);
        if ((only.isEmpty() || only == u"active") && !interrupted())
            runActiveTable(stack, pool, options);
    }
    if ((only.isEmpty() || only == u"idle") && !interrupted())
        runIdleTable(benchDir, options, fileLimit);
    std::printf("load average at the end: %s\n", qUtf8Printable(loadAverage()));
    return interrupted() ? 130 : 0;
}
