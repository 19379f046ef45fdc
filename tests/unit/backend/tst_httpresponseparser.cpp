// The upstream HTTP/1.1 response parser: framing (Content-Length, chunked,
// until close), keep-alive, limits and malformed input, every response fed
// whole, split in two at every byte boundary, and one byte at a time.

#include "upstream/httpresponseparser.h"

#include <QTest>

using namespace parlance;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(HttpResponseParser::Error)

namespace {

struct Parsed
{
    bool ok = true;
    bool complete = false;
    bool keepAlive = false;
    int status = 0;
    QByteArray body;
    HttpResponseParser::Error error = HttpResponseParser::Error::None;
};

Parsed parse(const QList<QByteArrayView> &pieces, bool eof, qsizetype maxHeader = 1024)
{
    HttpResponseParser parser(maxHeader);
    Parsed out;
    for (const QByteArrayView piece : pieces) {
        if (!parser.feed(piece, &out.body))
            break;
    }
    if (eof && parser.error() == HttpResponseParser::Error::None)
        (void)parser.finishAtEof();
    out.ok = parser.error() == HttpResponseParser::Error::None;
    out.error = parser.error();
    out.complete = parser.isComplete();
    out.keepAlive = parser.keepAlive();
    out.status = parser.headComplete() ? parser.head().status : 0;
    return out;
}

} // namespace

class TestHttpResponseParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesWholeSplitAndByteByByte_data();
    void parsesWholeSplitAndByteByByte();
    void headersAreCaseInsensitiveAndFoldedLinesJoin();
    void bytesAfterTheResponseForbidReuse();
    void resetParsesTheNextResponse();
};

void TestHttpResponseParser::parsesWholeSplitAndByteByByte_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<bool>("eof"); // the server closes after the bytes
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("complete");
    QTest::addColumn<bool>("keepAlive");
    QTest::addColumn<HttpResponseParser::Error>("error");
    using E = HttpResponseParser::Error;

    QTest::newRow("content-length") << "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"_ba
                                    << false << 200 << "hello"_ba << true << true << E::None;
    QTest::newRow("content-length zero") << "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"_ba
                                         << false << 200 << QByteArray() << true << true << E::None;
    QTest::newRow("chunked with extension and trailer")
        << "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
           "5;ext=1\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: t\r\n\r\n"_ba
        << false << 200 << "helloabcdefghijklmnopqrstuvwxyz"_ba << true << true << E::None;
    QTest::newRow("chunked SSE")
        << "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: "
           "chunked\r\n\r\n"
           "f\r\ndata: {\"a\":1}\n\n\r\ne\r\ndata: [DONE]\n\n\r\n0\r\n\r\n"_ba
        << false << 200 << "data: {\"a\":1}\n\ndata: [DONE]\n\n"_ba << true << true << E::None;
    QTest::newRow("bare LF line ends")
        << "HTTP/1.1 200 OK\ntransfer-encoding: chunked\n\n3\nabc\n0\n\n"_ba << false << 200
        << "abc"_ba << true << true << E::None;
    QTest::newRow("until close")
        << "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\r\ndata: x\n\n"_ba << true << 200
        << "data: x\n\n"_ba << true << false << E::None;
    QTest::newRow("connection close")
        << "HTTP/1.1 429 Too Many\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}"_ba << false
        << 429 << "{}"_ba << true << false << E::None;
    QTest::newRow("HTTP/1.0 without keep-alive")
        << "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx"_ba << false << 200 << "x"_ba << true
        << false << E::None;
    QTest::newRow("interim 100 continue is skipped")
        << "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"_ba << false
        << 200 << "ok"_ba << true << true << E::None;
    QTest::newRow("204 has no body") << "HTTP/1.1 204 No Content\r\n\r\n"_ba << false << 204
                                     << QByteArray() << true << true << E::None;
    QTest::newRow("cut inside a chunk")
        << "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n10\r\nonly part"_ba << true << 200
        << "only part"_ba << false << false << E::Truncated;
    QTest::newRow("cut inside content-length")
        << "HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc"_ba << true << 200 << "abc"_ba << false
        << false << E::Truncated;
    QTest::newRow("cut inside the headers") << "HTTP/1.1 200 OK\r\ncontent-"_ba << true << 0
                                            << QByteArray() << false << false << E::Truncated;
    QTest::newRow("headers too large")
        << "HTTP/1.1 200 OK\r\nx-big: "_ba + QByteArray(2000, 'a') + "\r\n\r\n"_ba << false << 0
        << QByteArray() << false << false << E::HeadersTooLarge;
    QTest::newRow("not HTTP") << "SSH-2.0-OpenSSH_9.2\r\n\r\n"_ba << false << 0 << QByteArray()
                              << false << false << E::Malformed;
    QTest::newRow("bad chunk size")
        << "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\nabc\r\n"_ba << false << 200
        << QByteArray() << false << false << E::Malformed;
    QTest::newRow("chunk longer than its size")
        << "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n"_ba << false
        << 200 << "ab"_ba << false << false << E::Malformed;
    QTest::newRow("conflicting content-length")
        << "HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\nabc"_ba << false << 0
        << QByteArray() << false << false << E::Malformed;
    QTest::newRow("header without colon") << "HTTP/1.1 200 OK\r\nbroken header\r\n\r\n"_ba << false
                                          << 0 << QByteArray() << false << false << E::Malformed;
}

