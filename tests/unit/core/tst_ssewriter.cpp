#include "contract/errorcodes.h"
#include "sse/sseparser.h"
#include "sse/ssewriter.h"
#include "tst_ssesupport.h"

#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace parlance;
using namespace ssetest;

using Events = QList<SseEvent>;

namespace {

// Random text built from the pieces that matter: every line break form,
// multi-byte and astral characters, NUL, U+FEFF, colons and leading spaces.
QString randomText(QRandomGenerator &random)
{
    static const QList<QString> pieces {
        u"a"_s, u"token"_s, u" "_s,      u"\r"_s,     u"\n"_s, u"\r\n"_s, u"é"_s,         u"日本"_s,
        u"😀"_s, u":"_s,     u"data: "_s, u"\uFEFF"_s, u"\0"_s, u"\t"_s,   u"{\"a\":1}"_s, u"id"_s,
    };
    QString text;
    const int count = int(random.bounded(8));
    for (int i = 0; i < count; ++i)
        text += pieces[random.bounded(pieces.size())];
    return text;
}

// Ids and types cannot hold line breaks (the writer refuses them), ids no NUL.
QString randomField(QRandomGenerator &random, bool isId)
{
    static const QList<QString> pieces { u"7"_s, u"42"_s, u"x"_s,       u" lead"_s, u"é"_s,
                                         u"😀"_s, u":"_s,  u"message"_s, u"\uFEFF"_s };
    QString text;
    const int count = int(random.bounded(3));
    for (int i = 0; i < count; ++i)
        text += pieces[random.bounded(pieces.size())];
    if (!isId && random.bounded(4) == 0)
        text += u"\0"_s;
    return text;
}

QString normalizedLineBreaks(QString text)
{
    text.replace(u"\r\n"_s, u"\n"_s);
    text.replace(u'\r', u'\n');
    return text;
}

} // namespace

class TestSseWriter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void writesWireFormat_data();
    void writesWireFormat();
    void refusesFieldInjection_data();
    void refusesFieldInjection();
    void writesComments_data();
    void writesComments();
    void heartbeatIsACommentBlock();
    void writesRetryAlone();
    void serializeMatchesWriter();
    void roundTripsRandomEventsUnderEveryChunking();
    void jsonEventFastPathMatchesTheCheckedWriter_data();
    void jsonEventFastPathMatchesTheCheckedWriter();
};

void TestSseWriter::jsonEventFastPathMatchesTheCheckedWriter_data()
{
    QTest::addColumn<qint64>("id");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("json");
    QTest::newRow("delta") << qint64(7) << u"delta"_s << uR"({"text":"Hello"})"_s;
    QTest::newRow("escaped newline and unicode")
        << qint64(123456789012) << u"delta"_s << uR"({"text":"a\nb é 😀"})"_s;
    QTest::newRow("done") << qint64(1) << u"done"_s << uR"({"status":"complete"})"_s;
}

void TestSseWriter::jsonEventFastPathMatchesTheCheckedWriter()
{
    QFETCH(qint64, id);
    QFETCH(QString, type);
    QFETCH(QString, json);
    QByteArray checked;
    QVERIFY(SseWriter::appendEvent(checked, ev(json, QString::number(id), type)).ok());
    QByteArray fast = "prefix";
    const QByteArray typeLatin1 = type.toLatin1();
    SseWriter::appendJsonEvent(fast, id, QLatin1StringView(typeLatin1), json.toUtf8());
    QCOMPARE(fast, "prefix" + checked);
}

