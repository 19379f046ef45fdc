#pragma once

#include <QString>

namespace parlance::bench {

// One measured run of one endpoint.
struct RunFigures
{
    bool ok = false;
    QString error; // Why the run produced no figures.
    double requestsPerSecond = 0;
    double p50Ms = 0;
    double p99Ms = 0;
    qint64 requests = 0; // Sent (wrk) or scheduled (parlance-loadgen).
    qint64 answered = 0; // With any HTTP status.
    qint64 errors = 0; // HTTP 4xx/5xx, socket errors, timeouts, never answered.
    double seconds = 0;
    // parlanced's user + system CPU per request (per stored row for the
    // store row), in ms; 0 when unknown.
    double serverCpuMs = 0;
    QString note; // Printed with the run (e.g. the group-commit size).
};

struct LoadTools
{
    QString wrk; // From PATH.
    QString luaScript; // bench/scripts/targets.lua, copied next to the bench.
    QString loadgen; // <build>/tools/parlance-loadgen.
};

// Closed loop: wrk with `connections` connections on `threads` threads, as
// fast as the server answers. Exact p50/p99 from targets.lua's done().
[[nodiscard]] RunFigures runWrk(const LoadTools &tools, quint16 port, const QString &targetsFile,
                                int connections, int threads, double seconds);

// Open loop: parlance-loadgen at a fixed rate; latency from each request's
// scheduled time. rate 0: closed loop. sourceAddresses > 0 spreads the
// connections over that many loopback source addresses. Requests unanswered
// `drainSeconds` after the end count as errors.
[[nodiscard]] RunFigures runLoadgen(const LoadTools &tools, quint16 port,
                                    const QString &targetsFile, int connections, double rate,
                                    double seconds, int sourceAddresses = 0,
                                    double drainSeconds = 5);

} // namespace parlance::bench
