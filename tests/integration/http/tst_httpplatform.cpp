// parlanced's HTTP platform seen from a client: one error shape everywhere,
// request ids, probes, the OpenAPI document matching the route table,
// authentication, the access log, --help, graceful shutdown, worker isolation
// and the spread of connections over event-loop threads.
#include "auth/accesstokenservice.h"
#include "auth/jwtkeyring.h"
#include "config/configloader.h"
#include "contract/apipaths.h"
#include "http/apiroutes.h"
#include "http/openapi.h"
#include "http/router.h"
#include "parlancedprocess.h"
#include "rawhttp.h"
#include "testhttpclient.h"

#include <QJsonArray>
#include <QMultiHash>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSet>
#include <QTcpSocket>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;
using parlance::test::ParlancedProcess;
using parlance::test::TestHttpClient;

class TestHttpPlatform : public QObject
{
    Q_OBJECT

private:
    ParlancedProcess m_server;
    std::unique_ptr<TestHttpClient> m_http;

    static void verifyErrorShape(const TestHttpClient::Reply &reply, int status,
                                 const QString &code)
    {
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.errorCode(), code);
        QVERIFY(!reply.json.value(u"error"_s).toObject().value(u"message"_s).toString().isEmpty());
        QVERIFY(reply.header("content-type").startsWith("application/json"));
    }

    // An access token signed with the key the test servers use.
    static QByteArray mintToken(const QString &userId)
    {
        auto ring = parlance::JwtKeyRing::create(
            { u"k1"_s,
              *parlance::JwtKeyRing::secretFromSpec(
                  QString::fromLatin1(ParlancedProcess::TestJwtKey)) });
        if (!ring.ok())
            return {};
        const parlance::AccessTokenService tokens(*ring);
        const auto issued = tokens.issue(userId, u"user"_s);
        return issued.ok() ? issued->token.toLatin1() : QByteArray();
    }

    // The access log (stdout, one JSON object per line) by request id.
    static QMultiHash<QString, QJsonObject> accessLogLines(ParlancedProcess &server)
    {
        QMultiHash<QString, QJsonObject> out;
        const QStringList lines = server.stdoutText().split(u'\n', Qt::SkipEmptyParts);
        for (const QString &line : lines) {
            const QJsonDocument doc = QJsonDocument::fromJson(line.toUtf8());
            if (doc.isObject() && doc.object().contains(u"request_id"_s))
                out.insert(doc.object().value(u"request_id"_s).toString(), doc.object());
        }
        return out;
    }

    // A request on its own connection, closed after the answer: each one is
    // a new 4-tuple for SO_REUSEPORT to place.
    static int getOnFreshConnection(quint16 port, const QByteArray &path,
                                    const QByteArray &requestId)
    {
        QTcpSocket socket;
        socket.connectToHost(u"127.0.0.1"_s, port);
        if (!socket.waitForConnected(5000))
            return 0;
        socket.write("GET " + path + " HTTP/1.1\r\nHost: x\r\nX-Request-Id: " + requestId
                     + "\r\nConnection: close\r\n\r\n");
        return rawhttp::statusOf(rawhttp::readUntilClosed(socket));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(
            m_server.start({ u"--test-hooks"_s, u"--threads"_s, u"2"_s, u"--workers"_s, u"2"_s }),
            qPrintable(m_server.errorText()));
        m_http = std::make_unique<TestHttpClient>(m_server.baseUrl());
    }

    void cleanupTestCase() { QCOMPARE(m_server.stop(), 0); }

    void healthzAnswersOk()
    {
        const auto reply = m_http->get(u"/healthz"_s);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json.value(u"status"_s).toString(), u"ok"_s);
    }

    void readyzAnswersReady()
    {
        const auto reply = m_http->get(u"/readyz"_s);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json.value(u"status"_s).toString(), u"ready"_s);
    }

    void readyzAnswers503WhenProbeFails()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"PARLANCE_TEST_NOT_READY"_s, u"1"_s);
        ParlancedProcess server(env);
        QVERIFY2(server.start({ u"--test-hooks"_s }), qPrintable(server.errorText()));
        const auto reply = TestHttpClient(server.baseUrl()).get(u"/readyz"_s);
        verifyErrorShape(reply, 503, u"service_unavailable"_s);
        QCOMPARE(reply.header("retry-after"), QByteArray("5"));
    }

    void errorShapes_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("unknown route") << QByteArray("GET") << u"/api/v1/nope"_s << QByteArray()
                                       << QByteArray() << 404 << u"not_found"_s;
        QTest::newRow("wrong method") << QByteArray("DELETE") << u"/healthz"_s << QByteArray()
                                      << QByteArray() << 405 << u"method_not_allowed"_s;
        QTest::newRow("malformed json")
            << QByteArray("POST") << u"/api/v1/_test/echo"_s << QByteArray("{\"a\":")
            << QByteArray("application/json") << 400 << u"malformed_json"_s;
        QTest::newRow("json not an object")
            << QByteArray("POST") << u"/api/v1/_test/echo"_s << QByteArray("[1,2]")
            << QByteArray("application/json") << 400 << u"malformed_json"_s;
        QTest::newRow("wrong content type")
            << QByteArray("POST") << u"/api/v1/_test/echo"_s << QByteArray("{}")
            << QByteArray("text/plain") << 415 << u"unsupported_media_type"_s;
        QTest::newRow("protected route without token")
            << QByteArray("GET") << u"/api/v1/_test/whoami"_s << QByteArray() << QByteArray() << 401
            << u"unauthenticated"_s;
    }

    void errorShapes()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, contentType);
        QFETCH(int, status);
        QFETCH(QString, code);
        TestHttpClient::Headers headers;
        if (!contentType.isEmpty())
            headers.emplaceBack("Content-Type", contentType);
        verifyErrorShape(m_http->request(method, path, body, headers), status, code);
    }

    void wrongMethodListsAllowedMethods()
    {
        const auto reply = m_http->request("POST", u"/healthz"_s);
        QCOMPARE(reply.status, 405);
        QCOMPARE(reply.header("allow"), QByteArray("GET"));
    }

    void validJsonIsEchoed()
    {
        const auto reply = m_http->request("POST", u"/api/v1/_test/echo"_s,
                                           QJsonObject { { u"title"_s, u"héllo"_s } });
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json.value(u"title"_s).toString(), u"héllo"_s);
    }

    void requestId_data()
    {
        QTest::addColumn<QByteArray>("sent");
        QTest::addColumn<bool>("echoed");
        QTest::newRow("sane id is echoed") << QByteArray("abc-123_X.y") << true;
        QTest::newRow("128 chars is echoed") << QByteArray(128, 'a') << true;
        QTest::newRow("129 chars is replaced") << QByteArray(129, 'a') << false;
        QTest::newRow("spaces are replaced") << QByteArray("a b") << false;
        QTest::newRow("quotes are replaced") << QByteArray("a\"b") << false;
        QTest::newRow("absent gets one") << QByteArray() << false;
    }

    void requestId()
    {
        QFETCH(QByteArray, sent);
        QFETCH(bool, echoed);
        TestHttpClient::Headers headers;
        if (!sent.isEmpty())
            headers.emplaceBack("X-Request-Id", sent);
        const QByteArray id = m_http->get(u"/healthz"_s, headers).header("x-request-id");
        if (echoed) {
            QCOMPARE(id, sent);
        } else {
            QVERIFY(id != sent);
            QVERIFY(
                QRegularExpression(u"^[0-9a-f]{32}$"_s).match(QString::fromLatin1(id)).hasMatch());
        }
    }

    void validBearerTokenAuthenticates()
    {
        const QByteArray token = mintToken(u"user-42"_s);
        QVERIFY(!token.isEmpty());
        const auto reply =
            m_http->get(u"/api/v1/_test/whoami"_s, { { "Authorization", "Bearer " + token } });
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json.value(u"user_id"_s).toString(), u"user-42"_s);

        const auto forged =
            m_http->get(u"/api/v1/_test/whoami"_s, { { "Authorization", "Bearer not.a.token" } });
        verifyErrorShape(forged, 401, u"invalid_token"_s);
    }

    void openApiListsEveryRegisteredRoute()
    {
        // The same registration main() runs; a route missing from the served
        // document (or a document not generated from the table) fails here.
        parlance::http::Router router;
        parlance::http::ApiDependencies deps;
        deps.system.testHooks = true;
        parlance::http::registerApiRoutes(router, deps);
        QVERIFY(router.routes().size() >= 3);

        const auto reply = m_http->get(u"/api/v1/openapi.json"_s);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json.value(u"openapi"_s).toString(), u"3.0.3"_s);
        const QJsonObject paths = reply.json.value(u"paths"_s).toObject();
        for (const auto &route : router.routes()) {
            const QString path = parlance::http::openApiPath(route.path, route.paramNames);
            const QString method = parlance::http::methodName(route.method).toString().toLower();
            const QJsonObject op = paths.value(path).toObject().value(method).toObject();
            QVERIFY2(!op.isEmpty(), qPrintable(method + u' ' + path + u" missing"_s));
            QCOMPARE(op.value(u"summary"_s).toString(), route.summary);
            QVERIFY(op.contains(u"security"_s));
        }
        QVERIFY(reply.json.value(u"components"_s)
                    .toObject()
                    .value(u"schemas"_s)
                    .toObject()
                    .contains(u"Error"_s));
    }

    void slowWorkerJobDoesNotDelayHealthz()
    {
        const auto before = m_server.stderrText().count(u"test-hook: sleeping"_s);
        QNetworkReply *slow = m_http->send("GET", u"/api/v1/_test/sleep?ms=2000"_s);
        // Wait until the slow job runs on a worker, so the order is certain.
        QTRY_VERIFY_WITH_TIMEOUT(m_server.stderrText().count(u"test-hook: sleeping"_s) > before,
                                 10'000);
        const auto fast = m_http->get(u"/healthz"_s);
        QCOMPARE(fast.status, 200);
        QVERIFY2(!slow->isFinished(), "the fast request waited for the slow worker job");
        QCOMPARE(TestHttpClient::wait(slow).status, 200);
    }

    // The same isolation for database work: with one of the two workers held
    // by the slow job, an authenticated, database-backed request is answered
    // by the other worker while the slow one is still running.
    void slowWorkerJobDoesNotDelayDatabaseRequests()
    {
        const QByteArray token = mintToken(u"user-slow-neighbour"_s);
        QVERIFY(!token.isEmpty());
        const TestHttpClient::Headers auth { { "Authorization", "Bearer " + token } };
        // Warm-up: the conversations query itself works for this user.
        QCOMPARE(m_http->get(QString(parlance::api::Conversations), auth).status, 200);

        const auto before = m_server.stderrText().count(u"test-hook: sleeping"_s);
        QNetworkReply *slow = m_http->send("GET", u"/api/v1/_test/sleep?ms=5000"_s);
        QTRY_VERIFY_WITH_TIMEOUT(m_server.stderrText().count(u"test-hook: sleeping"_s) > before,
                                 10'000);
        const auto list = m_http->get(QString(parlance::api::Conversations), auth);
        QCOMPARE(list.status, 200);
        QVERIFY(list.json.value(u"conversations"_s).isArray());
        QVERIFY2(!slow->isFinished(), "the database request waited for the slow worker job");
        QCOMPARE(TestHttpClient::wait(slow).status, 200);
    }

    // One JSON line per answered request, tied to the X-Request-Id the client
    // saw; the user for authenticated requests; and no secret from a body, a
    // query string or a header anywhere in the server's output.
    void accessLogHasOneJsonLinePerRequestAndNoSecrets()
    {
        ParlancedProcess server;
        QVERIFY2(
            server.start({ u"--argon2-memory-kib"_s, u"64"_s, u"--argon2-iterations"_s, u"1"_s }),
            qPrintable(server.errorText()));
        TestHttpClient http(server.baseUrl());
        const QString email = u"logged@example.com"_s;
        const QString password = u"pw-SECRET-in-the-body-7f3a"_s;

        struct Sent
        {
            QByteArray requestId;
            QByteArray method;
            QString path; // as logged: no query
            int status = 0;
        };
        QList<Sent> sent;
        const auto record = [&](const QByteArray &requestId, const QByteArray &method,
                                const QString &path, const TestHttpClient::Reply &reply) {
            // The id the client saw is the one to find in the log.
            sent.append({ reply.header("x-request-id"), method, path, reply.status });
            return requestId.isEmpty() || reply.header("x-request-id") == requestId;
        };

        const auto registered =
            http.request("POST", QString(parlance::api::AuthRegister),
                         QJsonObject { { u"email"_s, email }, { u"password"_s, password } },
                         { { "X-Request-Id", "log-register" } });
        QCOMPARE(registered.status, 201);
        QVERIFY(record("log-register", "POST", QString(parlance::api::AuthRegister), registered));
        const QString userId =
            registered.json.value(u"user"_s).toObject().value(u"id"_s).toString();
        QVERIFY(!userId.isEmpty());

        const auto login =
            http.request("POST", QString(parlance::api::AuthLogin),
                         QJsonObject { { u"email"_s, email }, { u"password"_s, password } },
                         { { "X-Request-Id", "log-login" } });
        QCOMPARE(login.status, 200);
        QVERIFY(record("log-login", "POST", QString(parlance::api::AuthLogin), login));
        const QByteArray access = login.json.value(u"access_token"_s).toString().toLatin1();
        const QByteArray refresh = login.json.value(u"refresh_token"_s).toString().toLatin1();
        QVERIFY(!access.isEmpty() && !refresh.isEmpty());

        const auto refreshed =
            http.request("POST", QString(parlance::api::AuthRefresh),
                         QJsonObject { { u"refresh_token"_s, QString::fromLatin1(refresh) } },
                         { { "X-Request-Id", "log-refresh" } });
        QCOMPARE(refreshed.status, 200);
        QVERIFY(record("log-refresh", "POST", QString(parlance::api::AuthRefresh), refreshed));
        const QByteArray newRefresh =
            refreshed.json.value(u"refresh_token"_s).toString().toLatin1();

        const auto list =
            http.get(QString(parlance::api::Conversations),
                     { { "Authorization", "Bearer " + access }, { "X-Request-Id", "log-list" } });
        QCOMPARE(list.status, 200);
        QVERIFY(record("log-list", "GET", QString(parlance::api::Conversations), list));

        // A stream URL with the token in its query (browsers' EventSource);
        // the message does not exist, the token is still in the URL.
        const QString streamPath = parlance::api::path(parlance::api::Stream, u"no-such-message"_s);
        const auto stream = http.get(streamPath + u"?access_token="_s + QString::fromLatin1(access),
                                     { { "X-Request-Id", "log-stream" } });
        QVERIFY(stream.status >= 400);
        QVERIFY(record("log-stream", "GET", streamPath, stream));

        // Without a client id, the server's own id is logged and echoed.
        const auto anonymous = http.get(u"/healthz"_s);
        QCOMPARE(anonymous.status, 200);
        QVERIFY(record({}, "GET", u"/healthz"_s, anonymous));

        QMultiHash<QString, QJsonObject> lines;
        const auto allLogged = [&] {
            lines = accessLogLines(server);
            for (const Sent &s : std::as_const(sent)) {
                if (!lines.contains(QString::fromLatin1(s.requestId)))
                    return false;
            }
            return true;
        };
        QTRY_VERIFY_WITH_TIMEOUT(allLogged(), 10'000);

        for (const Sent &s : std::as_const(sent)) {
            const QString id = QString::fromLatin1(s.requestId);
            QVERIFY(!id.isEmpty());
            QCOMPARE(lines.count(id), 1);
            const QJsonObject line = lines.value(id);
            QCOMPARE(line.value(u"method"_s).toString(), QString::fromLatin1(s.method));
            QCOMPARE(line.value(u"path"_s).toString(), s.path);
            QCOMPARE(line.value(u"status"_s).toInt(), s.status);
            QVERIFY2(line.value(u"duration_ms"_s).isDouble()
                         && line.value(u"duration_ms"_s).toDouble() >= 0,
                     qPrintable(id));
            QVERIFY(line.value(u"ts"_s).isString());
            QVERIFY(line.contains(u"user_id"_s));
        }
        QCOMPARE(lines.value(u"log-list"_s).value(u"user_id"_s).toString(), userId);
        // A token in the query authenticates like the header does.
        QCOMPARE(lines.value(u"log-stream"_s).value(u"user_id"_s).toString(), userId);
        QVERIFY(lines.value(u"log-register"_s).value(u"user_id"_s).isNull());
        QVERIFY(lines.value(QString::fromLatin1(anonymous.header("x-request-id")))
                    .value(u"user_id"_s)
                    .isNull());

        QCOMPARE(server.stop(), 0);
        const QString output = server.stdoutText() + server.stderrText();
        for (const QString &secret :
             { password, QString::fromLatin1(access), QString::fromLatin1(refresh),
               QString::fromLatin1(newRefresh), u"access_token="_s })
            QVERIFY2(!output.contains(secret), qPrintable(u"leaked: "_s + secret.left(12)));
    }

    // With --threads 2, new connections are spread over both event-loop
    // threads (the kernel's SO_REUSEPORT hash): the access log's thread label
    // shows which thread served each request.
    void connectionsAreServedByEveryEventLoopThread()
    {
        constexpr int Connections = 32; // all on one of 2 threads by chance: 2^-31
        for (int i = 0; i < Connections; ++i) {
            QCOMPARE(getOnFreshConnection(m_server.port(), "/healthz",
                                          "spread-" + QByteArray::number(i)),
                     200);
        }
        QSet<QString> threads;
        QMultiHash<QString, QJsonObject> lines;
        const auto allLogged = [&] {
            lines = accessLogLines(m_server);
            for (int i = 0; i < Connections; ++i) {
                if (!lines.contains(u"spread-%1"_s.arg(i)))
                    return false;
            }
            return true;
        };
        QTRY_VERIFY_WITH_TIMEOUT(allLogged(), 10'000);
        static const QRegularExpression label(u"^http-[01]$"_s);
        for (int i = 0; i < Connections; ++i) {
            const QString thread = lines.value(u"spread-%1"_s.arg(i)).value(u"thread"_s).toString();
            QVERIFY2(label.match(thread).hasMatch(), qPrintable(thread));
            threads.insert(thread);
        }
        QCOMPARE(threads.size(), 2);
    }

    // `parlanced --help` from the real binary documents the flags the issue
    // names, and every flag it documents is one the loader accepts (help
    // cannot go stale: it is generated from the loader's option table, and
    // this catches a hand-written line that is not).
    void helpDocumentsEveryFlag()
    {
        const auto result = m_server.runCommand({ u"--help"_s });
        QCOMPARE(result.exitCode, 0);
        const QString help = result.stdoutText;
        for (const QString &flag :
             { u"--listen HOST:PORT"_s, u"--data-dir DIR"_s, u"--database URL"_s,
               u"--config FILE"_s, u"--threads N"_s, u"--workers N"_s, u"--access-log FILE"_s,
               u"--models FILE"_s, u"--help"_s, u"--version"_s })
            QVERIFY2(help.contains(flag), qPrintable(flag));
        QCOMPARE(help, parlance::ConfigLoader::helpText(u"parlanced"_s) + u'\n');

        static const QRegularExpression flagLine(u"^  --([a-z0-9-]+)"_s,
                                                 QRegularExpression::MultilineOption);
        QStringList documented;
        for (auto it = flagLine.globalMatch(help); it.hasNext();)
            documented.append(it.next().captured(1));
        QVERIFY(documented.size() >= 20);
        for (const QString &name : std::as_const(documented)) {
            if (name == u"help" || name == u"version")
                continue;
            // Any value: a refused value is fine, an unknown option is not.
            const auto loaded = parlance::ConfigLoader::load({ u"--"_s + name, u"1"_s }, {});
            QVERIFY2(loaded.ok() || !loaded.error().message.contains(u"Unknown option"_s),
                     qPrintable(name));
            // Each has its environment variable next to it.
            const QString env = u"PARLANCE_"_s + QString(name).toUpper().replace(u'-', u'_');
            QVERIFY2(help.contains(u"env "_s + env), qPrintable(env));
        }
    }

    void sigtermLetsInFlightRequestFinishAndExitsZero()
    {
        ParlancedProcess server;
        QVERIFY2(server.start({ u"--test-hooks"_s }), qPrintable(server.errorText()));
        TestHttpClient http(server.baseUrl());
        QNetworkReply *slow = http.send("GET", u"/api/v1/_test/sleep?ms=1000"_s);
        QTRY_VERIFY_WITH_TIMEOUT(server.stderrText().contains(u"test-hook: sleeping"_s), 10'000);
        server.terminate();
        const auto reply = TestHttpClient::wait(slow);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json.value(u"slept_ms"_s).toInt(), 1000);
        QCOMPARE(server.waitForExit(), 0);
        // The access log recorded the request that finished during shutdown.
        QVERIFY(server.stdoutText().contains(u"\"path\":\"/api/v1/_test/sleep\""_s));
    }

    // SIGINT (Ctrl-C in a terminal) is a graceful stop like SIGTERM: the
    // listening sockets close at once, so new connections are refused while
    // the in-flight request still finishes, and the exit code is 0.
    void sigintStopsAcceptingLetsInFlightRequestFinishAndExitsZero()
    {
        ParlancedProcess server;
        QVERIFY2(server.start({ u"--test-hooks"_s, u"--threads"_s, u"2"_s }),
                 qPrintable(server.errorText()));
        const quint16 port = server.port();
        TestHttpClient http(server.baseUrl());
        QNetworkReply *slow = http.send("GET", u"/api/v1/_test/sleep?ms=4000"_s);
        QTRY_VERIFY_WITH_TIMEOUT(server.stderrText().contains(u"test-hook: sleeping"_s), 10'000);
        QCOMPARE(::kill(pid_t(server.pid()), SIGINT), 0);

        const auto refused = [port] {
            QTcpSocket socket;
            socket.connectToHost(u"127.0.0.1"_s, port);
            socket.waitForConnected(2000);
            return socket.error() == QAbstractSocket::ConnectionRefusedError;
        };
        QTRY_VERIFY_WITH_TIMEOUT(refused(), 3000);
        // Both threads' sockets are closed, not just the one this connect
        // was hashed to: ten more attempts, each a new source port.
        for (int i = 0; i < 10; ++i)
            QVERIFY(refused());
        QVERIFY2(!slow->isFinished(), "the in-flight request ended before the drain was seen");

        const auto reply = TestHttpClient::wait(slow);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json.value(u"slept_ms"_s).toInt(), 4000);
        QCOMPARE(server.waitForExit(), 0);
    }
};

QTEST_GUILESS_MAIN(TestHttpPlatform)
#include "tst_httpplatform.moc"
