// bench_http_load: the HTTP API under load from a second process, against a
// real parlanced (release build) on SQLite and on a throwaway PostgreSQL
// (fsync on). Prints one table: requests/s, p50, p99 and errors per
// (database, endpoint), each run repeated (min / median / max), plus the
// fixed-rate check of DESIGN.md §6 ("p99 under 20 ms at 2,000 requests/s")
// and messages stored per second. docs/benchmarks.md explains every row.
//   bench_http_load [--duration S] [--repeats N] [--database sqlite|postgresql|both] ...
//   PARLANCE_BENCH_QUICK=1: short runs for development.
#include "benchprocesses.h"
#include "benchrun.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QStandardPaths>
#include <QThread>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace parlance::bench;

namespace {

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    const qsizetype n = values.size();
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

QString spread(const QList<RunFigures> &runs, double RunFigures::*member, const char *format)
{
    QList<double> values;
    for (const RunFigures &run : runs)
        values.append(run.*member);
    std::sort(values.begin(), values.end());
    const auto one = [format](double v) { return QString::asprintf(format, v); };
    if (values.size() == 1)
        return one(values.first());
    return one(values.first()) + u" / "_s + one(median(values)) + u" / "_s + one(values.last());
}

void printTable(const QList<Row> &rows, int repeats)
{
    std::printf("\n| database | endpoint | load | req/s | p50 ms | p99 ms | errors | server CPU "
                "ms/req |\n");
    std::printf("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (const Row &row : rows) {
        QList<RunFigures> good;
        QString failures;
        for (const RunFigures &run : row.runs) {
            if (run.ok)
                good.append(run);
            else if (failures.isEmpty())
                failures = run.error;
        }
        if (good.isEmpty()) {
            QString note = row.note.isEmpty() ? failures : row.note;
            if (note.isEmpty())
                note = u"not run (interrupted)"_s;
            std::printf("| %s | %s | %s | %s | | | | |\n", qUtf8Printable(row.database),
                        qUtf8Printable(row.endpoint), qUtf8Printable(row.load),
                        qUtf8Printable(note));
            continue;
        }
        qint64 errors = 0;
        qint64 requests = 0;
        for (const RunFigures &run : good) {
            errors += run.errors;
            requests += run.requests;
        }
        QList<double> cpu;
        for (const RunFigures &run : good)
            cpu.append(run.serverCpuMs);
        const double cpuMs = median(cpu);
        // 0: not measured (rows without a server).
        const QString cpuText = cpuMs > 0 ? QString::asprintf("%.2f", cpuMs) : u"n/a"_s;
        std::printf(
            "| %s | %s | %s | %s | %s | %s | %lld of %lld%s | %s |\n", qUtf8Printable(row.database),
            qUtf8Printable(row.endpoint), qUtf8Printable(row.load),
            qUtf8Printable(spread(good, &RunFigures::requestsPerSecond, "%.0f")),
            qUtf8Printable(spread(good, &RunFigures::p50Ms, "%.2f")),
            qUtf8Printable(spread(good, &RunFigures::p99Ms, "%.2f")),
            static_cast<long long>(errors), static_cast<long long>(requests),
            good.size() < row.runs.size() ? " (a run failed)" : "", qUtf8Printable(cpuText));
    }
    std::printf("\nreq/s, p50, p99: min / median / max over %d runs. errors: HTTP 4xx/5xx, socket "
                "errors and timeouts, summed over the runs. server CPU: parlanced's user+system "
                "CPU time per request (median), steadier than req/s on a shared machine; for the "
                "ConversationService rows, this process's own CPU per stored row.\n",
                repeats);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"HTTP load benchmark: parlanced on SQLite and PostgreSQL, wrk and parlance-loadgen."_s);
    parser.addHelpOption();
    const QCommandLineOption durationOption(
        u"duration"_s, u"Seconds of the messages-stored run (default 60; quick 5)."_s, u"S"_s);
    const QCommandLineOption endpointOption(
        u"endpoint-duration"_s,
        u"Seconds of each endpoint and fixed-rate run (default 10; quick 3)."_s, u"S"_s);
    const QCommandLineOption repeatsOption(u"repeats"_s, u"Runs per row (default 3)."_s, u"N"_s);
    const QCommandLineOption databaseOption(u"database"_s, u"sqlite, postgresql or both."_s,
                                            u"KIND"_s, u"both"_s);
    const QCommandLineOption workersOption(
        u"workers"_s, u"parlanced --workers (default: the server's default)."_s, u"N"_s);
    const QCommandLineOption rateOption(
        u"rate"_s, u"Requests per second of the fixed-rate rows (default 2000)."_s, u"R"_s);
    const QCommandLineOption storeOnlyOption(u"store-only"_s, u"Only the messages-stored rows."_s);
    parser.addOptions({ durationOption, endpointOption, repeatsOption, databaseOption,
                        workersOption, rateOption, storeOnlyOption });
    parser.process(app);

