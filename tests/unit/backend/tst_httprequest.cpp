// The upstream request: what goes on the wire, what is refused before it.

#include "upstream/httprequest.h"

#include <QTest>

using namespace parlance;
using namespace Qt::StringLiterals;

class TestHttpRequest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void serializeWritesTargetHostAndLength_data();
    void serializeWritesTargetHostAndLength();
    void absoluteFormCarriesTheUrlAndProxyCredentials();
    void setHeaderReplacesCaseInsensitively();
    void ourFramingHeadersWinOverCallers();
    void validateRefusesUnsendableRequests_data();
    void validateRefusesUnsendableRequests();
    void originIdentifiesSchemeHostAndPort();
};

void TestHttpRequest::serializeWritesTargetHostAndLength_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QByteArray>("startLine");
    QTest::addColumn<QByteArray>("host");
    QTest::newRow("explicit port")
        << u"http://127.0.0.1:8000/v1/chat/completions"_s << "POST /v1/chat/completions HTTP/1.1"_ba
        << "127.0.0.1:8000"_ba;
    QTest::newRow("https default port omitted")
        << u"https://api.example.com:443/v1/messages"_s << "POST /v1/messages HTTP/1.1"_ba
        << "api.example.com"_ba;
    QTest::newRow("query kept, path encoded")
        << u"http://h/a b/x?y=1&z=%2F"_s << "POST /a%20b/x?y=1&z=%2F HTTP/1.1"_ba
        << "h"_ba;
    QTest::newRow("ipv6 literal") << u"http://[::1]:9000/v1"_s << "POST /v1 HTTP/1.1"_ba
                                  << "[::1]:9000"_ba;
    QTest::newRow("empty path") << u"http://h"_s << "POST / HTTP/1.1"_ba
                                << "h"_ba;
}

void TestHttpRequest::serializeWritesTargetHostAndLength()
{
    QFETCH(QString, url);
    QFETCH(QByteArray, startLine);
    QFETCH(QByteArray, host);
    HttpRequest request;
    request.url = QUrl(url);
    request.setHeader("content-type", "application/json"_ba);
    request.body = "{}"_ba;
    QVERIFY(request.validate().ok());
    const QByteArray wire = request.serialize();
    QCOMPARE(wire,
             startLine + "\r\nhost: " + host
                 + "\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}");
}

void TestHttpRequest::absoluteFormCarriesTheUrlAndProxyCredentials()
{
    HttpRequest request;
    request.url = QUrl(u"http://vllm.lan:8000/v1/chat/completions"_s);
    const QByteArray wire = request.serialize(true, "Basic dTpw"_ba);
    QVERIFY2(wire.startsWith("POST http://vllm.lan:8000/v1/chat/completions HTTP/1.1\r\n"
                             "host: vllm.lan:8000\r\nproxy-authorization: Basic dTpw\r\n"),
             wire.constData());
}

void TestHttpRequest::setHeaderReplacesCaseInsensitively()
{
    HttpRequest request;
    request.setHeader("Anthropic-Version", "2023-06-01"_ba);
    request.setHeader("anthropic-version", "2099-01-01"_ba);
    QCOMPARE(request.headers.size(), 1);
    QCOMPARE(request.header("ANTHROPIC-VERSION"), "2099-01-01"_ba);
    QVERIFY(request.hasHeader("anthropic-version"));
    QVERIFY(!request.hasHeader("x-api-key"));
}

void TestHttpRequest::ourFramingHeadersWinOverCallers()
{
    HttpRequest request;
    request.url = QUrl(u"http://h/"_s);
    request.headers = { { "Host"_ba, "evil"_ba },
                        { "Content-Length"_ba, "999"_ba },
                        { "Transfer-Encoding"_ba, "chunked"_ba } };
    request.body = "abc"_ba;
    const QByteArray wire = request.serialize();
    QCOMPARE(wire, "POST / HTTP/1.1\r\nhost: h\r\ncontent-length: 3\r\n\r\nabc"_ba);
}

void TestHttpRequest::validateRefusesUnsendableRequests_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("value");
    QTest::newRow("ftp URL") << u"ftp://h/x"_s << "a"_ba
                             << "b"_ba;
    QTest::newRow("no host") << u"http:///x"_s << "a"_ba
                             << "b"_ba;
    QTest::newRow("CR LF in a value (header injection)") << u"http://h/"_s << "x-title"_ba
                                                         << "a\r\nx-evil: 1"_ba;
    QTest::newRow("LF in a name") << u"http://h/"_s << "x\nb"_ba
                                  << "v"_ba;
    QTest::newRow("colon in a name") << u"http://h/"_s << "x:y"_ba
                                     << "v"_ba;
    QTest::newRow("NUL in a value") << u"http://h/"_s << "x"_ba << QByteArray("a\0b", 3);
}

void TestHttpRequest::validateRefusesUnsendableRequests()
{
    QFETCH(QString, url);
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, value);
    HttpRequest request;
    request.url = QUrl(url);
    request.headers = { { name, value } };
    const Status status = request.validate();
    QVERIFY(!status.ok());
    QCOMPARE(status.error().code, u"invalid_field"_s);
}

void TestHttpRequest::originIdentifiesSchemeHostAndPort()
{
    const auto a = HttpOrigin::fromUrl(QUrl(u"https://API.example.com/v1"_s));
    const auto b = HttpOrigin::fromUrl(QUrl(u"https://api.example.com:443/other"_s));
    const auto c = HttpOrigin::fromUrl(QUrl(u"http://api.example.com/v1"_s));
    QVERIFY(a && b && c);
    QCOMPARE(*a, *b);
    QVERIFY(!(*a == *c));
    QCOMPARE(c->port, quint16(80));
    QCOMPARE(a->toString(), u"https://api.example.com:443"_s);
    QVERIFY(!HttpOrigin::fromUrl(QUrl(u"file:///etc/passwd"_s)));
}

QTEST_GUILESS_MAIN(TestHttpRequest)
#include "tst_httprequest.moc"