void TestSseWriter::writesWireFormat_data()
{
    QTest::addColumn<SseEvent>("event");
    QTest::addColumn<QByteArray>("wire");

    QTest::newRow("data only") << ev(u"hello"_s) << QByteArray("data: hello\n\n");
    QTest::newRow("empty data still dispatches") << ev({}) << QByteArray("data: \n\n");
    QTest::newRow("all fields") << ev(u"x"_s, u"12"_s, u"delta"_s, 1500)
                                << QByteArray("id: 12\nevent: delta\nretry: 1500\ndata: x\n\n");
    QTest::newRow("message type not written")
        << ev(u"x"_s, {}, u"message"_s) << QByteArray("data: x\n\n");
    QTest::newRow("empty type not written") << ev(u"x"_s, {}, {}) << QByteArray("data: x\n\n");
    QTest::newRow("LF splits data lines") << ev(u"a\nb"_s) << QByteArray("data: a\ndata: b\n\n");
    QTest::newRow("CR splits data lines") << ev(u"a\rb"_s) << QByteArray("data: a\ndata: b\n\n");
    QTest::newRow("CRLF splits once") << ev(u"a\r\nb"_s) << QByteArray("data: a\ndata: b\n\n");
    QTest::newRow("LF CR splits twice")
        << ev(u"a\n\rb"_s) << QByteArray("data: a\ndata: \ndata: b\n\n");
    QTest::newRow("trailing line break kept") << ev(u"a\n"_s) << QByteArray("data: a\ndata: \n\n");
    QTest::newRow("leading space survives the one stripped")
        << ev(u" a"_s) << QByteArray("data:  a\n\n");
    QTest::newRow("UTF-8") << ev(u"é😀"_s, u"ü"_s)
                           << QByteArray("id: \xC3\xBC\ndata: \xC3\xA9\xF0\x9F\x98\x80\n\n");
    QTest::newRow("data that looks like fields stays data")
        << ev(u"\nid: 666\nevent: evil\n"_s)
        << QByteArray("data: \ndata: id: 666\ndata: event: evil\ndata: \n\n");
}

void TestSseWriter::writesWireFormat()
{
    QFETCH(SseEvent, event);
    QFETCH(QByteArray, wire);
    QByteArray out = "prefix";
    QVERIFY(SseWriter::appendEvent(out, event));
    QCOMPARE(out, QByteArray("prefix" + wire));
}

void TestSseWriter::refusesFieldInjection_data()
{
    QTest::addColumn<SseEvent>("event");
    QTest::newRow("LF in id") << ev(u"x"_s, u"1\ndata: injected"_s);
    QTest::newRow("CR in id") << ev(u"x"_s, u"1\r"_s);
    QTest::newRow("NUL in id") << ev(u"x"_s, u"1\0"_s);
    QTest::newRow("LF in type") << ev(u"x"_s, {}, u"a\n\ndata: injected"_s);
    QTest::newRow("CR in type") << ev(u"x"_s, {}, u"a\r"_s);
    QTest::newRow("negative retry") << ev(u"x"_s, {}, u"message"_s, -1);
}

// Stripping would silently change an id a client resumes from; refusing keeps
// the bug visible where it is made.
void TestSseWriter::refusesFieldInjection()
{
    QFETCH(SseEvent, event);
    QByteArray out = "kept";
    const Status status = SseWriter::appendEvent(out, event);
    QVERIFY(!status.ok());
    QCOMPARE(status.error().code, QString(errc::InvalidField));
    QVERIFY(!status.error().message.isEmpty());
    QCOMPARE(out, QByteArray("kept"));
    QVERIFY(!event.serialize().ok());
}

void TestSseWriter::writesComments_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<QList<QByteArray>>("parsed");
    QTest::newRow("one line") << u"ping"_s << QByteArray(": ping\n\n")
                              << QList<QByteArray> { "ping" };
    QTest::newRow("empty") << QString() << QByteArray(": \n\n") << QList<QByteArray> { "" };
    QTest::newRow("line breaks become comment lines")
        << u"a\r\nb\rc\nd"_s << QByteArray(": a\n: b\n: c\n: d\n\n")
        << QList<QByteArray> { "a", "b", "c", "d" };
    QTest::newRow("cannot inject data") << u"x\ndata: evil"_s << QByteArray(": x\n: data: evil\n\n")
                                        << QList<QByteArray> { "x", "data: evil" };
}

void TestSseWriter::writesComments()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, wire);
    QFETCH(QList<QByteArray>, parsed);
    QCOMPARE(SseWriter::comment(text), wire);

    SseParser parser;
    QList<QByteArray> comments;
    parser.setCommentHandler([&](QByteArrayView c) { comments.append(c.toByteArray()); });
    QVERIFY(parser.feed(wire));
    QCOMPARE(comments, parsed);
    QVERIFY(parser.takeEvents().isEmpty());
}

