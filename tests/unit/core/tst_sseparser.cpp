#include "contract/errorcodes.h"
#include "sse/sseparser.h"
#include "tst_ssesupport.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace parlance;
using namespace ssetest;

using Events = QList<SseEvent>;

Q_DECLARE_METATYPE(parlance::SseParser::Error)

class TestSseParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void interpretsStream_data();
    void interpretsStream();
    void sameEventsWhateverTheChunking_data() { interpretsStream_data(); }
    void sameEventsWhateverTheChunking();

    void commentsReachTheCommentHandler();
    void retryWithoutDataSetsReconnectionTime();
    void eventsGoToHandlerInsteadOfQueue();
    void handlerMayResetMidChunk();
    void handlerMayRestartMidChunk();
    void finishDiscardsIncompleteEventAndStartsNewStream();
    void restartKeepsLastEventIdForResumedStream();
    void resetForgetsEverything();
    void pendingDataShowsStreamCutMidEvent_data();
    void pendingDataShowsStreamCutMidEvent();

    void limitsAreEnforced_data();
    void limitsAreEnforced();
    void endlessLineFailsWithoutBufferingIt();
    void errorIsStickyUntilReset();
};

void TestSseParser::interpretsStream_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<Events>("expected");
    QTest::addColumn<QString>("lastEventId");

    // The examples of the WHATWG section "Interpreting an event stream".
    QTest::newRow("spec: data lines joined with LF")
        << bytes("data: YHOO\ndata: +2\ndata: 10\n\n") << Events { ev(u"YHOO\n+2\n10"_s) }
        << QString();
    QTest::newRow("spec: comment, ids, unterminated last event")
        << bytes(": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\n"
                 "data:  third event\n")
        << Events { ev(u"first event"_s, u"1"_s), ev(u"second event"_s) } << QString();
    QTest::newRow("spec: empty data lines")
        << bytes("data\n\ndata\ndata\n\ndata:") << Events { ev({}), ev(u"\n"_s) } << QString();
    QTest::newRow("spec: space after colon optional")
        << bytes("data:test\n\ndata: test\n\n") << Events { ev(u"test"_s), ev(u"test"_s) }
        << QString();
    QTest::newRow("spec: event types")
        << bytes("event: add\ndata: 73857293\n\nevent: remove\ndata: 2153\n\n"
                 "event: add\ndata: 113411\n\n")
        << Events { ev(u"73857293"_s, {}, u"add"_s), ev(u"2153"_s, {}, u"remove"_s),
                    ev(u"113411"_s, {}, u"add"_s) }
        << QString();

    // Line ends.
    QTest::newRow("CR line ends") << bytes("data: a\rdata: b\r\rdata: c\r\r")
                                  << Events { ev(u"a\nb"_s), ev(u"c"_s) } << QString();
    QTest::newRow("CRLF line ends")
        << bytes("data: a\r\ndata: b\r\n\r\n") << Events { ev(u"a\nb"_s) } << QString();
    QTest::newRow("mixed line ends") << bytes("data: a\r\ndata: b\rdata: c\n\r\ndata: d\n\r")
                                     << Events { ev(u"a\nb\nc"_s), ev(u"d"_s) } << QString();
    QTest::newRow("LF CR is two line ends")
        << bytes("data: a\n\rdata: b\r\n\n") << Events { ev(u"a"_s), ev(u"b"_s) } << QString();
    QTest::newRow("blank lines before first event")
        << bytes("\n\r\n\r\n\ndata: a\n\n") << Events { ev(u"a"_s) } << QString();

    // BOM.
    QTest::newRow("leading BOM stripped") << bytes("\xEF\xBB\xBF"
                                                   "data: a\n\n")
                                          << Events { ev(u"a"_s) } << QString();
    QTest::newRow("only one BOM stripped") << bytes("\xEF\xBB\xBF\xEF\xBB\xBF"
                                                    "data: a\n\ndata: b\n\n")
                                           << Events { ev(u"b"_s) } << QString();
    QTest::newRow("BOM prefix without rest is text") << bytes("\xEF\xBB"
                                                              "data: a\n\ndata: b\n\n")
                                                     << Events { ev(u"b"_s) } << QString();
    QTest::newRow("BOM inside data kept")
        << bytes("data: \xEF\xBB\xBFx\n\n") << Events { ev(u"\uFEFFx"_s) } << QString();
    QTest::newRow("BOM alone then event")
        << bytes("\xEF\xBB\xBF\ndata: a\n\n") << Events { ev(u"a"_s) } << QString();

    // Field syntax.
    QTest::newRow("field without colon has empty value")
        << bytes("data\n\n") << Events { ev({}) } << QString();
    QTest::newRow("only one leading space removed")
        << bytes("data:  x \n\n") << Events { ev(u" x "_s) } << QString();
    QTest::newRow("tab after colon kept")
        << bytes("data:\tx\n\n") << Events { ev(u"\tx"_s) } << QString();
    QTest::newRow("colons in value kept")
        << bytes("data: {\"a\":1}:\n\n") << Events { ev(u"{\"a\":1}:"_s) } << QString();
    QTest::newRow("field names are case-sensitive")
        << bytes("Data: x\nDATA: y\n\n") << Events {} << QString();
    QTest::newRow("space before colon makes another field")
        << bytes("data : x\n\n") << Events {} << QString();
    QTest::newRow("unknown fields ignored")
        << bytes("foo: bar\nevents: x\ndata: a\nidx: 9\n\n") << Events { ev(u"a"_s) } << QString();
    QTest::newRow("comments between data lines")
        << bytes(": hi\ndata: a\n:there\ndata: b\n\n") << Events { ev(u"a\nb"_s) } << QString();
    QTest::newRow("comment-only block dispatches nothing")
        << bytes(": ping\n\n: ping\n\n") << Events {} << QString();

    // Event type.
    QTest::newRow("empty event type is message")
        << bytes("event:\ndata: x\n\n") << Events { ev(u"x"_s) } << QString();
    QTest::newRow("last event field wins") << bytes("event: a\nevent: b\ndata: x\n\n")
                                           << Events { ev(u"x"_s, {}, u"b"_s) } << QString();
    QTest::newRow("block without data resets event type")
        << bytes("event: foo\n\ndata: x\n\n") << Events { ev(u"x"_s) } << QString();
    QTest::newRow("event type not carried to next event")
        << bytes("event: foo\ndata: x\n\ndata: y\n\n")
        << Events { ev(u"x"_s, {}, u"foo"_s), ev(u"y"_s) } << QString();

    // Last event ID.
    QTest::newRow("id persists across events")
        << bytes("id: 1\ndata: a\n\ndata: b\n\n")
        << Events { ev(u"a"_s, u"1"_s), ev(u"b"_s, u"1"_s) } << u"1"_s;
    QTest::newRow("id after data in same block applies")
        << bytes("data: a\nid: 3\n\n") << Events { ev(u"a"_s, u"3"_s) } << u"3"_s;
    QTest::newRow("id alone updates last event id")
        << bytes("id: 7\n\ndata: a\n\n") << Events { ev(u"a"_s, u"7"_s) } << u"7"_s;
    QTest::newRow("id with NUL ignored")
        << bytes("id: 1\n\nid: 2\0x\ndata: a\n\n") << Events { ev(u"a"_s, u"1"_s) } << u"1"_s;
    QTest::newRow("empty id resets") << bytes("id: 1\ndata: a\n\nid\ndata: b\n\n")
                                     << Events { ev(u"a"_s, u"1"_s), ev(u"b"_s) } << QString();
    QTest::newRow("id of unterminated block not applied")
        << bytes("id: 1\ndata: a\n\nid: 2\ndata: b\n") << Events { ev(u"a"_s, u"1"_s) } << u"1"_s;
    QTest::newRow("unicode id") << bytes("id: \xC3\xA9-\xE2\x82\xAC\ndata: a\n\n")
                                << Events { ev(u"a"_s, u"é-€"_s) } << u"é-€"_s;

    // Retry.
    QTest::newRow("retry digits") << bytes("retry: 3000\ndata: a\n\n")
                                  << Events { ev(u"a"_s, {}, u"message"_s, 3000) } << QString();
    QTest::newRow("retry zero") << bytes("retry:0\ndata: a\n\n")
                                << Events { ev(u"a"_s, {}, u"message"_s, 0) } << QString();
    QTest::newRow("retry with unit ignored")
        << bytes("retry: 30s\ndata: a\n\n") << Events { ev(u"a"_s) } << QString();
    QTest::newRow("negative retry ignored")
        << bytes("retry: -1\ndata: a\n\n") << Events { ev(u"a"_s) } << QString();
    QTest::newRow("retry with two spaces ignored")
        << bytes("retry:  100\ndata: a\n\n") << Events { ev(u"a"_s) } << QString();
    QTest::newRow("empty retry ignored")
        << bytes("retry\nretry:\ndata: a\n\n") << Events { ev(u"a"_s) } << QString();
    QTest::newRow("huge retry saturates")
        << bytes("retry: 99999999999999999999\ndata: a\n\n")
        << Events { ev(u"a"_s, {}, u"message"_s, 2147483647) } << QString();
    QTest::newRow("retry belongs to its block only")
        << bytes("retry: 5\n\ndata: a\n\n") << Events { ev(u"a"_s) } << QString();

    // Text.
    QTest::newRow("multi-byte UTF-8")
        << bytes("data: h\xC3\xA9llo \xF0\x9F\x98\x80 \xE6\x97\xA5\xE6\x9C\xAC\n\n")
        << Events { ev(u"héllo 😀 日本"_s) } << QString();
    QTest::newRow("invalid UTF-8 replaced") << bytes("data: a\xFF"
                                                     "b\n\n")
                                            << Events { ev(u"a\uFFFDb"_s) } << QString();
    QTest::newRow("truncated sequence before line end")
        << bytes("data: a\xE2\x82\ndata: b\n\n") << Events { ev(u"a\uFFFD\nb"_s) } << QString();
    QTest::newRow("truncated 4-byte sequence is one error")
        << bytes("data: \xF0\x9F\x98x\n\n") << Events { ev(u"\uFFFDx"_s) } << QString();
    QTest::newRow("encoded surrogate is three errors")
        << bytes("data: \xED\xA0\x80\n\n") << Events { ev(u"\uFFFD\uFFFD\uFFFD"_s) } << QString();
    QTest::newRow("overlong encoding is two errors")
        << bytes("data: \xC0\x80\n\n") << Events { ev(u"\uFFFD\uFFFD"_s) } << QString();
    QTest::newRow("beyond U+10FFFF is four errors")
        << bytes("data: \xF4\x90\x80\x80\n\n") << Events { ev(u"\uFFFD\uFFFD\uFFFD\uFFFD"_s) }
        << QString();
    QTest::newRow("invalid text with astral character")
        << bytes("data: \xFF\xF0\x9F\x98\x80\n\n") << Events { ev(u"\uFFFD😀"_s) } << QString();
    QTest::newRow("real U+FFFD kept")
        << bytes("data: \xEF\xBF\xBD\n\n") << Events { ev(u"\uFFFD"_s) } << QString();
    QTest::newRow("BOM at start of id and type kept")
        << bytes("id: \xEF\xBB\xBF"
                 "1\nevent: \xEF\xBB\xBFt\ndata: a\n\n")
        << Events { ev(u"a"_s, u"\uFEFF1"_s, u"\uFEFFt"_s) } << u"\uFEFF1"_s;
    QTest::newRow("NUL in data kept")
        << bytes("data: a\0b\n\n") << Events { ev(QString(u"a\0b"_s)) } << QString();

    // End of stream.
    QTest::newRow("event without blank line discarded")
        << bytes("data: a\n") << Events {} << QString();
    QTest::newRow("unterminated line discarded")
        << bytes("data: a\n\ndata: b") << Events { ev(u"a"_s) } << QString();
    QTest::newRow("empty stream") << QByteArray() << Events {} << QString();

    // Realistic provider streams.
    QTest::newRow("OpenAI chat completion chunks")
        << bytes("data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n"
                 "data: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}\n\n"
                 "data: [DONE]\n\n")
        << Events { ev(u"{\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}"_s),
                    ev(u"{\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}"_s), ev(u"[DONE]"_s) }
        << QString();
    QTest::newRow("Anthropic messages stream")
        << bytes("event: message_start\r\ndata: {\"type\":\"message_start\"}\r\n\r\n"
                 "event: ping\r\ndata: {\"type\": \"ping\"}\r\n\r\n"
                 "event: content_block_delta\r\ndata: {\"delta\":{\"text\":\"Hi\"}}\r\n\r\n"
                 "event: message_stop\r\ndata: {\"type\":\"message_stop\"}\r\n\r\n")
        << Events { ev(u"{\"type\":\"message_start\"}"_s, {}, u"message_start"_s),
                    ev(u"{\"type\": \"ping\"}"_s, {}, u"ping"_s),
                    ev(u"{\"delta\":{\"text\":\"Hi\"}}"_s, {}, u"content_block_delta"_s),
                    ev(u"{\"type\":\"message_stop\"}"_s, {}, u"message_stop"_s) }
        << QString();
}