void TestHttpResponseParser::parsesWholeSplitAndByteByByte()
{
    QFETCH(QByteArray, wire);
    QFETCH(bool, eof);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(bool, complete);
    QFETCH(bool, keepAlive);
    QFETCH(HttpResponseParser::Error, error);

    const auto check = [&](const Parsed &p, const QByteArray &how) {
        const QByteArray where = "fed " + how;
        QVERIFY2(p.error == error, where.constData());
        QVERIFY2(p.complete == complete, where.constData());
        QVERIFY2(p.keepAlive == keepAlive, where.constData());
        if (error != HttpResponseParser::Error::HeadersTooLarge
            && error != HttpResponseParser::Error::Malformed) {
            QVERIFY2(p.status == status, where.constData());
        }
        if (error == HttpResponseParser::Error::None
            || error == HttpResponseParser::Error::Truncated)
            QVERIFY2(p.body == body, QByteArray(where + ": " + p.body).constData());
    };
    check(parse({ wire }, eof), "whole");
    for (qsizetype split = 1; split < wire.size(); ++split) {
        const QByteArrayView view(wire);
        check(parse({ view.first(split), view.sliced(split) }, eof),
              "split at " + QByteArray::number(split));
    }
    QList<QByteArrayView> bytes;
    for (qsizetype i = 0; i < wire.size(); ++i)
        bytes.append(QByteArrayView(wire).sliced(i, 1));
    check(parse(bytes, eof), "byte by byte");
}

void TestHttpResponseParser::headersAreCaseInsensitiveAndFoldedLinesJoin()
{
    HttpResponseParser parser;
    QByteArray body;
    QVERIFY(parser.feed("HTTP/1.1 429 Slow Down\r\nRetry-After: 7\r\nX-Long: a\r\n  b\r\n"
                        "Content-Length: 0\r\n\r\n",
                        &body));
    QVERIFY(parser.isComplete());
    QCOMPARE(parser.head().status, 429);
    QCOMPARE(parser.head().reason, "Slow Down"_ba);
    QCOMPARE(parser.head().header("retry-after"), "7"_ba);
    QCOMPARE(parser.head().header("x-long"), "a b"_ba);
    QVERIFY(parser.head().header("missing").isEmpty());
}

void TestHttpResponseParser::bytesAfterTheResponseForbidReuse()
{
    HttpResponseParser parser;
    QByteArray body;
    QVERIFY(parser.feed("HTTP/1.1 200 OK\r\ncontent-length: 1\r\n\r\nxHTTP/1.1 200 OK\r\n", &body));
    QVERIFY(parser.isComplete());
    QCOMPARE(body, "x"_ba);
    QCOMPARE(parser.excessBytes(), qsizetype(17));
    QVERIFY(!parser.keepAlive());
}

void TestHttpResponseParser::resetParsesTheNextResponse()
{
    HttpResponseParser parser;
    QByteArray body;
    QVERIFY(parser.feed("HTTP/1.1 200 OK\r\ncontent-length: 1\r\n\r\na", &body));
    QVERIFY(parser.keepAlive());
    parser.reset();
    QVERIFY(!parser.headComplete());
    QVERIFY(parser.feed("HTTP/1.1 201 Created\r\ncontent-length: 1\r\n\r\nb", &body));
    QCOMPARE(parser.head().status, 201);
    QCOMPARE(body, "ab"_ba);
}

QTEST_GUILESS_MAIN(TestHttpResponseParser)
#include "tst_httpresponseparser.moc"