void TestSseWriter::heartbeatIsACommentBlock()
{
    QCOMPARE(SseWriter::heartbeat(), QByteArray(": ping\n\n"));
    SseParser parser;
    QVERIFY(parser.feed(QByteArray(SseWriter::heartbeat() + SseWriter::heartbeat())));
    QCOMPARE(parser.commentCount(), 2);
    QVERIFY(parser.takeEvents().isEmpty());
}

void TestSseWriter::writesRetryAlone()
{
    const Result<QByteArray> wire = SseWriter::retry(3000);
    QVERIFY(wire.ok());
    QCOMPARE(*wire, QByteArray("retry: 3000\n\n"));
    SseParser parser;
    QVERIFY(parser.feed(*wire));
    QCOMPARE(parser.reconnectionTimeMs(), std::optional<int>(3000));
    QVERIFY(!SseWriter::retry(-5).ok());
}

void TestSseWriter::serializeMatchesWriter()
{
    const SseEvent e = ev(u"a\nb"_s, u"9"_s, u"delta"_s);
    const Result<QByteArray> viaEvent = e.serialize();
    const Result<QByteArray> viaWriter = SseWriter::event(e);
    QVERIFY(viaEvent.ok() && viaWriter.ok());
    QCOMPARE(*viaEvent, *viaWriter);
}

// Property: whatever events the writer accepts come back from the parser as
// the same events (line breaks in the spec's normal form, the id being the
// last one written), however the byte stream is cut.
void TestSseWriter::roundTripsRandomEventsUnderEveryChunking()
{
    const quint32 seed = qEnvironmentVariableIsSet("SSE_SEED")
        ? quint32(qEnvironmentVariableIntValue("SSE_SEED"))
        : 20240601u;
    QRandomGenerator random(seed);
    qInfo("seed %u (set SSE_SEED to replay)", seed);

    for (int round = 0; round < 60; ++round) {
        QByteArray stream;
        Events expected;
        QString lastId;
        const int count = 1 + int(random.bounded(6));
        for (int i = 0; i < count; ++i) {
            SseEvent e;
            e.data = randomText(random);
            e.type = randomField(random, false);
            e.id = randomField(random, true);
            if (random.bounded(3) == 0)
                e.retryMs = int(random.bounded(100000));
            if (random.bounded(4) == 0)
                SseWriter::appendComment(stream, randomText(random));
            QVERIFY2(SseWriter::appendEvent(stream, e), qPrintable(e.type));

            if (!e.id.isEmpty())
                lastId = e.id;
            SseEvent back = e;
            back.data = normalizedLineBreaks(e.data);
            back.id = lastId;
            if (back.type.isEmpty())
                back.type = u"message"_s;
            expected.append(back);
        }

        const auto check = [&](const Outcome &outcome, const char *how) {
            if (outcome.failed || outcome.events != expected || outcome.lastEventId != lastId) {
                QTest::qFail(
                    qPrintable(u"round %1 (%2) differs for stream %3"_s.arg(round).arg(
                        QString::fromLatin1(how), QString::fromLatin1(stream.toPercentEncoding()))),
                    __FILE__, __LINE__);
                return false;
            }
            return true;
        };
        if (!check(parseWhole(stream), "whole") || !check(parseBytewise(stream), "bytewise"))
            return;
        // Every single cut of the stream...
        for (qsizetype cut = 0; cut <= stream.size(); ++cut) {
            if (!check(parseSplit(stream, { cut }), "one cut"))
                return;
        }
        // ...and random multi-way cuts.
        for (int trial = 0; trial < 50; ++trial) {
            QList<qsizetype> cuts;
            for (qsizetype at = 0; at < stream.size();) {
                at += 1 + qsizetype(random.bounded(12));
                cuts.append(std::min(at, stream.size()));
            }
            if (!check(parseSplit(stream, cuts), "random cuts"))
                return;
        }
    }
}

QTEST_GUILESS_MAIN(TestSseWriter)
#include "tst_ssewriter.moc"
