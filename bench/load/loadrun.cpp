#include "loadrun.h"

#include "benchprocesses.h"

#include <QHash>
#include <QRegularExpression>

#include <cmath>

using namespace Qt::StringLiterals;

namespace parlance::bench {

namespace {

// "prefix a=1 b=2.5 ..." -> {a: "1", b: "2.5"} from the line starting with prefix.
QHash<QString, QString> keyValues(const QString &output, const QString &prefix)
{
    QHash<QString, QString> values;
    const QStringList lines = output.split(u'\n');
    for (const QString &line : lines) {
        if (!line.startsWith(prefix + u' '))
            continue;
        const QStringList words = line.split(u' ', Qt::SkipEmptyParts);
        for (const QString &word : words) {
            const qsizetype eq = word.indexOf(u'=');
            if (eq > 0)
                values.insert(word.left(eq), word.mid(eq + 1));
        }
    }
    return values;
}

QString tail(const QString &text)
{
    return text.trimmed().right(400);
}

} // namespace

RunFigures runWrk(const LoadTools &tools, quint16 port, const QString &targetsFile, int connections,
                  int threads, double seconds)
{
    RunFigures figures;
    if (tools.wrk.isEmpty()) {
        figures.error = u"wrk not found on PATH (apt-get install wrk)"_s;
        return figures;
    }
    ChildProcess wrk;
    const QStringList args {
        u"-t%1"_s.arg(std::max(1, std::min(threads, connections))),
        u"-c%1"_s.arg(connections),
        u"-d%1s"_s.arg(std::max(1L, std::lround(seconds))),
        u"--timeout"_s,
        u"10s"_s,
        u"-s"_s,
        tools.luaScript,
        u"http://127.0.0.1:%1"_s.arg(port),
        u"--"_s,
        targetsFile,
    };
    if (!wrk.start(tools.wrk, args, QProcessEnvironment::systemEnvironment())) {
        figures.error = u"wrk did not start"_s;
        return figures;
    }
    const bool finished = wrk.finish(int(seconds * 1000) + 60'000);
    const QString output = wrk.output();
    const auto v = keyValues(output, u"wrkresult"_s);
    if (!finished || v.isEmpty()) {
        figures.error = u"wrk failed: "_s + tail(output + wrk.errorOutput());
        return figures;
    }
    figures.requests = v.value(u"requests"_s).toLongLong();
    figures.answered = figures.requests;
    figures.seconds = v.value(u"duration_us"_s).toDouble() / 1e6;
    figures.requestsPerSecond =
        figures.seconds > 0 ? double(figures.requests) / figures.seconds : 0;
    figures.p50Ms = v.value(u"p50_us"_s).toDouble() / 1000;
    figures.p99Ms = v.value(u"p99_us"_s).toDouble() / 1000;
    for (const auto &key : { u"status_errors"_s, u"connect_errors"_s, u"read_errors"_s,
                             u"write_errors"_s, u"timeouts"_s })
        figures.errors += v.value(key).toLongLong();
    figures.ok = true;
    return figures;
}

RunFigures runLoadgen(const LoadTools &tools, quint16 port, const QString &targetsFile,
                      int connections, double rate, double seconds, int sourceAddresses,
                      double drainSeconds)
{
    RunFigures figures;
    ChildProcess loadgen;
    const QStringList args {
        u"--url"_s,
        u"http://127.0.0.1:%1"_s.arg(port),
        u"--targets"_s,
        targetsFile,
        u"--connections"_s,
        QString::number(connections),
        u"--rate"_s,
        QString::number(rate),
        u"--duration"_s,
        QString::number(seconds),
        u"--source-addresses"_s,
        QString::number(sourceAddresses),
        u"--drain"_s,
        QString::number(drainSeconds),
    };
    if (!loadgen.start(tools.loadgen, args, QProcessEnvironment::systemEnvironment())) {
        figures.error = u"parlance-loadgen did not start ("_s + tools.loadgen + u')';
        return figures;
    }
    const bool finished = loadgen.finish(int((seconds + drainSeconds) * 1000) + 60'000);
    const QString output = loadgen.output();
    const auto v = keyValues(output, u"loadgen"_s);
    if (!finished || v.isEmpty()) {
        figures.error = u"parlance-loadgen failed: "_s + tail(output + loadgen.errorOutput());
        return figures;
    }
    figures.requests = v.value(u"requests"_s).toLongLong();
    figures.answered = v.value(u"ok"_s).toLongLong() + v.value(u"http_errors"_s).toLongLong();
    figures.seconds = v.value(u"seconds"_s).toDouble();
    figures.requestsPerSecond = v.value(u"rps"_s).toDouble();
    figures.p50Ms = v.value(u"p50_ms"_s).toDouble();
    figures.p99Ms = v.value(u"p99_ms"_s).toDouble();
    figures.errors = v.value(u"http_errors"_s).toLongLong() + v.value(u"failed"_s).toLongLong();
    figures.ok = true;
    return figures;
}

} // namespace parlance::bench
