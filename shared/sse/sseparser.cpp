#include "sse/sseparser.h"

#include "contract/errorcodes.h"

#include <cstring>
#include <limits>
#include <utility>

namespace parlance {

namespace {

constexpr char Bom[3] = { '\xEF', '\xBB', '\xBF' };
constexpr int BomDone = 3;

// memchr for one of CR or LF. Two memchr calls over the same range would
// rescan the rest of the chunk for every line when one of the two bytes never
// occurs (CR in nearly every real stream), so the caller keeps the positions
// and only searches again once it has passed them.
const char *findByte(const char *from, const char *end, char byte)
{
    if (end - from < 16) { // a call costs more than a short loop (tiny chunks)
        while (from < end && *from != byte)
            ++from;
        return from;
    }
    const void *hit = std::memchr(from, byte, size_t(end - from));
    return hit ? static_cast<const char *>(hit) : end;
}

bool equals(QByteArrayView a, const char (&literal)[6])
{
    return a.size() == 5 && std::memcmp(a.data(), literal, 5) == 0;
}

bool equals4(QByteArrayView a, const char (&literal)[5])
{
    return a.size() == 4 && std::memcmp(a.data(), literal, 4) == 0;
}

// "If the field value consists of only ASCII digits": an empty value has no
// digits to interpret and browsers ignore it, so it is not a retry. Values
// past INT_MAX saturate rather than being dropped: they are valid per spec,
// just longer than anyone waits.
std::optional<int> parseRetry(QByteArrayView value)
{
    if (value.isEmpty())
        return std::nullopt;
    qint64 ms = 0;
    for (const char c : value) {
        if (c < '0' || c > '9')
            return std::nullopt;
        ms = std::min<qint64>(ms * 10 + (c - '0'), std::numeric_limits<int>::max());
    }
    return int(ms);
}

// The WHATWG Encoding standard's UTF-8 decoder: one U+FFFD per maximal
// invalid subpart, and no BOM stripping (only the stream's first BOM goes,
// and feed() takes care of that). Used only for text Qt would decode
// differently, so the common path stays Qt's SIMD decoder.
QString decodeUtf8Whatwg(QByteArrayView bytes)
{
    QString out;
    out.reserve(bytes.size());
    char32_t codePoint = 0;
    int needed = 0;
    int seen = 0;
    uchar lower = 0x80;
    uchar upper = 0xBF;
    const auto put = [&out](char32_t c) {
        if (c > 0xFFFF) {
            out.append(QChar(QChar::highSurrogate(c)));
            out.append(QChar(QChar::lowSurrogate(c)));
        } else {
            out.append(QChar(char16_t(c)));
        }
    };
    for (qsizetype i = 0; i < bytes.size();) {
        const uchar b = uchar(bytes[i]);
        if (needed == 0) {
            ++i;
            if (b <= 0x7F) {
                put(b);
            } else if (b >= 0xC2 && b <= 0xDF) {
                needed = 1;
                codePoint = b & 0x1F;
            } else if (b >= 0xE0 && b <= 0xEF) {
                lower = b == 0xE0 ? 0xA0 : 0x80;
                upper = b == 0xED ? 0x9F : 0xBF;
                needed = 2;
                codePoint = b & 0x0F;
            } else if (b >= 0xF0 && b <= 0xF4) {
                lower = b == 0xF0 ? 0x90 : 0x80;
                upper = b == 0xF4 ? 0x8F : 0xBF;
                needed = 3;
                codePoint = b & 0x07;
            } else {
                put(QChar::ReplacementCharacter);
            }
            continue;
        }
        if (b < lower || b > upper) {
            // The sequence so far is one error; the byte starts afresh.
            codePoint = 0;
            needed = seen = 0;
            lower = 0x80;
            upper = 0xBF;
            put(QChar::ReplacementCharacter);
            continue;
        }
        ++i;
        lower = 0x80;
        upper = 0xBF;
        codePoint = (codePoint << 6) | (b & 0x3F);
        if (++seen == needed) {
            put(codePoint);
            codePoint = 0;
            needed = seen = 0;
        }
    }
    if (needed != 0)
        put(QChar::ReplacementCharacter);
    return out;
}

// Field values are decoded here, once each. QString::fromUtf8 strips a
// leading BOM and replaces invalid input byte by byte, where the spec keeps
// the BOM (it is only stripped at stream start) and replaces each maximal
// invalid subpart once; valid text without a leading BOM, nearly all real
// traffic, takes Qt's fast decoder.
QString decodeUtf8(QByteArrayView bytes)
{
    if (bytes.startsWith(QByteArrayView(Bom, 3)) || !bytes.isValidUtf8())
        return decodeUtf8Whatwg(bytes);
    return QString::fromUtf8(bytes);
}

QString messageType()
{
    static const QString type = QStringLiteral("message");
    return type;
}

} // namespace

SseParser::SseParser() = default;

SseParser::SseParser(Limits limits)
    : m_limits(limits)
{ }

Status SseParser::status() const
{
    QString message;
    switch (m_error) {
    case Error::None:
        return Done {};
    case Error::LineTooLong:
        message = QStringLiteral("event stream line longer than %1 bytes");
        return ApiError { errc::MalformedResponse, message.arg(m_limits.maxLineBytes), {} };
    case Error::EventTooLarge:
        message = QStringLiteral("event stream event larger than %1 bytes");
        return ApiError { errc::MalformedResponse, message.arg(m_limits.maxEventBytes), {} };
    }
    Q_UNREACHABLE();
}

void SseParser::fail(Error error)
{
    m_error = error;
    // Nothing more will be parsed: give the memory back now.
    m_line = QByteArray();
    m_data = QByteArray();
    m_dataInChunk.reset();
}

Status SseParser::feed(QByteArrayView chunk)
{
    Q_ASSERT_X(!m_inFeed, "SseParser::feed", "called from an event or comment handler");
    if (m_error != Error::None)
        return status();
    const char *p = chunk.data();
    const char *const end = p + chunk.size();

    // "The UTF-8 decode algorithm strips one leading BOM": only at the very
    // start of the stream, and it may arrive split over several chunks.
    if (m_bomMatched != BomDone) {
        while (p < end && m_bomMatched < BomDone && *p == Bom[m_bomMatched]) {
            ++m_bomMatched;
            ++p;
        }
        if (m_bomMatched < BomDone) {
            if (p == end)
                return Done {}; // still a BOM prefix: wait for more bytes
            // Not a BOM after all: the bytes matched so far are text. None of
            // them is a line end, so they simply start the first line.
            m_line.append(Bom, m_bomMatched);
        }
        m_bomMatched = BomDone;
    }

    m_inFeed = true;
    feedLines(p, end);
    keepDataBeyondChunk();
    m_inFeed = false;
    if (m_error == Error::None)
        return Done {};
    return status();
}

void SseParser::feedLines(const char *p, const char *const end)
{
    const quint64 generation = m_generation;
    if (m_skipLf && p < end) {
        m_skipLf = false;
        if (*p == '\n')
            ++p;
    }
    const char *nextCr = p; // positions of the next CR / LF at or after p;
    const char *nextLf = p; // recomputed only once p has passed them
    bool crSearched = false;
    bool lfSearched = false;
    while (p < end) {
        if (!crSearched || (nextCr < p)) {
            nextCr = findByte(p, end, '\r');
            crSearched = true;
        }
        if (!lfSearched || (nextLf < p)) {
            nextLf = findByte(p, end, '\n');
            lfSearched = true;
        }
        const char *const lineEnd = std::min(nextCr, nextLf);
        const qsizetype length = lineEnd - p;
        if (m_line.size() + length > m_limits.maxLineBytes) {
            fail(Error::LineTooLong);
            return;
        }
        if (lineEnd == end) { // no terminator yet: keep the partial line
            m_line.append(p, length);
            return;
        }
        if (m_line.isEmpty()) {
            processLine(QByteArrayView(p, length)); // the common case: no copy
        } else {
            m_line.append(p, length);
            m_lineIsCarried = true;
            processLine(m_line);
            m_lineIsCarried = false;
            m_line.truncate(0); // keeps the capacity for the next long line
        }
        if (m_error != Error::None || m_generation != generation)
            return; // failed, or a handler reset the parser
        p = lineEnd + 1;
        if (*lineEnd == '\r') {
            if (p == end)
                m_skipLf = true; // the LF of this CRLF may start the next chunk
            else if (*p == '\n')
                ++p;
        }
    }
}

void SseParser::processLine(QByteArrayView line)
{
    if (line.isEmpty()) {
        dispatch();
        return;
    }
    if (line.front() == ':') {
        ++m_commentCount;
        if (m_onComment) {
            QByteArrayView text = line.sliced(1);
            if (text.startsWith(' '))
                text = text.sliced(1);
            m_onComment(text);
        }
        return;
    }
    const qsizetype colon = line.indexOf(':');
    if (colon < 0) {
        // "the whole line as the field name, and the empty string as the value"
        processField(line, QByteArrayView());
        return;
    }
    QByteArrayView value = line.sliced(colon + 1);
    if (value.startsWith(' '))
        value = value.sliced(1);
    processField(line.first(colon), value);
}

void SseParser::processField(QByteArrayView name, QByteArrayView value)
{
    if (equals4(name, "data")) {
        const qsizetype buffered = m_dataInChunk ? m_dataInChunk->size() + 1 : m_data.size();
        if (buffered + value.size() + 1 > m_limits.maxEventBytes) {
            fail(Error::EventTooLarge);
            return;
        }
        // Most events have one data line that the chunk holds whole: point at
        // it and decode it from there at dispatch, no copy.
        if (!m_dataInChunk && m_data.isEmpty() && !m_lineIsCarried) {
            m_dataInChunk = value;
            return;
        }
        keepDataBeyondChunk();
        m_data.append(value);
        m_data.append('\n');
    } else if (equals(name, "event")) {
        m_eventType.truncate(0);
        m_eventType.append(value);
    } else if (name.size() == 2 && name[0] == 'i' && name[1] == 'd') {
        if (!value.contains('\0')) {
            m_idBuffer.truncate(0);
            m_idBuffer.append(value);
        }
    } else if (equals(name, "retry")) {
        if (const std::optional<int> ms = parseRetry(value)) {
            m_reconnectionMs = ms;
            m_pendingRetry = ms;
        }
    }
    // Any other field is ignored.
}

void SseParser::dispatch()
{
    // Step 1 happens even when no event follows: an `id` alone updates the
    // last event ID string. Decode only when the bytes changed, so events
    // without a new id share one QString.
    if (m_idBuffer != m_lastEventIdBytes) {
        m_lastEventIdBytes = m_idBuffer;
        m_lastEventId = decodeUtf8(m_idBuffer);
    }
    const std::optional<int> retry = std::exchange(m_pendingRetry, std::nullopt);
    if (!m_dataInChunk && m_data.isEmpty()) {
        if (!m_eventType.isEmpty())
            m_eventType.truncate(0);
        return;
    }

    SseEvent event;
    if (m_eventType.isEmpty()) {
        event.type = messageType();
    } else {
        // Streams repeat a few types (Anthropic: content_block_delta):
        // decode each distinct one once.
        if (m_eventType != m_cachedTypeBytes) {
            m_cachedTypeBytes = m_eventType;
            m_cachedType = decodeUtf8(m_eventType);
        }
        event.type = m_cachedType;
    }
    if (m_dataInChunk) {
        event.data = decodeUtf8(*m_dataInChunk);
        m_dataInChunk.reset();
    } else {
        event.data = decodeUtf8(QByteArrayView(m_data).chopped(1)); // no '\n' after the last line
        m_data.truncate(0);
    }
    event.id = m_lastEventId;
    event.retryMs = retry;
    if (!m_eventType.isEmpty())
        m_eventType.truncate(0);

    if (m_onEvent) {
        m_onEvent(event);
    } else {
        m_queue.append(std::move(event));
    }
}

void SseParser::keepDataBeyondChunk()
{
    if (m_dataInChunk) {
        m_data.append(*m_dataInChunk);
        m_data.append('\n');
        m_dataInChunk.reset();
    }
}

Status SseParser::finish()
{
    Q_ASSERT_X(!m_inFeed, "SseParser::finish", "called from an event or comment handler");
    const Status result = status();
    restart();
    return result;
}

QList<SseEvent> SseParser::takeEvents()
{
    return std::exchange(m_queue, {});
}

bool SseParser::hasPendingData() const
{
    return !m_line.isEmpty() || !m_data.isEmpty() || m_dataInChunk || !m_eventType.isEmpty()
        || (m_bomMatched > 0 && m_bomMatched < BomDone);
}

void SseParser::restart()
{
    m_line.truncate(0);
    m_data.truncate(0);
    m_dataInChunk.reset();
    m_eventType.truncate(0);
    // Browsers seed a new connection's last event ID buffer with the source's
    // last event ID string (the spec's letter starts it empty, which would
    // make the first id-less event of a resumed stream forget the id).
    m_idBuffer = m_lastEventIdBytes;
    m_pendingRetry.reset();
    m_bomMatched = 0;
    m_skipLf = false;
    m_error = Error::None;
    ++m_generation;
}

void SseParser::reset()
{
    restart();
    m_idBuffer.clear();
    m_lastEventIdBytes.clear();
    m_lastEventId.clear();
    m_reconnectionMs.reset();
    m_queue.clear();
    m_commentCount = 0;
}

} // namespace parlance