void TestSseParser::interpretsStream()
{
    QFETCH(QByteArray, stream);
    QFETCH(Events, expected);
    QFETCH(QString, lastEventId);

    const Outcome outcome = parseWhole(stream);
    QVERIFY(!outcome.failed);
    QCOMPARE(outcome.events, expected);
    QCOMPARE(outcome.lastEventId, lastEventId);
}

// Every cut into two and three chunks (and byte by byte): the network may
// split between CR and LF, inside a UTF-8 sequence or the BOM.
void TestSseParser::sameEventsWhateverTheChunking()
{
    QFETCH(QByteArray, stream);
    QFETCH(Events, expected);
    QFETCH(QString, lastEventId);

    const Outcome bytewise = parseBytewise(stream);
    QCOMPARE(bytewise.events, expected);
    QCOMPARE(bytewise.lastEventId, lastEventId);
    for (qsizetype i = 0; i <= stream.size(); ++i) {
        for (qsizetype j = i; j <= stream.size(); ++j) {
            const Outcome split = parseSplit(stream, { i, j });
            if (split.events != expected || split.lastEventId != lastEventId)
                QFAIL(qPrintable(u"differs when cut at %1 and %2"_s.arg(i).arg(j)));
        }
    }
}

void TestSseParser::commentsReachTheCommentHandler()
{
    SseParser parser;
    QList<QByteArray> comments;
    parser.setCommentHandler([&](QByteArrayView text) { comments.append(text.toByteArray()); });
    QVERIFY(parser.feed(": ping\n\n:\n:  two spaces\r:no space\r\ndata: x\n:\xC3\xA9\n\n"));
    QCOMPARE(comments, (QList<QByteArray> { "ping", "", " two spaces", "no space", "\xC3\xA9" }));
    QCOMPARE(parser.commentCount(), 5);
    QCOMPARE(parser.takeEvents(), Events { ev(u"x"_s) });
}

