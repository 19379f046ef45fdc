#include "sse/sseparser.h"
#include "sse/ssewriter.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <cstdint>
#include <cstdlib>

using namespace parlance;

namespace {

struct Run
{
    QList<SseEvent> events;
    QList<QByteArray> comments;
    QString lastEventId;
    std::optional<int> reconnection;
    SseParser::Error error = SseParser::Error::None;

    bool operator==(const Run &) const = default;
};

// Splits with sizes drawn from a tiny PRNG seeded by the input, so libFuzzer
// can steer the cuts and a crash reproduces from the input alone.
struct Cutter
{
    quint64 state;
    qsizetype maxChunk;
    qsizetype next()
    {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return 1 + qsizetype((state >> 33) % quint64(maxChunk));
    }
};

Run parse(QByteArrayView input, SseParser::Limits limits, Cutter *cutter)
{
    Run run;
    SseParser parser(limits);
    parser.setCommentHandler([&](QByteArrayView c) { run.comments.append(c.toByteArray()); });
    for (qsizetype at = 0; at < input.size();) {
        const qsizetype size =
            cutter ? std::min(cutter->next(), input.size() - at) : input.size() - at;
        const bool ok = parser.feed(input.sliced(at, size)).ok();
        if (ok == parser.hasError())
            std::abort(); // the status and error() must agree
        at += size;
    }
    run.events = parser.takeEvents();
    run.lastEventId = parser.lastEventId();
    run.reconnection = parser.reconnectionTimeMs();
    run.error = parser.error();
    if (parser.finish().ok() != (run.error == SseParser::Error::None))
        std::abort();
    if (parser.hasPendingData() || parser.hasError())
        std::abort(); // finish() leaves a clean parser
    return run;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    quint64 seed = 1469598103934665603ULL;
    for (const char c : input.first(std::min<qsizetype>(input.size(), 16)))
        seed = (seed ^ uchar(c)) * 1099511628211ULL;
    // Small limits on some inputs so the error paths are explored too.
    const SseParser::Limits limits =
        (seed & 3) == 0 ? SseParser::Limits { 64, 256 } : SseParser::Limits {};

    const Run whole = parse(input, limits, nullptr);
    Cutter cutter { seed, 1 + qsizetype(seed >> 60) * 4 };
    if (!(parse(input, limits, &cutter) == whole))
        std::abort();
    if (input.size() <= 1024) {
        Cutter bytewise { seed, 1 };
        if (!(parse(input, limits, &bytewise) == whole))
            std::abort();
    }

    // What the parser produced, the writer must write and the parser read
    // back identically (ids aside: the writer cannot express "reset to empty").
    QByteArray rewritten;
    for (SseEvent event : whole.events) {
        if (event.type.isEmpty() || event.data.contains(u'\r'))
            std::abort();
        event.id.clear();
        if (!SseWriter::appendEvent(rewritten, event).ok())
            std::abort();
    }
    const Run again = parse(rewritten, SseParser::Limits {}, nullptr);
    if (again.events.size() != whole.events.size())
        std::abort();
    for (qsizetype i = 0; i < again.events.size(); ++i) {
        const SseEvent &a = again.events[i];
        const SseEvent &b = whole.events[i];
        if (a.type != b.type || a.data != b.data || a.retryMs != b.retryMs)
            std::abort();
    }
    return 0;
}