    BenchOptions options;
    if (qEnvironmentVariable("PARLANCE_BENCH_QUICK") == u"1") {
        options.endpointSeconds = 3;
        options.rateSeconds = 3;
        options.storeSeconds = 5;
    }
    if (parser.isSet(durationOption))
        options.storeSeconds = parser.value(durationOption).toDouble();
    if (parser.isSet(endpointOption))
        options.endpointSeconds = options.rateSeconds = parser.value(endpointOption).toDouble();
    if (parser.isSet(repeatsOption))
        options.repeats = parser.value(repeatsOption).toInt();
    options.storeOnly = parser.isSet(storeOnlyOption);
    if (parser.isSet(rateOption))
        options.rate = parser.value(rateOption).toDouble();
    if (parser.isSet(workersOption))
        options.serverWorkers = parser.value(workersOption).toInt();
    const QString database = parser.value(databaseOption);
    if (database == u"sqlite" || database == u"postgresql")
        options.databases = { database };
    else if (database != u"both") {
        std::fprintf(stderr, "bench_http_load: --database must be sqlite, postgresql or both\n");
        return 2;
    }
    if (options.storeSeconds < 1 || options.endpointSeconds < 1 || options.repeats < 1
        || options.rate <= 0) {
        std::fprintf(stderr, "bench_http_load: durations must be >= 1 s, repeats >= 1, rate > 0\n");
        return 2;
    }
    options.serverThreads = QThread::idealThreadCount();

    const QString benchDir = QCoreApplication::applicationDirPath();
    LoadTools tools;
    tools.wrk = QStandardPaths::findExecutable(u"wrk"_s);
    tools.luaScript = benchDir + u"/targets.lua"_s;
    tools.loadgen = QDir::cleanPath(benchDir + u"/../../tools/parlance-loadgen"_s);

    installInterruptHandler();
    std::printf("bench_http_load: %d cores shared by the server and the load generators; "
                "%d connections; endpoint runs %.0f s, fixed-rate %.0f s at %.0f req/s, "
                "messages-stored %.0f s; %d runs each\n",
                QThread::idealThreadCount(), options.connections, options.endpointSeconds,
                options.rateSeconds, options.rate, options.storeSeconds, options.repeats);
    std::printf("load average at the start (other work on the machine): %s\n",
                qUtf8Printable(loadAverage()));
    QList<Row> rows;
    int status = 0;
    for (const QString &kind : options.databases) {
        if (interrupted())
            break;
        status |= runDatabase(kind, options, tools, benchDir, rows);
    }
    printTable(rows, options.repeats);
    std::printf("load average at the end: %s\n", qUtf8Printable(loadAverage()));
    if (interrupted()) {
        std::printf("interrupted: the figures above are incomplete\n");
        return 130;
    }
    return status;
}
