// The upstream HTTP/1.1 client against scripted loopback servers: body
// framings, a chunked body split at every byte boundary, limits, keep-alive
// reuse counted in accepted connections, the stale-connection retry, TLS
// verification, and ProviderClient's outcomes when the server misbehaves.

#include "providers/providerclient.h"
#include "providers/providerstream.h"
#include "scriptedserver.h"
#include "upstream/connectionpool.h"
#include "upstream/httpexchange.h"

#include <QDeadlineTimer>
#include <QPointer>
#include <QProcess>
#include <QSslKey>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace parlance;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(HttpError::Kind)
Q_DECLARE_METATYPE(ProviderOutcome::Kind)
Q_DECLARE_METATYPE(ProviderOutcome::Cause)

namespace {

struct ExchangeRun
{
    bool sent = false;
    std::optional<HttpResponseHead> head;
    QByteArray body;
    std::optional<HttpError> error;
    bool retried = false;
};

// Runs the event loop until `done` holds; false after `timeoutMs` (a safety
// net against a hang, never a measurement). Unlike QTRY_*, it returns as
// soon as the condition holds instead of in 50 ms steps.
bool waitUntil(const std::function<bool()> &done, int timeoutMs = 10000)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!done() && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 10);
    return done();
}

HttpRequest postTo(const QString &url)
{
    HttpRequest request;
    request.url = QUrl(url);
    request.setHeader("content-type", "application/json"_ba);
    request.body = R"({"stream":true})"_ba;
    return request;
}

// Starts an exchange; `during` runs while it is in flight (after start).
ExchangeRun runExchange(ConnectionPool &pool, const QString &url,
                        const std::function<void(HttpExchange &)> &during = {})
{
    ExchangeRun run;
    HttpExchange exchange(&pool, postTo(url));
    QObject::connect(&exchange, &HttpExchange::requestSent, [&] { run.sent = true; });
    QObject::connect(&exchange, &HttpExchange::headReceived,
                     [&](const HttpResponseHead &head) { run.head = head; });
    QObject::connect(&exchange, &HttpExchange::bodyReceived,
                     [&](const QByteArray &data) { run.body += data; });
    QObject::connect(&exchange, &HttpExchange::finished,
                     [&](const HttpError &error) { run.error = error; });
    exchange.start();
    if (during)
        during(exchange);
    // A safety net against a hang, never a measurement.
    const QDeadlineTimer deadline(20000);
    while (!run.error && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    if (!run.error)
        run.error = HttpError { HttpError::Kind::Network, u"test: no answer in 20 s"_s, false };
    run.retried = exchange.retried();
    return run;
}

QString urlOf(const ScriptedServer &server, bool tls = false)
{
    return u"%1://127.0.0.1:%2/v1/chat"_s.arg(tls ? u"https"_s : u"http"_s).arg(server.port());
}

const QByteArray okResponse = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"_ba;

// An OpenAI-style SSE head and event, for ProviderClient rows.
const QByteArray sseHead =
    "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"_ba;
QByteArray chunk(const QByteArray &data)
{
    return QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n";
}
QByteArray deltaEvent(const QByteArray &text)
{
    return "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text + "\"}}]}\n\n";
}

// Sets proxy environment variables for one test and clears them after.
class ProxyEnv
{
public:
    ProxyEnv(const char *name, const QByteArray &value)
        : m_name(name)
    {
        qputenv(name, value);
    }
    ~ProxyEnv() { qunsetenv(m_name); }
    ProxyEnv(const ProxyEnv &) = delete;
    ProxyEnv &operator=(const ProxyEnv &) = delete;

private:
    const char *m_name;
};

// A CONNECT proxy that tunnels every request to one local port (whatever
// host the client named) and records the CONNECT lines.
class TunnelProxy : public QObject
{
public:
    explicit TunnelProxy(quint16 target)
        : m_target(target)
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *client = m_server.nextPendingConnection())
                tunnel(client);
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    [[nodiscard]] quint16 port() const { return m_server.serverPort(); }
    [[nodiscard]] const QList<QByteArray> &connectLines() const { return m_lines; }

private:
    void tunnel(QTcpSocket *client)
    {
        auto *upstream = new QTcpSocket(client);
        auto head = std::make_shared<QByteArray>();
        connect(client, &QIODevice::readyRead, client, [this, client, upstream, head] {
            if (upstream->state() != QAbstractSocket::UnconnectedState) {
                upstream->write(client->readAll());
                return;
            }
            *head += client->readAll();
            if (!head->contains("\r\n\r\n"))
                return;
            m_lines.append(head->left(head->indexOf("\r\n")));
            upstream->connectToHost(QHostAddress::LocalHost, m_target);
        });
        connect(upstream, &QAbstractSocket::connected, client,
                [client] { client->write("HTTP/1.1 200 Connection established\r\n\r\n"); });
        connect(upstream, &QIODevice::readyRead, client,
                [client, upstream] { client->write(upstream->readAll()); });
        connect(upstream, &QAbstractSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
        connect(client, &QAbstractSocket::disconnected, client, &QObject::deleteLater);
    }

    QTcpServer m_server;
    quint16 m_target;
    QList<QByteArray> m_lines;
};

} // namespace

class TestHttpClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bodyFramingsArriveWhole_data();
    void bodyFramingsArriveWhole();
    void requestCarriesHostAndContentLength();
    void chunkedBodySplitAtEveryByteBoundary();
    void headersOverTheCapFail();
    void sequentialExchangesReuseOneConnection();
    void connectionCloseIsNotReused();
    void idleConnectionClosedByServerIsDropped();
    void staleReusedConnectionIsRetriedOnce();
    void freshConnectionClosedBeforeResponseIsNotRetried();
    void refusedConnectionIsAnErrorValue();
    void unknownHostIsAnErrorValue();
    void abortClosesTheConnection();
    void releasedResponseIsDrainedThenReused();
    void drainThatNeverEndsClosesTheConnection();
    void idleConnectionsCloseAfterTheIdleTimeout();
    void idleConnectionsBeyondTheCapAreClosed();
    void destroyingThePoolEndsTheExchangeFromTheEventLoop();
    void selfSignedTlsFailsVerificationByDefault();
    void trustedTlsCertificateStreams();
    void plainHttpGoesToTheProxyWithTheFullUrl();
    void httpsTunnelsThroughTheProxyWithConnect();
    void loopbackBypassesTheProxy();
    void stalledTlsHandshakeHitsTheConnectTimeout();
    void providerOutcomeWhenServerMisbehaves_data();
    void providerOutcomeWhenServerMisbehaves();

private:
    bool makeCertificate();
    QTemporaryDir m_certDir;
    QString m_cert;
    QString m_key;
};

void TestHttpClient::bodyFramingsArriveWhole_data()
{
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<bool>("closeAfter");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("content-length") << "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world"_ba
                                    << false << "hello world"_ba;
    QTest::newRow("chunked") << sseHead + chunk("data: a\n\n") + chunk("data: b\n\n") + "0\r\n\r\n"
                             << false << "data: a\n\ndata: b\n\n"_ba;
    QTest::newRow("until close")
        << "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\r\ndata: x\n\n"_ba << true
        << "data: x\n\n"_ba;
}

void TestHttpClient::bodyFramingsArriveWhole()
{
    QFETCH(QByteArray, response);
    QFETCH(bool, closeAfter);
    QFETCH(QByteArray, body);
    ScriptedServer server;
    QVERIFY(server.listen());
    server.setHandler([&](QTcpSocket *socket, int, int) {
        socket->write(response);
        if (closeAfter)
            socket->disconnectFromHost();
    });
    ConnectionPool pool;
    const ExchangeRun run = runExchange(pool, urlOf(server));
    QVERIFY2(run.error->ok(), qPrintable(run.error->message));
    QVERIFY(run.sent);
    QCOMPARE(run.head->status, 200);
    QCOMPARE(run.body, body);
    // Framed bodies leave the connection for the next request.
    QTRY_COMPARE_WITH_TIMEOUT(pool.idleCount(), closeAfter ? 0 : 1, 10000);
}