void TestSseParser::retryWithoutDataSetsReconnectionTime()
{
    SseParser parser;
    QCOMPARE(parser.reconnectionTimeMs(), std::nullopt);
    QVERIFY(parser.feed("retry: 2500\n\n"));
    QCOMPARE(parser.reconnectionTimeMs(), 2500);
    QVERIFY(parser.takeEvents().isEmpty());
    QVERIFY(parser.feed("retry: soon\n\n"));
    QCOMPARE(parser.reconnectionTimeMs(), 2500); // an invalid value changes nothing
}

void TestSseParser::eventsGoToHandlerInsteadOfQueue()
{
    SseParser parser;
    Events seen;
    parser.setEventHandler([&](SseEvent &e) { seen.append(std::move(e)); });
    QVERIFY(parser.feed("data: a\n\nevent: t\ndata: b\n\n"));
    QCOMPARE(seen, (Events { ev(u"a"_s), ev(u"b"_s, {}, u"t"_s) }));
    QVERIFY(parser.takeEvents().isEmpty());
}

void TestSseParser::handlerMayResetMidChunk()
{
    SseParser parser;
    Events seen;
    parser.setEventHandler([&](SseEvent &e) {
        seen.append(e);
        if (e.data == u"stop"_s)
            parser.reset();
    });
    QVERIFY(parser.feed("id: 1\ndata: a\n\ndata: stop\n\ndata: dropped\n\n"));
    QCOMPARE(seen.size(), 2);
    QCOMPARE(parser.lastEventId(), QString());
    QVERIFY(parser.feed("data: after\n\n"));
    QCOMPARE(seen.last(), ev(u"after"_s));
}

