#include "upstream/httpresponseparser.h"

#include <QByteArray>

#include <cstdint>
#include <cstdlib>

using namespace parlance;

namespace {

struct Run
{
    QByteArray body;
    HttpResponseParser::Error error = HttpResponseParser::Error::None;
    bool complete = false;
    bool keepAlive = false;
    int status = 0;

    bool operator==(const Run &) const = default;
};

// Cut sizes from a tiny PRNG seeded by the input, so a crash reproduces from
// the input alone.
struct Cutter
{
    quint64 state;
    qsizetype next(qsizetype maxChunk)
    {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return 1 + qsizetype((state >> 33) % quint64(maxChunk));
    }
};

Run parse(QByteArrayView input, Cutter *cutter, bool eof)
{
    HttpResponseParser parser(512); // small, so the cap is reached too
    Run run;
    qsizetype pos = 0;
    while (pos < input.size()) {
        const qsizetype n =
            cutter ? std::min(cutter->next(16), input.size() - pos) : input.size() - pos;
        if (!parser.feed(input.sliced(pos, n), &run.body))
            break;
        pos += n;
    }
    if (eof && parser.error() == HttpResponseParser::Error::None)
        (void)parser.finishAtEof();
    run.error = parser.error();
    run.complete = parser.isComplete();
    run.keepAlive = parser.keepAlive();
    run.status = parser.headComplete() ? parser.head().status : 0;
    return run;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    // First byte: the seed of the cuts and whether the peer closes after.
    const bool eof = (data[0] & 1) != 0;
    const QByteArrayView input(reinterpret_cast<const char *>(data) + 1, qsizetype(size) - 1);
    const Run whole = parse(input, nullptr, eof);
    Cutter cutter { data[0] };
    const Run cut = parse(input, &cutter, eof);
    if (!(whole == cut))
        std::abort();
    if (whole.body.size() > input.size())
        std::abort();
    if (whole.keepAlive && !whole.complete)
        std::abort();
    return 0;
}