void TestHttpClient::requestCarriesHostAndContentLength()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.setHandler([](QTcpSocket *socket, int, int) { socket->write(okResponse); });
    ConnectionPool pool;
    const ExchangeRun run = runExchange(pool, urlOf(server));
    QVERIFY(run.error->ok());
    const QByteArray request = server.lastRequest();
    QVERIFY2(request.startsWith(QByteArray("POST /v1/chat HTTP/1.1\r\nhost: 127.0.0.1:"
                                           + QByteArray::number(server.port()) + "\r\n")),
             request.constData());
    QVERIFY(request.contains("\r\ncontent-length: 15\r\n"));
    QVERIFY(request.contains("\r\ncontent-type: application/json\r\n"));
    QVERIFY(request.endsWith("\r\n\r\n{\"stream\":true}"));
}

void TestHttpClient::chunkedBodySplitAtEveryByteBoundary()
{
    const QByteArray response = sseHead + chunk(deltaEvent("Hel")) + chunk(deltaEvent("lo"))
        + chunk("data: [DONE]\n\n") + "0\r\n\r\n";
    const QByteArray expected = deltaEvent("Hel") + deltaEvent("lo") + "data: [DONE]\n\n";
    ScriptedServer server;
    QVERIFY(server.listen());
    QPointer<QTcpSocket> peer;
    server.setHandler([&](QTcpSocket *socket, int, int) { peer = socket; });
    ConnectionPool pool;
    for (qsizetype split = 1; split < response.size(); ++split) {
        peer.clear();
        const ExchangeRun run = runExchange(pool, urlOf(server), [&](HttpExchange &exchange) {
            QVERIFY(waitUntil([&] { return !peer.isNull(); }));
            peer->write(response.first(split));
            // The client has read exactly the first part before the rest
            // exists: the split is real, whatever TCP does.
            QVERIFY(waitUntil([&] { return exchange.responseBytes() == split; }));
            peer->write(response.sliced(split));
        });
        QVERIFY2(run.error->ok(), qPrintable(u"split %1: %2"_s.arg(split).arg(run.error->message)));
        QCOMPARE(run.body, expected);
    }
    // Every response was complete and keep-alive: one connection for all.
    QCOMPARE(server.accepted(), 1);
    QCOMPARE(pool.connectionsOpened(), qint64(1));
}

void TestHttpClient::headersOverTheCapFail()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.setHandler([](QTcpSocket *socket, int, int) {
        socket->write("HTTP/1.1 200 OK\r\nx-padding: " + QByteArray(70 * 1024, 'a')
                      + "\r\ncontent-length: 0\r\n\r\n");
    });
    ConnectionPool pool;
    const ExchangeRun run = runExchange(pool, urlOf(server));
    QCOMPARE(HttpError::kindName(run.error->kind),
             HttpError::kindName(HttpError::Kind::HeadersTooLarge));
    QVERIFY(!run.head.has_value());
    QCOMPARE(pool.connectionCount(), 0);
}

void TestHttpClient::sequentialExchangesReuseOneConnection()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.setHandler([](QTcpSocket *socket, int, int) { socket->write(okResponse); });
    ConnectionPool pool;
    for (int i = 0; i < 3; ++i) {
        const ExchangeRun run = runExchange(pool, urlOf(server));
        QVERIFY(run.error->ok());
        QCOMPARE(run.body, "ok"_ba);
        QVERIFY(!run.retried);
    }
    QCOMPARE(server.accepted(), 1);
    QCOMPARE(server.requests(), 3);
    QCOMPARE(pool.idleCount(), 1);
}

void TestHttpClient::connectionCloseIsNotReused()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.setHandler([](QTcpSocket *socket, int, int) {
        socket->write("HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 2\r\n\r\nok");
    });
    ConnectionPool pool;
    QVERIFY(runExchange(pool, urlOf(server)).error->ok());
    QCOMPARE(pool.idleCount(), 0);
    QVERIFY(runExchange(pool, urlOf(server)).error->ok());
    QCOMPARE(server.accepted(), 2);
}