void TestSseParser::handlerMayRestartMidChunk()
{
    SseParser parser;
    Events seen;
    parser.setCommentHandler([&](QByteArrayView text) {
        if (text == "reconnect")
            parser.restart();
    });
    parser.setEventHandler([&](SseEvent &e) { seen.append(e); });
    QVERIFY(parser.feed("id: 9\ndata: a\n\ndata: half\n: reconnect\ndata: dropped\n\n"));
    QCOMPARE(seen, Events { ev(u"a"_s, u"9"_s) });
    // The next connection starts clean (BOM expected again), the id survives.
    QVERIFY(parser.feed("\xEF\xBB\xBF"
                        "data: b\n\n"));
    QCOMPARE(seen.last(), ev(u"b"_s, u"9"_s));
    QCOMPARE(seen.size(), 2);
}

void TestSseParser::finishDiscardsIncompleteEventAndStartsNewStream()
{
    SseParser parser;
    QVERIFY(parser.feed("id: 4\ndata: a\n\nevent: x\ndata: partial\n"));
    QVERIFY(parser.finish());
    QCOMPARE(parser.takeEvents(), Events { ev(u"a"_s, u"4"_s) });
    // A new stream: its BOM is stripped again, the event type of the
    // discarded block is gone, the last event id survives.
    QVERIFY(parser.feed("\xEF\xBB\xBF"
                        "data: b\n\n"));
    QCOMPARE(parser.takeEvents(), Events { ev(u"b"_s, u"4"_s) });
}

