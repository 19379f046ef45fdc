// parlance-loadgen: sends HTTP/1.1 requests from a targets file over N
// keep-alive connections, either at a fixed rate (open loop, latency from the
// scheduled send time) or as fast as answers come back (closed loop), and
// prints one line of figures for scripts:
//   loadgen mode=open rate=2000 connections=64 requests=20000 ok=20000 http_errors=0
//           failed=0 seconds=10.00 rps=2000.0 p50_ms=1.21 p90_ms=2.40 p99_ms=6.10
//           max_ms=14.2 max_backlog=3
// Targets file: one request per line, "METHOD PATH TOKEN [BODY]" (TOKEN "-"
// for none; BODY is the rest of the line, sent as application/json). The
// same file feeds bench/scripts/targets.lua for wrk.
#include "common/epolleventdispatcher.h"
#include "loadgenerator.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QUrl>

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace parlance::loadgen;

namespace {

QList<QByteArray> readTargets(const QString &path, const QByteArray &hostHeader, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"cannot read %1: %2"_s.arg(path, file.errorString());
        return {};
    }
    QList<QByteArray> requests;
    for (QByteArray line : file.readAll().split('\n')) {
        line = line.trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        // METHOD PATH TOKEN [BODY...]
        const QList<QByteArray> head = line.split(' ');
        if (head.size() < 3) {
            *error = u"bad targets line (want METHOD PATH TOKEN [BODY]): "_s
                + QString::fromUtf8(line.left(80));
            return {};
        }
        const qsizetype bodyStart = head[0].size() + head[1].size() + head[2].size() + 3;
        const QByteArray body = bodyStart < line.size() ? line.mid(bodyStart) : QByteArray();
        QByteArray request = head[0] + ' ' + head[1] + " HTTP/1.1\r\nHost: " + hostHeader
            + "\r\nUser-Agent: parlance-loadgen\r\n";
        if (head[2] != "-")
            request += "Authorization: Bearer " + head[2] + "\r\n";
        if (!body.isEmpty() || head[0] == "POST" || head[0] == "PUT" || head[0] == "PATCH") {
            if (!body.isEmpty())
                request += "Content-Type: application/json\r\n";
            request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
        }
        request += "\r\n" + body;
        requests.append(request);
    }
    if (requests.isEmpty())
        *error = u"no requests in %1"_s.arg(path);
    return requests;
}

double percentileMs(const std::vector<qint64> &sorted, double p)
{
    if (sorted.empty())
        return 0;
    const auto rank = size_t(std::ceil(p / 100.0 * double(sorted.size())));
    return double(sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1]) / 1e6;
}

} // namespace

int main(int argc, char *argv[])
{
    // 64+ connections on one thread: epoll, not a poll() of all of them.
    if (QAbstractEventDispatcher *dispatcher = parlance::EpollEventDispatcher::create())
        QCoreApplication::setEventDispatcher(dispatcher);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"parlance-loadgen"_s);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Open-loop (fixed rate) or closed-loop HTTP/1.1 load generator."_s);
    parser.addHelpOption();
    const QCommandLineOption urlOption(u"url"_s, u"Server base URL (http://host:port)."_s,
                                       u"URL"_s);
    const QCommandLineOption targetsOption(
        u"targets"_s, u"File of requests: METHOD PATH TOKEN [BODY] per line."_s, u"FILE"_s);
    const QCommandLineOption connectionsOption(u"connections"_s, u"Keep-alive connections."_s,
                                               u"N"_s, u"64"_s);
    const QCommandLineOption rateOption(
        u"rate"_s, u"Requests per second (0: closed loop, as fast as possible)."_s, u"R"_s, u"0"_s);
    const QCommandLineOption durationOption(u"duration"_s, u"Seconds of load."_s, u"S"_s, u"10"_s);
    const QCommandLineOption drainOption(
        u"drain"_s, u"Seconds to wait for late answers after the schedule ends."_s, u"S"_s, u"5"_s);
    const QCommandLineOption sourcesOption(
        u"source-addresses"_s,
        u"Spread the connections over N loopback source addresses 127.0.0.2... (per-address "
        u"limits see N clients)."_s,
        u"N"_s, u"0"_s);
    parser.addOptions({ urlOption, targetsOption, connectionsOption, rateOption, durationOption,
                        drainOption, sourcesOption });
    parser.process(app);

    const QUrl url(parser.value(urlOption));
    if (!url.isValid() || url.scheme() != u"http" || url.port() <= 0
        || !parser.isSet(targetsOption)) {
        std::fprintf(stderr, "parlance-loadgen: need --url http://HOST:PORT and --targets FILE\n");
        return 2;
    }
    LoadOptions options;
    options.host = url.host();
    options.port = quint16(url.port());
    options.connections = parser.value(connectionsOption).toInt();
    options.rate = parser.value(rateOption).toDouble();
    options.durationSeconds = parser.value(durationOption).toDouble();
    options.drainSeconds = parser.value(drainOption).toDouble();
    options.sourceAddresses = std::clamp(parser.value(sourcesOption).toInt(), 0, 250);
    QString error;
    options.requests =
        readTargets(parser.value(targetsOption),
                    (options.host + u':' + QString::number(options.port)).toUtf8(), &error);
    if (options.requests.isEmpty()) {
        std::fprintf(stderr, "parlance-loadgen: %s\n", qUtf8Printable(error));
        return 2;
    }
    if (options.connections < 1 || options.durationSeconds <= 0 || options.rate < 0) {
        std::fprintf(stderr, "parlance-loadgen: bad --connections, --duration or --rate\n");
        return 2;
    }

    LoadGenerator generator(options);
    QObject::connect(&generator, &LoadGenerator::finished, &app, &QCoreApplication::quit);
    generator.start();
    app.exec();
    if (!generator.errorText().isEmpty()) {
        std::fprintf(stderr, "parlance-loadgen: %s\n", qUtf8Printable(generator.errorText()));
        return 1;
    }

    LoadResult result = generator.result();
    std::sort(result.latenciesNs.begin(), result.latenciesNs.end());
    const qint64 answered = result.ok + result.httpErrors;
    std::printf("loadgen mode=%s rate=%g connections=%d requests=%lld ok=%lld http_errors=%lld "
                "failed=%lld seconds=%.2f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f "
                "max_ms=%.3f max_backlog=%d\n",
                options.rate > 0 ? "open" : "closed", options.rate, options.connections,
                static_cast<long long>(result.scheduled), static_cast<long long>(result.ok),
                static_cast<long long>(result.httpErrors), static_cast<long long>(result.failed),
                result.seconds, double(answered) / result.seconds,
                percentileMs(result.latenciesNs, 50), percentileMs(result.latenciesNs, 90),
                percentileMs(result.latenciesNs, 99), percentileMs(result.latenciesNs, 100),
                result.maxBacklog);
    std::fflush(stdout);
    return 0;
}