void TestHttpClient::idleConnectionClosedByServerIsDropped()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.setHandler([](QTcpSocket *socket, int, int) {
        socket->write(okResponse);
        socket->disconnectFromHost(); // after the response, without saying so
    });
    ConnectionPool pool;
    QVERIFY(runExchange(pool, urlOf(server)).error->ok());
    QTRY_COMPARE_WITH_TIMEOUT(pool.connectionCount(), 0, 10000);
    const ExchangeRun second = runExchange(pool, urlOf(server));
    QVERIFY(second.error->ok());
    QVERIFY(!second.retried);
    QCOMPARE(server.accepted(), 2);
}

void TestHttpClient::staleReusedConnectionIsRetriedOnce()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    // The first connection answers once, then closes on the next request
    // without a byte: what a server's keep-alive timeout racing our reuse
    // looks like.
    server.setHandler([](QTcpSocket *socket, int connection, int request) {
        if (connection == 0 && request == 1)
            socket->abort();
        else
            socket->write(okResponse);
    });
    ConnectionPool pool;
    QVERIFY(runExchange(pool, urlOf(server)).error->ok());
    QCOMPARE(pool.idleCount(), 1);
    const ExchangeRun second = runExchange(pool, urlOf(server));
    QVERIFY2(second.error->ok(), qPrintable(second.error->message));
    QVERIFY(second.retried);
    QCOMPARE(second.body, "ok"_ba);
    QCOMPARE(server.accepted(), 2);
    QCOMPARE(server.requests(), 3);
}

void TestHttpClient::freshConnectionClosedBeforeResponseIsNotRetried()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.setHandler([](QTcpSocket *socket, int, int) { socket->abort(); });
    ConnectionPool pool;
    const ExchangeRun run = runExchange(pool, urlOf(server));
    QVERIFY(!run.error->ok());
    QVERIFY(run.error->beforeResponse);
    QVERIFY(!run.retried);
    QCOMPARE(server.requests(), 1);
}

void TestHttpClient::refusedConnectionIsAnErrorValue()
{
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    }
    ConnectionPool pool;
    const ExchangeRun run = runExchange(pool, u"http://127.0.0.1:%1/v1"_s.arg(port));
    QCOMPARE(HttpError::kindName(run.error->kind),
             HttpError::kindName(HttpError::Kind::ConnectionRefused));
    QVERIFY(!run.sent);
}

void TestHttpClient::unknownHostIsAnErrorValue()
{
    // .invalid never resolves (RFC 6761).
    ConnectionPool pool;
    const ExchangeRun run = runExchange(pool, u"http://parlance-upstream-test.invalid/v1"_s);
    QCOMPARE(HttpError::kindName(run.error->kind),
             HttpError::kindName(HttpError::Kind::HostNotFound));
    QVERIFY(run.error->beforeResponse);
}