void TestSseParser::restartKeepsLastEventIdForResumedStream()
{
    SseParser parser;
    QVERIFY(parser.feed("retry: 100\nid: 5\ndata: a\n\ndata: cut"));
    parser.restart();
    QCOMPARE(parser.lastEventId(), u"5"_s);
    QCOMPARE(parser.reconnectionTimeMs(), 100);
    QVERIFY(parser.feed("data: b\n\n"));
    QCOMPARE(parser.takeEvents(),
             (Events { ev(u"a"_s, u"5"_s, u"message"_s, 100), ev(u"b"_s, u"5"_s) }));
}

void TestSseParser::resetForgetsEverything()
{
    SseParser parser;
    QVERIFY(parser.feed("retry: 100\nid: 5\n: c\ndata: a\n\ndata: queued\n\ndata: cut"));
    parser.reset();
    QCOMPARE(parser.lastEventId(), QString());
    QCOMPARE(parser.reconnectionTimeMs(), std::nullopt);
    QCOMPARE(parser.commentCount(), 0);
    QVERIFY(!parser.hasPendingData());
    QVERIFY(parser.takeEvents().isEmpty());
    QVERIFY(parser.feed("\n\ndata: b\n\n"));
    QCOMPARE(parser.takeEvents(), Events { ev(u"b"_s) });
}

void TestSseParser::pendingDataShowsStreamCutMidEvent_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<bool>("pending");
    QTest::newRow("nothing") << QByteArray() << false;
    QTest::newRow("complete event") << bytes("data: a\n\n") << false;
    QTest::newRow("comment only") << bytes(": ping\n") << false;
    QTest::newRow("partial line") << bytes("data: a\n\ndat") << true;
    QTest::newRow("data without blank line") << bytes("data: a\n") << true;
    QTest::newRow("event type without blank line") << bytes("event: a\n") << true;
    QTest::newRow("half a BOM") << bytes("\xEF\xBB") << true;
    QTest::newRow("whole BOM") << bytes("\xEF\xBB\xBF") << false;
}

void TestSseParser::pendingDataShowsStreamCutMidEvent()
{
    QFETCH(QByteArray, stream);
    QFETCH(bool, pending);
    SseParser parser;
    QVERIFY(parser.feed(stream));
    QCOMPARE(parser.hasPendingData(), pending);
    QVERIFY(parser.finish());
    QVERIFY(!parser.hasPendingData());
}

