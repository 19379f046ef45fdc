// Figures for the SSE parser and writer, the hot path of every token: parser
// throughput (MB/s of wire bytes, events/s) on realistic provider streams fed
// in network-sized chunks, and writer throughput. Prints medians of several
// runs with min and max; asserts nothing.

#include "sse/sseparser.h"
#include "sse/ssewriter.h"

#include <QList>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <functional>
#include <vector>

using namespace Qt::StringLiterals;
using namespace parlance;

namespace {

volatile qint64 sink = 0;
const char *filter = nullptr; // argv[1]: run only the sections whose label contains it

bool selected(const char *label)
{
    return !filter || std::strstr(label, filter);
}

// CPU time of this thread, not wall time: the machines running benches are
// shared, and a preempted run would otherwise count other processes' work.
double threadSeconds()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

const char *const Tokens[] = { "Hello", ",",      " world", "!",      " The",   " quick", " brown",
                               " fox",  " jumps", " over",  " the",   " lazy",  " dog",   ".",
                               " Ça",   " va",    " 😀",     "\\n\\n", " `code`" };
constexpr int TokenCount = int(sizeof(Tokens) / sizeof(Tokens[0]));

// OpenAI chat.completion.chunk events with ids, as our backend relays them.
QByteArray openAiStream(qsizetype minBytes, int *events)
{
    QByteArray out;
    int n = 0;
    while (out.size() < minBytes) {
        out += "id: " + QByteArray::number(n)
            + "\ndata: {\"id\":\"chatcmpl-9xYz\",\"object\":"
              "\"chat.completion.chunk\",\"created\":1717000000,\"model\":\"gpt-4o-mini\","
              "\"system_fingerprint\":\"fp_0ba0d124f1\",\"choices\":[{\"index\":0,\"delta\":{"
              "\"content\":\""
            + QByteArray(Tokens[n % TokenCount])
            + "\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n";
        ++n;
    }
    *events = n;
    return out;
}

// Anthropic-style typed events with CRLF line ends.
QByteArray anthropicStream(qsizetype minBytes, int *events)
{
    QByteArray out;
    int n = 0;
    while (out.size() < minBytes) {
        out += "event: content_block_delta\r\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
               "\"delta\":{\"type\":\"text_delta\",\"text\":\""
            + QByteArray(Tokens[n % TokenCount]) + "\"}}\r\n\r\n";
        ++n;
    }
    *events = n;
    return out;
}

// Tiny events: the worst case for per-event overhead.
QByteArray smallStream(qsizetype minBytes, int *events)
{
    QByteArray out;
    int n = 0;
    while (out.size() < minBytes) {
        out += "data: " + QByteArray(Tokens[n % TokenCount]) + "\n\n";
        ++n;
    }
    *events = n;
    return out;
}

double medianSeconds(int runs, const std::function<void()> &body, double *minS, double *maxS)
{
    body(); // warm-up
    std::vector<double> seconds;
    for (int i = 0; i < runs; ++i) {
        const double start = threadSeconds();
        body();
        seconds.push_back(threadSeconds() - start);
    }
    std::sort(seconds.begin(), seconds.end());
    *minS = seconds.front();
    *maxS = seconds.back();
    return seconds[seconds.size() / 2];
}

// Prints and returns the median throughput in MB/s.
double report(const char *name, double bytes, double events, int runs,
              const std::function<void()> &body)
{
    double minS = 0;
    double maxS = 0;
    const double s = medianSeconds(runs, body, &minS, &maxS);
    std::printf("%-40s %9.1f MB/s (min %7.1f, max %7.1f) %11.0f events/s\n", name, bytes / s / 1e6,
                bytes / maxS / 1e6, bytes / minS / 1e6, events / s);
    return bytes / s / 1e6;
}

// Feeds `stream` in `chunk`-byte pieces; the handler touches every event so
// nothing is optimised away.
void parseAll(const QByteArray &stream, qsizetype chunk, int expectedEvents, bool queue)
{
    SseParser parser;
    qint64 seen = 0;
    if (!queue)
        parser.setEventHandler([&](SseEvent &e) { seen += e.data.size() + 1; });
    const QByteArrayView all(stream);
    for (qsizetype at = 0; at < all.size(); at += chunk) {
        if (!parser.feed(all.sliced(at, std::min(chunk, all.size() - at))))
            qFatal("parse error");
        if (queue) {
            for (const SseEvent &e : parser.takeEvents())
                seen += e.data.size() + 1;
        }
    }
    if (!parser.finish())
        qFatal("parse error");
    if (seen < expectedEvents)
        qFatal("lost events");
    sink = sink + seen;
}

void benchParser(const char *label, const QByteArray &stream, int events)
{
    if (!selected(label))
        return;
    std::printf("\n%s: %.2f MB, %d events (%.0f bytes/event)\n", label, double(stream.size()) / 1e6,
                events, double(stream.size()) / events);
    const struct
    {
        const char *name;
        qsizetype size;
        int runs;
    } chunks[] = { { "  chunk 1 B", 1, 5 },
                   { "  chunk 64 B", 64, 9 },
                   { "  chunk 4 KiB", 4096, 9 },
                   { "  chunk 64 KiB", 65536, 9 },
                   { "  whole buffer", stream.size(), 9 } };
    double mbps[5] = {};
    int i = 0;
    for (const auto &c : chunks) {
        mbps[i++] = report(c.name, double(stream.size()), events, c.runs,
                           [&] { parseAll(stream, c.size, events, false); });
    }
    const double queued = report("  chunk 4 KiB, takeEvents() queue", double(stream.size()), events,
                                 9, [&] { parseAll(stream, 4096, events, true); });
    std::printf("  ratios: 4 KiB chunks / whole buffer %.2f, 64 B / whole %.2f, "
                "handler / queue at 4 KiB %.2f\n",
                mbps[2] / mbps[4], mbps[1] / mbps[4], mbps[2] / queued);
}

void benchWriter(const char *label, const QList<SseEvent> &events)
{
    if (!selected(label))
        return;
    QByteArray out;
    qsizetype bytes = 0;
    for (const SseEvent &e : events) {
        if (!SseWriter::appendEvent(out, e))
            qFatal("write error");
    }
    bytes = out.size();
    report(label, double(bytes), double(events.size()), 9, [&] {
        QByteArray buffer;
        buffer.reserve(bytes);
        for (const SseEvent &e : events) {
            if (!SseWriter::appendEvent(buffer, e))
                qFatal("write error");
        }
        sink = sink + buffer.size();
    });
    report("  one QByteArray per event (serialize())", double(bytes), double(events.size()), 9,
           [&] {
               qint64 total = 0;
               for (const SseEvent &e : events)
                   total += e.serialize()->size();
               sink = sink + total;
           });
}

} // namespace