void TestHttpClient::abortClosesTheConnection()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    QPointer<QTcpSocket> peer;
    server.setHandler([&](QTcpSocket *socket, int, int) {
        peer = socket;
        socket->write(sseHead + chunk("data: a\n\n"));
    });
    ConnectionPool pool;
    bool gotBody = false;
    {
        HttpExchange exchange(&pool, postTo(urlOf(server)));
        connect(&exchange, &HttpExchange::bodyReceived, this, [&] { gotBody = true; });
        exchange.start();
        QTRY_VERIFY_WITH_TIMEOUT(gotBody, 10000);
        exchange.abort();
    }
    QCOMPARE(pool.connectionCount(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(!peer || peer->state() != QAbstractSocket::ConnectedState, 10000);
}

void TestHttpClient::releasedResponseIsDrainedThenReused()
{
    // The SSE terminator arrives before the chunked body's end: the caller
    // lets go, the pool reads the rest and keeps the connection.
    ScriptedServer server;
    QVERIFY(server.listen());
    QPointer<QTcpSocket> peer;
    server.setHandler([&](QTcpSocket *socket, int, int request) {
        if (request == 0) {
            peer = socket;
            socket->write(sseHead + chunk("data: [DONE]\n\n"));
        } else {
            socket->write(okResponse);
        }
    });
    ConnectionPool pool;
    {
        HttpExchange exchange(&pool, postTo(urlOf(server)));
        bool gotBody = false;
        connect(&exchange, &HttpExchange::bodyReceived, this, [&] { gotBody = true; });
        exchange.start();
        QVERIFY(waitUntil([&] { return gotBody; }));
        exchange.release();
    }
    QCOMPARE(pool.connectionCount(), 1);
    QCOMPARE(pool.idleCount(), 0); // still draining
    peer->write("0\r\n\r\n");
    QVERIFY(waitUntil([&] { return pool.idleCount() == 1; }));
    QVERIFY(runExchange(pool, urlOf(server)).error->ok());
    QCOMPARE(server.accepted(), 1);
}

void TestHttpClient::drainThatNeverEndsClosesTheConnection()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.setHandler(
        [](QTcpSocket *socket, int, int) { socket->write(sseHead + chunk("data: x\n\n")); });
    ConnectionPool::Options options;
    options.drainTimeoutMs = 50;
    ConnectionPool pool(options);
    {
        HttpExchange exchange(&pool, postTo(urlOf(server)));
        bool gotBody = false;
        connect(&exchange, &HttpExchange::bodyReceived, this, [&] { gotBody = true; });
        exchange.start();
        QVERIFY(waitUntil([&] { return gotBody; }));
        exchange.release();
    }
    QCOMPARE(pool.connectionCount(), 1);
    QVERIFY(waitUntil([&] { return pool.connectionCount() == 0; }));
    QCOMPARE(pool.idleCount(), 0);
}

void TestHttpClient::idleConnectionsCloseAfterTheIdleTimeout()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.setHandler([](QTcpSocket *socket, int, int) { socket->write(okResponse); });
    ConnectionPool::Options options;
    options.idleTimeoutMs = 50;
    ConnectionPool pool(options);
    QVERIFY(runExchange(pool, urlOf(server)).error->ok());
    QVERIFY(waitUntil([&] { return pool.connectionCount() == 0; }));
    QVERIFY(runExchange(pool, urlOf(server)).error->ok());
    QCOMPARE(server.accepted(), 2);
}

void TestHttpClient::idleConnectionsBeyondTheCapAreClosed()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    QList<QPointer<QTcpSocket>> held;
    server.setHandler([&](QTcpSocket *socket, int, int) { held.append(socket); });
    ConnectionPool::Options options;
    options.maxIdlePerOrigin = 2;
    ConnectionPool pool(options);
    // Three at once: three connections, no per-host limit.
    std::vector<std::unique_ptr<HttpExchange>> exchanges;
    int finished = 0;
    for (int i = 0; i < 3; ++i) {
        exchanges.push_back(std::make_unique<HttpExchange>(&pool, postTo(urlOf(server))));
        connect(exchanges.back().get(), &HttpExchange::finished, this, [&] { ++finished; });
        exchanges.back()->start();
    }
    QVERIFY(waitUntil([&] { return held.size() == 3; }));
    QCOMPARE(pool.connectionCount(), 3);
    for (const auto &socket : std::as_const(held))
        socket->write(okResponse);
    QVERIFY(waitUntil([&] { return finished == 3; }));
    for (const auto &exchange : exchanges)
        exchange->release();
    QCOMPARE(pool.idleCount(), 2);
    QCOMPARE(pool.connectionCount(), 2);
}

void TestHttpClient::destroyingThePoolEndsTheExchangeFromTheEventLoop()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.setHandler([](QTcpSocket *socket, int, int) { socket->write(sseHead); });
    auto pool = std::make_unique<ConnectionPool>();
    HttpExchange exchange(pool.get(), postTo(urlOf(server)));
    std::optional<HttpError> error;
    connect(&exchange, &HttpExchange::finished, this, [&](const HttpError &e) { error = e; });
    exchange.start();
    QVERIFY(waitUntil([&] { return exchange.headArrived(); }));
    pool.reset();
    QVERIFY(!error.has_value()); // never from inside the pool's destructor
    QVERIFY(waitUntil([&] { return error.has_value(); }));
    QCOMPARE(HttpError::kindName(error->kind), HttpError::kindName(HttpError::Kind::Shutdown));
}