void TestSseParser::limitsAreEnforced_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<int>("chunkSize");
    QTest::addColumn<int>("expectedEvents");
    QTest::addColumn<SseParser::Error>("error");

    // Limits in the test: 16-byte lines, 24-byte events.
    const QByteArray line16 = "data: 0123456789";
    QTest::newRow("line at the limit")
        << QByteArray(line16 + "\n\n") << 0 << 1 << SseParser::Error::None;
    QTest::newRow("line one over")
        << QByteArray(line16 + "x\n\n") << 0 << 0 << SseParser::Error::LineTooLong;
    QTest::newRow("line one over, bytewise")
        << QByteArray(line16 + "x\n\n") << 1 << 0 << SseParser::Error::LineTooLong;
    QTest::newRow("unterminated line over the limit")
        << QByteArray(line16 + "x") << 0 << 0 << SseParser::Error::LineTooLong;
    QTest::newRow("comment counts as a line")
        << QByteArray(":" + QByteArray(16, 'c') + "\n") << 0 << 0 << SseParser::Error::LineTooLong;
    QTest::newRow("CRLF not counted")
        << QByteArray(line16 + "\r\n\r\n") << 3 << 1 << SseParser::Error::None;
    QTest::newRow("events before the error delivered")
        << QByteArray("data: a\n\n" + line16 + "xx\n\n") << 4 << 1 << SseParser::Error::LineTooLong;
    // data buffer: 10 + 1 + 10 + 1 = 22 bytes fits, a third line does not.
    QTest::newRow("event at the limit")
        << bytes("data: 0123456789\ndata: 0123456789\n\n") << 0 << 1 << SseParser::Error::None;
    QTest::newRow("event data over the limit")
        << bytes("data: 0123456789\ndata: 0123456789\ndata: 01\n\n") << 0 << 0
        << SseParser::Error::EventTooLarge;
    QTest::newRow("limit is per event")
        << bytes("data: 0123456789\n\ndata: 0123456789\n\ndata: 0123456789\n\n") << 5 << 3
        << SseParser::Error::None;
}

void TestSseParser::limitsAreEnforced()
{
    QFETCH(QByteArray, stream);
    QFETCH(int, chunkSize);
    QFETCH(int, expectedEvents);
    QFETCH(SseParser::Error, error);

    SseParser parser(SseParser::Limits { 16, 24 });
    Status status = Done {};
    const qsizetype step = chunkSize > 0 ? chunkSize : stream.size();
    for (qsizetype i = 0; i < stream.size() && status.ok(); i += step)
        status = parser.feed(QByteArrayView(stream).sliced(i, std::min(step, stream.size() - i)));
    QCOMPARE(parser.takeEvents().size(), expectedEvents);
    QCOMPARE(parser.error(), error);
    QCOMPARE(status.ok(), error == SseParser::Error::None);
    if (!status.ok()) {
        QCOMPARE(status.error().code, QString(errc::MalformedResponse));
        QVERIFY(!status.error().message.isEmpty());
    }
}

// A hostile server sends one endless line: the parser refuses as soon as the
// limit is passed, not after buffering the whole thing.
void TestSseParser::endlessLineFailsWithoutBufferingIt()
{
    SseParser parser; // default limits
    const QByteArray chunk(64 * 1024, 'a');
    const qsizetype limit = parser.limits().maxLineBytes;
    qsizetype fed = 0;
    Status status = Done {};
    while (status.ok() && fed < 4 * limit) {
        status = parser.feed(chunk);
        fed += chunk.size();
    }
    QVERIFY(!status.ok());
    QCOMPARE(parser.error(), SseParser::Error::LineTooLong);
    QVERIFY(fed > limit);
    QVERIFY(fed <= limit + chunk.size()); // failed on the chunk that crossed the limit
    QVERIFY(!parser.hasPendingData()); // and released what it held
}

void TestSseParser::errorIsStickyUntilReset()
{
    SseParser parser(SseParser::Limits { 8, 64 });
    QVERIFY(!parser.feed("data: 0123456789\n\n"));
    QVERIFY(!parser.feed("data: ok\n\n"));
    QVERIFY(parser.takeEvents().isEmpty());
    QVERIFY(!parser.finish()); // finish reports the error, then starts afresh
    QVERIFY(parser.feed("data: ok\n\n"));
    QCOMPARE(parser.takeEvents(), Events { ev(u"ok"_s) });
    QVERIFY(!parser.feed("data: 0123456789\n\n"));
    parser.reset();
    QVERIFY(!parser.hasError());
    QVERIFY(parser.feed("data: ok\n\n"));
    QCOMPARE(parser.takeEvents(), Events { ev(u"ok"_s) });
}

QTEST_GUILESS_MAIN(TestSseParser)
#include "tst_sseparser.moc"