int main(int argc, char **argv)
{
    if (argc > 1)
        filter = argv[1];
    constexpr qsizetype Size = 4 * 1024 * 1024;
    int openAiEvents = 0;
    int anthropicEvents = 0;
    int smallEvents = 0;
    const QByteArray openAi = openAiStream(Size, &openAiEvents);
    const QByteArray anthropic = anthropicStream(Size, &anthropicEvents);
    const QByteArray small = smallStream(Size / 4, &smallEvents);

    std::printf("SSE parser throughput (wire MB/s = 1e6 bytes/s of thread CPU time; median of "
                "runs)\n");
    benchParser("OpenAI chunks with ids (LF)", openAi, openAiEvents);
    benchParser("Anthropic typed deltas (CRLF)", anthropic, anthropicEvents);
    benchParser("small events (data: <token>)", small, smallEvents);

    std::printf("\nSSE writer throughput\n");
    SseParser parser;
    if (!parser.feed(openAi) || !parser.finish())
        qFatal("parse error");
    benchWriter("  OpenAI events, appendEvent() to one buffer", parser.takeEvents());
    QList<SseEvent> multi;
    for (int i = 0; i < 20000; ++i) {
        multi.append(SseEvent { u"delta"_s, u"line one\nline two\r\nline three"_s,
                                QString::number(i), std::nullopt });
    }
    benchWriter("  3-line events, appendEvent() to one buffer", multi);
    return sink == 42 ? 1 : 0;
}