bool TestHttpClient::makeCertificate()
{
    if (!m_cert.isEmpty())
        return true;
    if (!m_certDir.isValid())
        return false;
    m_cert = m_certDir.filePath(u"server.crt"_s);
    m_key = m_certDir.filePath(u"server.key"_s);
    // Made at test time, the way tst_httptls does: nothing secret is
    // committed, and it never expires in the repository.
    QProcess openssl;
    openssl.start(u"openssl"_s,
                  { u"req"_s, u"-x509"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s,
                    u"ec_paramgen_curve:prime256v1"_s, u"-nodes"_s, u"-days"_s, u"2"_s, u"-subj"_s,
                    u"/CN=127.0.0.1"_s, u"-addext"_s,
                    u"subjectAltName=IP:127.0.0.1,DNS:provider.example.test"_s, u"-keyout"_s, m_key,
                    u"-out"_s, m_cert });
    return openssl.waitForFinished(60000) && openssl.exitCode() == 0;
}

static std::unique_ptr<QTcpServer> sslServer(const QString &certPath, const QString &keyPath)
{
    QFile certFile(certPath);
    QFile keyFile(keyPath);
    if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly))
        return nullptr;
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificate(QSslCertificate(certFile.readAll(), QSsl::Pem));
    config.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Ec, QSsl::Pem));
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    auto server = std::make_unique<QSslServer>();
    server->setSslConfiguration(config);
    return server;
}

void TestHttpClient::selfSignedTlsFailsVerificationByDefault()
{
    QVERIFY2(makeCertificate(), "openssl could not make a certificate");
    ScriptedServer server(sslServer(m_cert, m_key));
    QVERIFY(server.listen());
    server.setHandler([](QTcpSocket *socket, int, int) { socket->write(okResponse); });
    ConnectionPool pool; // system CAs only
    const ExchangeRun run = runExchange(pool, urlOf(server, true));
    QCOMPARE(HttpError::kindName(run.error->kind), HttpError::kindName(HttpError::Kind::Tls));
    QVERIFY2(run.error->message.contains(u"self"_s, Qt::CaseInsensitive),
             qPrintable(run.error->message));
    QCOMPARE(server.requests(), 0);

    // The same through a provider client: could not reach the provider.
    const auto client = ProviderClient::create(ProviderKind::OpenAiCompatible);
    DeploymentEndpoint endpoint;
    endpoint.name = u"tls"_s;
    endpoint.baseUrl = QUrl(u"https://127.0.0.1:%1/v1"_s.arg(server.port()));
    endpoint.apiKey = u"sk-test-key"_s;
    endpoint.upstreamModel = u"m"_s;
    ProviderRequest request;
    request.messages = { ProviderMessage::text(Message::Role::User, u"hi"_s) };
    std::unique_ptr<ProviderStream> stream(client->stream(endpoint, request));
    std::optional<ProviderOutcome> outcome;
    connect(stream.get(), &ProviderStream::finished, this,
            [&](const ProviderOutcome &o) { outcome = o; });
    QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 20000);
    QCOMPARE(outcome->kind, ProviderOutcome::Kind::Retryable);
    QCOMPARE(outcome->cause, ProviderOutcome::Cause::ConnectFailed);
    QVERIFY2(outcome->error.message.contains(u"TLS"_s), qPrintable(outcome->error.message));
}

void TestHttpClient::trustedTlsCertificateStreams()
{
    QVERIFY2(makeCertificate(), "openssl could not make a certificate");
    ScriptedServer server(sslServer(m_cert, m_key));
    QVERIFY(server.listen());
    server.setHandler([](QTcpSocket *socket, int, int) { socket->write(okResponse); });
    ConnectionPool::Options options;
    options.tls.addCaCertificates(m_cert);
    ConnectionPool pool(options);
    for (int i = 0; i < 2; ++i) {
        const ExchangeRun run = runExchange(pool, urlOf(server, true));
        QVERIFY2(run.error->ok(), qPrintable(run.error->message));
        QCOMPARE(run.body, "ok"_ba);
    }
    QCOMPARE(server.accepted(), 1); // TLS connections are kept alive too
    QVERIFY(runExchange(pool, urlOf(server, true)).sent); // requestSent counts plaintext
}

