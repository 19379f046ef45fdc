#pragma once

// Helpers shared by tst_sseparser and tst_ssewriter (header only: the unit
// test glob builds one program per tst_*.cpp).

#include "sse/sseevent.h"
#include "sse/sseparser.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QTest>

#include <optional>

Q_DECLARE_METATYPE(parlance::SseEvent)

namespace parlance {

// QTest prints events this way when a comparison fails.
inline char *toString(const SseEvent &event)
{
    // Percent-encoded so CR, LF and NUL stay visible in the failure message.
    const auto show = [](const QString &text) {
        return text.toUtf8().toPercentEncoding(" :{}\",[]");
    };
    const QByteArray text = "SseEvent{type=" + show(event.type) + ", data=" + show(event.data)
        + ", id=" + show(event.id) + ", retry="
        + (event.retryMs ? QByteArray::number(*event.retryMs) : QByteArray("none")) + "}";
    return qstrdup(text.constData());
}

} // namespace parlance

namespace ssetest {

// Bytes of a literal including embedded NULs (QByteArray(const char *) stops at the first).
template<qsizetype N> QByteArray bytes(const char (&text)[N])
{
    return QByteArray(text, N - 1);
}

inline parlance::SseEvent
ev(const QString &data, const QString &id = {},
   const QString &type = QStringLiteral("message"), std::optional<int> retry = std::nullopt)
{
    return parlance::SseEvent { type, data, id, retry };
}

struct Outcome
{
    QList<parlance::SseEvent> events;
    QString lastEventId;
    bool failed = false;
};

// Parses `stream` cut at the given offsets (sorted, within the stream), the
// way a network would deliver it, then finishes the stream.
inline Outcome parseSplit(const QByteArray &stream, const QList<qsizetype> &cuts,
                          parlance::SseParser::Limits limits = {})
{
    parlance::SseParser parser(limits);
    Outcome outcome;
    qsizetype from = 0;
    auto feed = [&](qsizetype to) {
        if (!parser.feed(QByteArrayView(stream).sliced(from, to - from)))
            outcome.failed = true;
        from = to;
    };
    for (const qsizetype cut : cuts)
        feed(cut);
    feed(stream.size());
    outcome.events = parser.takeEvents();
    outcome.lastEventId = parser.lastEventId();
    if (!parser.finish())
        outcome.failed = true;
    return outcome;
}

inline Outcome parseWhole(const QByteArray &stream, parlance::SseParser::Limits limits = {})
{
    return parseSplit(stream, {}, limits);
}

inline Outcome parseBytewise(const QByteArray &stream)
{
    QList<qsizetype> cuts;
    for (qsizetype i = 1; i < stream.size(); ++i)
        cuts.append(i);
    return parseSplit(stream, cuts);
}

} // namespace ssetest
