#pragma once

#include "streamflow.h"
#include "streamstack.h"

#include <QList>

#include <deque>

namespace parlance::bench {

struct BenchOptions
{
    double measureSeconds = 10; // Per overhead level and active level.
    int repeats = 3;
    int sequentialSamples = 300; // The 1-stream level.
    QList<int> overheadLevels { 1, 100, 1000 };
    QList<int> idleLevels { 1000, 5000, 20000 };
    QList<int> activeLevels { 250, 500, 1000, 2000 };
    int ttftMs = 20;
};

[[nodiscard]] double quantile(QList<double> values, double q);

// Conversations handed out first in, first out: one generation at a time each.
using ConversationPool = std::deque<SeededConversation>;

struct OverheadFigures
{
    QList<double> ttftMs;
    int errors = 0;
    QString firstError;
    double serverCpuSeconds = 0;
};

// `streams` concurrent streams, each restarted when it ends; started spread over
// one stream's duration, measured after that for `measureSeconds`. Streams last
// streams/100 s (20 tokens/s) so that ~100 new streams start per second at every
// level; the 1-stream level runs short unpaced streams one after another.
[[nodiscard]] OverheadFigures runOverhead(StreamStack &stack, ConversationPool &pool,
                                          StreamFlow::Target target, int streams,
                                          const BenchOptions &options);

struct IdleFigures
{
    int streams = 0; // Asked for.
    int open = 0; // Open and caught up when RSS was read.
    qint64 rssBefore = 0; // parlanced, with the generations running and no reader.
    qint64 rssAfter = 0;
    QString error;
};

// Generations that send one token per 20 s (so nothing times out), and K
// readers spread over them, opened from several loopback source addresses.
[[nodiscard]] QList<IdleFigures> runIdle(StreamStack &stack, ConversationPool &pool,
                                         const QList<int> &levels);

struct ActiveFigures
{
    int streams = 0;
    QList<double> lagMs; // Every token event in the window.
    double tokensPerSecond = 0; // Delivered in the window (all streams).
    double expectedTokensPerSecond = 0;
    double serverCpuPercent = -1;
    double simCpuPercent = -1;
    double clientCpuPercent = -1; // this bench process
    int errors = 0;
    QString firstError;
};

// `streams` streams at 20 tokens/s started over a ramp; the lag of each token
// is its arrival minus its place on the stream's own 50 ms schedule (anchored
// at the stream's most punctual token).
[[nodiscard]] ActiveFigures runActive(StreamStack &stack, ConversationPool &pool,
                                      StreamFlow::Target target, int streams,
                                      const BenchOptions &options);

} // namespace parlance::bench