void TestHttpClient::plainHttpGoesToTheProxyWithTheFullUrl()
{
    ScriptedServer proxy;
    QVERIFY(proxy.listen());
    proxy.setHandler([](QTcpSocket *socket, int, int) { socket->write(okResponse); });
    const ProxyEnv env("http_proxy",
                       "http://user:pa55@127.0.0.1:" + QByteArray::number(proxy.port()));
    ConnectionPool pool; // proxies are resolved per pool and origin
    // The name never resolves: only the proxy can have answered.
    const ExchangeRun run = runExchange(pool, u"http://provider.example.test:8000/v1/chat"_s);
    QVERIFY2(run.error->ok(), qPrintable(run.error->message));
    QCOMPARE(run.body, "ok"_ba);
    const QByteArray request = proxy.lastRequest();
    QVERIFY2(request.startsWith("POST http://provider.example.test:8000/v1/chat HTTP/1.1\r\n"
                                "host: provider.example.test:8000\r\n"),
             request.constData());
    QVERIFY(request.contains(QByteArray("\r\nproxy-authorization: Basic "
                                        + QByteArray("user:pa55").toBase64() + "\r\n")));
}

void TestHttpClient::httpsTunnelsThroughTheProxyWithConnect()
{
    QVERIFY2(makeCertificate(), "openssl could not make a certificate");
    ScriptedServer server(sslServer(m_cert, m_key));
    QVERIFY(server.listen());
    server.setHandler([](QTcpSocket *socket, int, int) { socket->write(okResponse); });
    TunnelProxy proxy(server.port());
    QVERIFY(proxy.listen());
    const ProxyEnv env("https_proxy", "http://127.0.0.1:" + QByteArray::number(proxy.port()));
    ConnectionPool::Options options;
    options.tls.addCaCertificates(m_cert);
    ConnectionPool pool(options);
    // TLS is end to end: the certificate is verified for the provider's
    // name, not the proxy's.
    const ExchangeRun run = runExchange(pool, u"https://provider.example.test/v1/chat"_s);
    QVERIFY2(run.error->ok(), qPrintable(run.error->message));
    QCOMPARE(run.body, "ok"_ba);
    QCOMPARE(proxy.connectLines().size(), 1);
    QVERIFY2(proxy.connectLines().first().startsWith("CONNECT provider.example.test:443 "),
             proxy.connectLines().first().constData());
}

void TestHttpClient::loopbackBypassesTheProxy()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.setHandler([](QTcpSocket *socket, int, int) { socket->write(okResponse); });
    const ProxyEnv env("http_proxy", "http://127.0.0.1:9"); // nothing listens there
    ConnectionPool pool;
    const ExchangeRun run = runExchange(pool, urlOf(server));
    QVERIFY2(run.error->ok(), qPrintable(run.error->message));
    QCOMPARE(server.requests(), 1);
}

void TestHttpClient::stalledTlsHandshakeHitsTheConnectTimeout()
{
    // A plain TCP server that accepts and says nothing: the TLS handshake
    // never ends, so the request is never written.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    const auto client = ProviderClient::create(ProviderKind::Anthropic);
    DeploymentEndpoint endpoint;
    endpoint.kind = ProviderKind::Anthropic;
    endpoint.name = u"silent"_s;
    endpoint.baseUrl = QUrl(u"https://127.0.0.1:%1/v1"_s.arg(silent.serverPort()));
    endpoint.apiKey = u"sk-test-key"_s;
    endpoint.upstreamModel = u"m"_s;
    endpoint.connectTimeoutMs = 200;
    endpoint.firstTokenTimeoutMs = 60000;
    ProviderRequest request;
    request.messages = { ProviderMessage::text(Message::Role::User, u"hi"_s) };
    std::unique_ptr<ProviderStream> stream(client->stream(endpoint, request));
    std::optional<ProviderOutcome> outcome;
    connect(stream.get(), &ProviderStream::finished, this,
            [&](const ProviderOutcome &o) { outcome = o; });
    QVERIFY(waitUntil([&] { return outcome.has_value(); }, 30000));
    QCOMPARE(outcome->kind, ProviderOutcome::Kind::Retryable);
    QCOMPARE(ProviderOutcome::causeName(outcome->cause),
             ProviderOutcome::causeName(ProviderOutcome::Cause::ConnectTimeout));
    QCOMPARE(client->connectionCount(), 0); // the half-open connection was closed
}

void TestHttpClient::providerOutcomeWhenServerMisbehaves_data()
{
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<ProviderOutcome::Kind>("kind");
    QTest::addColumn<ProviderOutcome::Cause>("cause");
    QTest::addColumn<QString>("text");
    using K = ProviderOutcome::Kind;
    using C = ProviderOutcome::Cause;
    QTest::newRow("closes mid-body after a token")
        << sseHead + chunk(deltaEvent("Hi")) << K::Interrupted << C::Disconnected << u"Hi"_s;
    QTest::newRow("closes after the head")
        << sseHead << K::Retryable << C::Disconnected << QString();
    QTest::newRow("closes inside a chunk")
        << sseHead + "40\r\ndata: {\"choi" << K::Retryable << C::Disconnected << QString();
    QTest::newRow("closes before the status")
        << QByteArray() << K::Retryable << C::ConnectFailed << QString();
    QTest::newRow("answers garbage")
        << "SMTP ready\r\n\r\n"_ba << K::Retryable << C::MalformedStream << QString();
    QTest::newRow("clean end without terminator") << sseHead + chunk(deltaEvent("Hi")) + "0\r\n\r\n"
                                                  << K::Interrupted << C::Disconnected << u"Hi"_s;
    QTest::newRow("complete until close")
        << "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\r\n"_ba + deltaEvent("Yo")
            + "data: [DONE]\n\n"
        << K::Complete << C::None << u"Yo"_s;
}

void TestHttpClient::providerOutcomeWhenServerMisbehaves()
{
    QFETCH(QByteArray, response);
    QFETCH(ProviderOutcome::Kind, kind);
    QFETCH(ProviderOutcome::Cause, cause);
    QFETCH(QString, text);
    ScriptedServer server;
    QVERIFY(server.listen());
    server.setHandler([&](QTcpSocket *socket, int, int) {
        socket->write(response);
        socket->disconnectFromHost();
    });
    const auto client = ProviderClient::create(ProviderKind::OpenAiCompatible);
    DeploymentEndpoint endpoint;
    endpoint.name = u"scripted"_s;
    endpoint.baseUrl = QUrl(u"http://127.0.0.1:%1/v1"_s.arg(server.port()));
    endpoint.apiKey = u"sk-test-key"_s;
    endpoint.upstreamModel = u"m"_s;
    ProviderRequest request;
    request.messages = { ProviderMessage::text(Message::Role::User, u"hi"_s) };
    std::unique_ptr<ProviderStream> stream(client->stream(endpoint, request));
    std::optional<ProviderOutcome> outcome;
    connect(stream.get(), &ProviderStream::finished, this,
            [&](const ProviderOutcome &o) { outcome = o; });
    QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 20000);
    QVERIFY2(outcome->kind == kind,
             qPrintable(ProviderOutcome::kindName(outcome->kind) + u' '
                        + ProviderOutcome::causeName(outcome->cause) + u' '
                        + outcome->error.message));
    QCOMPARE(ProviderOutcome::causeName(outcome->cause), ProviderOutcome::causeName(cause));
    QCOMPARE(stream->text(), text);
    QVERIFY(!outcome->error.message.contains(u"sk-test-key"_s));
    QCOMPARE(server.requests(), 1); // a fresh connection is never retried
}

QTEST_GUILESS_MAIN(TestHttpClient)
#include "tst_httpclient.moc"
