// Generation and streaming end to end: parlanced and the provider simulator
// as real processes on ephemeral ports, on SQLite and on PostgreSQL
// (parlance_add_server_test). Users register through the API; the tests read
// usage records from the server's own database.
#include "contract/apipaths.h"
#include "generation/usagerecordrepository.h"
#include "parlancedprocess.h"
#include "simprocess.h"
#include "storage/database.h"
#include "streamtestclient.h"
#include "testhttpclient.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <QWebSocket>

#include <atomic>
#include <tuple>

using namespace Qt::StringLiterals;
using namespace parlance;
using namespace parlance::test;

namespace {
QJsonArray textContent(const QString &text)
{
    return QJsonArray { QJsonObject { { u"type"_s, u"text"_s }, { u"text"_s, text } } };
}
} // namespace

class TestStreaming : public QObject
{
    Q_OBJECT

    SimProcess m_sim;
    ParlancedProcess m_server;
    QTemporaryDir m_dir;
    std::unique_ptr<TestHttpClient> m_http;
    QByteArray m_alice;
    QByteArray m_bob;
    QString m_aliceId;
    QString m_bobId;

    // The server's database, opened from the test (SQLite file or PostgreSQL).
    std::unique_ptr<Database> openDatabase()
    {
        const QString url =
            m_server.databaseUrl().isEmpty() ? u"sqlite:parlance.db"_s : m_server.databaseUrl();
        auto parsed = DatabaseUrl::parse(url, m_server.dataDir());
        if (!parsed)
            return nullptr;
        return std::make_unique<Database>(*parsed);
    }

    // Registers through the public API: id and access token.
    std::pair<QString, QByteArray> registerUser(const QString &email)
    {
        const auto reply = m_http->request(
            "POST", QString(api::AuthRegister),
            QJsonObject { { u"email"_s, email }, { u"password"_s, u"correct horse battery"_s } });
        if (reply.status != 201)
            qWarning() << "register" << reply.status << reply.body;
        return { reply.json.value(u"user"_s).toObject().value(u"id"_s).toString(),
                 reply.json.value(u"access_token"_s).toString().toLatin1() };
    }

    TestHttpClient::Reply as(const QByteArray &token, const QByteArray &method, const QString &path,
                             const QJsonObject &body = {})
    {
        const TestHttpClient::Headers auth { { "Authorization", "Bearer " + token } };
        if (method == "GET" || (method == "POST" && body.isEmpty()))
            return m_http->request(method, path, QByteArray(), auth);
        return m_http->request(method, path, body, auth);
    }

    struct WsRead
    {
        QList<QJsonObject> frames;
        int closeCode = 0;
        QString text() const
        {
            QString out;
            for (const QJsonObject &f : frames) {
                if (f.value(u"event"_s).toString() == u"delta")
                    out += f.value(u"data"_s).toObject().value(u"text"_s).toString();
            }
            return out;
        }
    };

    // Opens the WebSocket form of a stream and reads until the server closes.
    WsRead followWs(const QString &path, const QString &origin, const QString &firstMessage = {})
    {
        WsRead out;
        QWebSocket socket(origin);
        QEventLoop loop;
        connect(&socket, &QWebSocket::textMessageReceived, &loop, [&](const QString &text) {
            out.frames.append(QJsonDocument::fromJson(text.toUtf8()).object());
        });
        connect(&socket, &QWebSocket::connected, &loop, [&] {
            if (!firstMessage.isEmpty())
                socket.sendTextMessage(firstMessage);
        });
        connect(&socket, &QWebSocket::disconnected, &loop, &QEventLoop::quit);
        QTimer::singleShot(20'000, &loop, &QEventLoop::quit);
        socket.open(QUrl(u"ws://127.0.0.1:%1%2"_s.arg(m_server.port()).arg(path)));
        loop.exec();
        out.closeCode = socket.closeCode();
        return out;
    }

    QString newConversation(const QString &model, const QByteArray &token = {})
    {
        const auto reply = as(token.isEmpty() ? m_alice : token, "POST",
                              QString(api::Conversations), { { u"model"_s, model } });
        return reply.json.value(u"id"_s).toString();
    }

    // Posts a message; returns the reply (201 with assistant_message_id).
    TestHttpClient::Reply post(const QString &conversation, const QString &text)
    {
        return as(m_alice, "POST", api::path(api::ConversationMessages, conversation),
                  { { u"content"_s, textContent(text) } });
    }

    StreamRead follow(const QString &messageId, int maxEvents = -1,
                      std::optional<QByteArray> lastEventId = std::nullopt,
                      const QString &query = {})
    {
        StreamRequest request;
        request.path = api::path(api::Stream, messageId) + query;
        request.token = m_alice;
        request.lastEventIdHeader = lastEventId;
        request.maxEvents = maxEvents;
        return readStream(m_server.port(), request);
    }

    QJsonObject storedMessage(const QString &id)
    {
        return as(m_alice, "GET", api::path(api::Message, id)).json;
    }

    static QString storedText(const QJsonObject &message)
    {
        QString out;
        for (const auto &part : message.value(u"content"_s).toArray())
            out += part.toObject().value(u"text"_s).toString();
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_sim.start(
            { u"--config"_s, QStringLiteral(PARLANCE_TEST_DATA_DIR "/streaming/sim.json") }),
            qPrintable(m_sim.errorString()));
        QFile templ(QStringLiteral(PARLANCE_TEST_DATA_DIR "/streaming/catalog.json"));
        QVERIFY(templ.open(QIODevice::ReadOnly));
        QByteArray catalog = templ.readAll();
        catalog.replace("@SIM_PORT@", QByteArray::number(m_sim.port()));
        QFile out(m_dir.filePath(u"catalog.json"_s));
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(catalog);
        out.close();

        QVERIFY2(m_server.start({ u"--models"_s, out.fileName(), u"--argon2-memory-kib"_s, u"64"_s,
                                  u"--argon2-iterations"_s, u"1"_s }),
                 qPrintable(m_server.errorText()));
        m_http = std::make_unique<TestHttpClient>(m_server.baseUrl());
        std::tie(m_aliceId, m_alice) = registerUser(u"alice@example.com"_s);
        std::tie(m_bobId, m_bob) = registerUser(u"bob@example.com"_s);
        QVERIFY(!m_alice.isEmpty() && !m_bob.isEmpty());
    }

    void cleanupTestCase()
    {
        m_http.reset();
        m_server.stop();
        m_sim.stop();
    }

    void modelsListsTheCatalog()
    {
        const auto reply = as(m_alice, "GET", QString(api::Models));
        QCOMPARE(reply.status, 200);
        const QJsonArray models = reply.json.value(u"models"_s).toArray();
        QCOMPARE(models.size(), 5);
        QCOMPARE(models.at(0).toObject().value(u"id"_s).toString(), u"echo"_s);
        QCOMPARE(models.at(0).toObject().value(u"is_demo"_s).toBool(), false);
        QCOMPARE(reply.json.value(u"default_model"_s).toString(), u"echo"_s);
        QVERIFY(!reply.body.contains("sk-test"));
    }

    void messageStreamsToCompletionAndIsStoredOnce()
    {
        const QString conv = newConversation(u"echo"_s);
        const auto posted = post(conv, u"Hello there, world!"_s);
        QCOMPARE(posted.status, 201);
        const QString id = posted.json.value(u"assistant_message_id"_s).toString();
        QCOMPARE(posted.json.value(u"stream_url"_s).toString(), api::path(api::Stream, id));
        QCOMPARE(posted.json.value(u"message"_s).toObject().value(u"role"_s).toString(), u"user"_s);

        const StreamRead read = follow(id);
        QCOMPARE(read.status, 200);
        QVERIFY(read.closedByServer);
        QCOMPARE(read.events.first().type, u"meta"_s);
        QCOMPARE(read.data(0).value(u"deployment"_s).toString(), u"primary"_s);
        QCOMPARE(read.text(), u"Hello there, world!"_s);
        QCOMPARE(read.events.last().type, u"done"_s);
        QCOMPARE(read.data(int(read.events.size() - 1)).value(u"status"_s).toString(),
                 u"complete"_s);
        // Ids are the log's seqs: increasing.
        for (qsizetype i = 1; i < read.events.size(); ++i)
            QVERIFY(read.events[i].id.toLongLong() > read.events[i - 1].id.toLongLong());
        const auto usageEvent = read.last(u"usage"_s);
        QVERIFY(usageEvent);

        const QJsonObject stored = storedMessage(id);
        QCOMPARE(stored.value(u"status"_s).toString(), u"complete"_s);
        QCOMPARE(storedText(stored), read.text());
        QCOMPARE(stored.value(u"deployment"_s).toString(), u"primary"_s);
        QCOMPARE(stored.value(u"model"_s).toString(), u"echo"_s);
        const QJsonObject usage = stored.value(u"usage"_s).toObject();
        // Provider-reported: the simulator's count for "Hello there, world!".
        QCOMPARE(usage.value(u"output_tokens"_s).toInteger(), 5);
        QCOMPARE(usage.value(u"estimated"_s).toBool(), false);
        QVERIFY(usage.value(u"cost_micros"_s).toInteger() > 0);
        QVERIFY(!stored.value(u"total_time_ms"_s).isNull());

        // The billing row.
        auto db = openDatabase();
        QVERIFY(db);
        auto records = UsageRecordRepository(*db).listForUser(m_aliceId);
        QVERIFY(records.ok());
        bool found = false;
        for (const UsageRecord &r : *records) {
            if (r.messageId == id) {
                found = true;
                QCOMPARE(r.usage.outputTokens, 5);
                QCOMPARE(r.deployment, u"primary"_s);
                QCOMPARE(r.status, u"complete"_s);
            }
        }
        db->closeThreadConnection();
        QVERIFY(found);
    }

    // GET /user/usage sums the caller's usage records, and only theirs.
    void usageShowsOnlyTheCallersOwnRecords()
    {
        const auto bobBefore = as(m_bob, "GET", QString(api::UserUsage));
        QCOMPARE(bobBefore.status, 200);

        const QString conv = newConversation(u"echo"_s);
        const auto posted = post(conv, u"count these tokens please"_s);
        QCOMPARE(posted.status, 201);
        QCOMPARE(follow(posted.json.value(u"assistant_message_id"_s).toString()).events.last().type,
                 u"done"_s);

        const QDateTime now = QDateTime::currentDateTimeUtc();
        const QDateTime dayStart(now.date(), QTime(0, 0), Qt::UTC);
        const QDateTime monthStart(QDate(now.date().year(), now.date().month(), 1), QTime(0, 0),
                                   Qt::UTC);
        auto db = openDatabase();
        QVERIFY(db);
        auto records = UsageRecordRepository(*db).listForUser(m_aliceId, 1000);
        QVERIFY(records.ok());
        db->closeThreadConnection();
        qint64 tokensToday = 0, tokensMonth = 0, messagesToday = 0, messagesMonth = 0,
               costToday = 0, costMonth = 0;
        for (const UsageRecord &r : *records) {
            if (r.createdAt >= monthStart) {
                tokensMonth += r.usage.totalTokens();
                costMonth += r.usage.costMicros;
                ++messagesMonth;
            }
            if (r.createdAt >= dayStart) {
                tokensToday += r.usage.totalTokens();
                costToday += r.usage.costMicros;
                ++messagesToday;
            }
        }
        QVERIFY(messagesToday >= 2); // this answer and the earlier one
        QVERIFY(costToday > 0);

        const auto mine = as(m_alice, "GET", QString(api::UserUsage));
        QCOMPARE(mine.status, 200);
        QCOMPARE(mine.json.value(u"tokens_today"_s).toInteger(), tokensToday);
        QCOMPARE(mine.json.value(u"tokens_this_month"_s).toInteger(), tokensMonth);
        QCOMPARE(mine.json.value(u"messages_today"_s).toInteger(), messagesToday);
        QCOMPARE(mine.json.value(u"messages_this_month"_s).toInteger(), messagesMonth);
        QCOMPARE(mine.json.value(u"cost_micros_today"_s).toInteger(), costToday);
        QCOMPARE(mine.json.value(u"cost_micros_this_month"_s).toInteger(), costMonth);
        QVERIFY(mine.json.value(u"tokens_remaining_today"_s).isNull()); // no quota yet

        // Bob streamed nothing: alice's answers are not his.
        const auto bobAfter = as(m_bob, "GET", QString(api::UserUsage));
        QCOMPARE(bobAfter.json.value(u"tokens_today"_s).toInteger(), 0);
        QCOMPARE(bobAfter.json.value(u"messages_this_month"_s).toInteger(), 0);
        QCOMPARE(bobAfter.json.value(u"cost_micros_this_month"_s).toInteger(), 0);
        QCOMPARE(m_http->get(QString(api::UserUsage)).status, 401);
    }

    void faultEndsInDocumentedOutcome_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("deployment");
        QTest::addColumn<QString>("expectedText");
        QTest::addColumn<QString>("errorCode");

        QTest::newRow("429 fails over to the next deployment")
            << u"after-429"_s << u"ok then"_s << u"complete"_s << u"secondary-a"_s << u"ok then"_s
            << QString();
        QTest::newRow("500 fails over") << u"after-500"_s << u"fine"_s << u"complete"_s
                                        << u"secondary-b"_s << u"fine"_s << QString();
        QTest::newRow("overloaded (Anthropic 529) fails over")
            << u"after-overloaded"_s << u"calm"_s << u"complete"_s << u"secondary-c"_s << u"calm"_s
            << QString();
        QTest::newRow("500 everywhere is an error")
            << u"echo"_s << u"x [[sim: fault=500]]"_s << u"error"_s << u"primary"_s << QString()
            << u"upstream_error"_s;
        QTest::newRow("disconnect mid-stream keeps the partial text")
            << u"echo"_s << u"one two three four five six [[sim: fault=disconnect after=3]]"_s
            << u"interrupted"_s << u"primary"_s << u"one two three"_s << u"upstream_error"_s;
        QTest::newRow("a malformed chunk is skipped")
            << u"echo"_s << u"alpha beta gamma [[sim: fault=malformed after=1]]"_s << u"complete"_s
            << u"primary"_s << u"alpha beta gamma"_s << QString();
        QTest::newRow("error event after tokens interrupts")
            << u"echo"_s << u"red green blue [[sim: fault=error_event after=2]]"_s
            << u"interrupted"_s << u"primary"_s << u"red green"_s << u"upstream_error"_s;
    }

    void faultEndsInDocumentedOutcome()
    {
        QFETCH(QString, model);
        QFETCH(QString, text);
        QFETCH(QString, status);
        QFETCH(QString, deployment);
        QFETCH(QString, expectedText);
        QFETCH(QString, errorCode);

        const QString conv = newConversation(model);
        const auto posted = post(conv, text);
        QCOMPARE(posted.status, 201);
        const QString id = posted.json.value(u"assistant_message_id"_s).toString();
        const StreamRead read = follow(id);
        QCOMPARE(read.events.last().type, u"done"_s);
        QCOMPARE(read.data(int(read.events.size() - 1)).value(u"status"_s).toString(), status);
        const QJsonObject stored = storedMessage(id);
        QCOMPARE(stored.value(u"status"_s).toString(), status);
        QCOMPARE(stored.value(u"deployment"_s).toString(), deployment);
        QCOMPARE(storedText(stored), read.text());
        QCOMPARE(storedText(stored), expectedText);
        if (!errorCode.isEmpty()) {
            QCOMPARE(stored.value(u"error"_s).toObject().value(u"code"_s).toString(), errorCode);
            QVERIFY(read.last(u"error"_s));
        }
    }

    // The one timing check the issue asks for: "the next deployment streaming
    // within 2 s". The stalled primary is given up after its first-token
    // timeout (1 s in the catalog); the switch is everything after that: the
    // failure noticed, the fallback connected, its first token delivered.
    // Measured twice. The server's stored time to first token counts from
    // the turn's acceptance, so minus the stall it is the switch plus the
    // turn's own set-up: it must stay under the budget. The client's time
    // from sending the POST to reading the first delta also holds the POST's
    // answer and the stream's connect: 500 ms are allowed for those (on a
    // loaded machine), less than the budget, so a 2.5 s switch fails both.
    void stallBeforeFirstTokenFailsOverWithinBudget()
    {
        constexpr qint64 StallTimeoutMs = 1000; // catalog.json: "stalled" first_token_ms
        constexpr qint64 SwitchBudgetMs = 2000; // FailoverSettings::switchBudget
        constexpr qint64 ClientMarginMs = 500;
        const QString conv = newConversation(u"after-stall"_s);
        QElapsedTimer clock;
        clock.start();
        const auto posted = post(conv, u"patience"_s);
        QCOMPARE(posted.status, 201);
        const QString id = posted.json.value(u"assistant_message_id"_s).toString();
        qint64 firstDeltaAt = -1;
        StreamRequest request;
        request.path = api::path(api::Stream, id);
        request.token = m_alice;
        request.onEvent = [&](const SseEvent &event) {
            if (event.type == u"delta" && firstDeltaAt < 0)
                firstDeltaAt = clock.elapsed();
        };
        const StreamRead read = readStream(m_server.port(), request);
        QCOMPARE(read.text(), u"patience"_s);
        QCOMPARE(read.data(int(read.events.size() - 1)).value(u"status"_s).toString(),
                 u"complete"_s);
        // Two attempts: the stalled one, then the fallback.
        QVERIFY2(read.types().count(u"meta"_s) == 2, qPrintable(read.types().join(u',')));
        QCOMPARE(read.data(0).value(u"deployment"_s).toString(), u"stalled"_s);
        QVERIFY(read.last(u"meta"_s));
        QCOMPARE(QJsonDocument::fromJson(read.last(u"meta"_s)->data.toUtf8())
                     .object()
                     .value(u"deployment"_s)
                     .toString(),
                 u"secondary-d"_s);

        QVERIFY(firstDeltaAt >= 0);
        const qint64 clientSwitchMs = firstDeltaAt - StallTimeoutMs;
        QVERIFY2(clientSwitchMs < SwitchBudgetMs + ClientMarginMs,
                 qPrintable(u"first delta %1 ms after the stall timeout"_s.arg(clientSwitchMs)));

        const QJsonObject stored = storedMessage(id);
        QCOMPARE(stored.value(u"deployment"_s).toString(), u"secondary-d"_s);
        const qint64 ttft = stored.value(u"time_to_first_token_ms"_s).toInteger(-1);
        qInfo("switch: first delta read %lld ms after the stall timeout; stored time to first "
              "token %lld ms",
              clientSwitchMs, ttft);
        // The stall was waited out: no token can come before its timeout.
        QVERIFY2(ttft >= StallTimeoutMs, qPrintable(QString::number(ttft)));
        QVERIFY2(ttft - StallTimeoutMs < SwitchBudgetMs,
                 qPrintable(u"switch took %1 ms"_s.arg(ttft - StallTimeoutMs)));
    }

    // The stored answer carries its time to first token besides the total:
    // the simulator holds the first token back 300 ms, so it cannot be less,
    // and the first token cannot come after the end.
    void storedAnswerCarriesTimeToFirstToken()
    {
        constexpr qint64 SimFirstTokenDelayMs = 300;
        const QString conv = newConversation(u"echo"_s);
        const auto posted = post(conv, u"timed words [[sim: ttft=300 tps=50]]"_s);
        QCOMPARE(posted.status, 201);
        const QString id = posted.json.value(u"assistant_message_id"_s).toString();
        const StreamRead read = follow(id);
        QCOMPARE(read.text(), u"timed words"_s);

        const QJsonObject stored = storedMessage(id);
        QCOMPARE(stored.value(u"status"_s).toString(), u"complete"_s);
        const QJsonValue ttft = stored.value(u"time_to_first_token_ms"_s);
        const QJsonValue total = stored.value(u"total_time_ms"_s);
        QVERIFY2(ttft.isDouble(), qPrintable(QString::fromUtf8(QJsonDocument(stored).toJson())));
        QVERIFY(total.isDouble());
        QVERIFY2(ttft.toInteger() >= SimFirstTokenDelayMs,
                 qPrintable(QString::number(ttft.toInteger())));
        QVERIFY2(ttft.toInteger() <= total.toInteger(),
                 qPrintable(u"%1 > %2"_s.arg(ttft.toInteger()).arg(total.toInteger())));
        // The conversation's history carries the same figures.
        const auto history = as(m_alice, "GET", api::path(api::ConversationMessages, conv)).json;
        bool found = false;
        for (const auto &value : history.value(u"messages"_s).toArray()) {
            const QJsonObject message = value.toObject();
            if (message.value(u"id"_s).toString() != id)
                continue;
            found = true;
            QCOMPARE(message.value(u"time_to_first_token_ms"_s).toInteger(), ttft.toInteger());
            QCOMPARE(message.value(u"total_time_ms"_s).toInteger(), total.toInteger());
        }
        QVERIFY(found);
    }

    // Two readers of one answer over real sockets, both attached before the
    // first token, read the same events live: the same (id, event, data)
    // sequence, and the text stored at the end. The simulator holds the first
    // token back 1.5 s (time to attach both) and then paces the tokens 125 ms
    // apart, so each delta reaches both readers before the next one is
    // appended (a reader that fell behind would get deltas merged).
    void simultaneousSubscribersReceiveTheSameStream()
    {
        const QString conv = newConversation(u"echo"_s);
        const auto posted = post(conv, u"together [[sim: mode=lorem tokens=12 tps=8 ttft=1500]]"_s);
        QCOMPARE(posted.status, 201);
        const QString id = posted.json.value(u"assistant_message_id"_s).toString();

        std::atomic<int> attached { 0 };
        struct Reader
        {
            StreamRead read;
            bool attached = false; // its first event (meta) arrived
            int attachedAtFirstDelta = -1; // readers attached when its first delta came
        };
        Reader readers[2];
        const auto makeRequest = [&](Reader &reader) {
            StreamRequest request;
            request.path = api::path(api::Stream, id);
            request.token = m_alice;
            request.onEvent = [&attached, &reader](const SseEvent &event) {
                if (!reader.attached) {
                    reader.attached = true;
                    attached.fetch_add(1);
                }
                if (event.type == u"delta" && reader.attachedAtFirstDelta < 0)
                    reader.attachedAtFirstDelta = attached.load();
            };
            return request;
        };
        const quint16 port = m_server.port();
        std::unique_ptr<QThread> threads[2];
        for (int i = 0; i < 2; ++i) {
            threads[i].reset(
                QThread::create([port, request = makeRequest(readers[i]), &reader = readers[i]] {
                    reader.read = readStream(port, request);
                }));
            threads[i]->start();
        }
        for (auto &thread : threads)
            QVERIFY(thread->wait(60'000));

        // The log merges consecutive deltas for a reader that falls behind
        // (a loaded machine), so only the grouping of the deltas may differ:
        // every other event, with its id, and the text are the same.
        const auto triples = [](const StreamRead &read) {
            QStringList out;
            for (const SseEvent &event : read.events) {
                if (event.type != u"delta")
                    out.append(event.id + u'|' + event.type + u'|' + event.data);
            }
            return out;
        };
        for (const Reader &reader : readers) {
            QCOMPARE(reader.read.status, 200);
            QVERIFY2(reader.read.error.isEmpty(), qPrintable(reader.read.error));
            QVERIFY(reader.read.closedByServer);
            // Both were reading when the first token came.
            QCOMPARE(reader.attachedAtFirstDelta, 2);
            QCOMPARE(reader.read.types().first(), u"meta"_s);
            QCOMPARE(reader.read.types().last(), u"done"_s);
            // Delivered live, token by token, not replayed in one piece.
            QVERIFY2(reader.read.types().count(u"delta"_s) >= 2,
                     qPrintable(reader.read.types().join(u',')));
        }
        QCOMPARE(triples(readers[1].read), triples(readers[0].read));
        QCOMPARE(readers[1].read.text(), readers[0].read.text());
        const QJsonObject stored = storedMessage(id);
        QCOMPARE(stored.value(u"status"_s).toString(), u"complete"_s);
        QVERIFY(!readers[0].read.text().isEmpty());
        QCOMPARE(readers[0].read.text(), storedText(stored));
    }

    void reconnectAtRandomEventsReassemblesTheStoredText()
    {
        const QString conv = newConversation(u"echo"_s);
        auto *random = QRandomGenerator::global();
        for (int i = 0; i < 20; ++i) {
            const auto posted =
                post(conv, u"round %1 [[sim: mode=lorem tokens=40 tps=400]]"_s.arg(i));
            QCOMPARE(posted.status, 201);
            const QString id = posted.json.value(u"assistant_message_id"_s).toString();
            const int cut = int(random->bounded(1, 12));
            const StreamRead first = follow(id, cut);
            QVERIFY2(!first.events.isEmpty(), qPrintable(first.error));
            StreamRead rest;
            if (i % 2 == 0)
                rest = follow(id, -1, first.lastId().toLatin1());
            else
                rest = follow(id, -1, std::nullopt, u"?last_event_id="_s + first.lastId());
            QCOMPARE(rest.status, 200);
            // No duplicate: the resumed stream starts after the cut.
            if (!rest.events.isEmpty())
                QVERIFY(rest.events.first().id.toLongLong() > first.lastId().toLongLong());
            // The cut may fall after `done` (coalesced deltas make few events):
            // then there is nothing left to send.
            const bool cutAfterDone = first.events.last().type == u"done";
            QCOMPARE(rest.events.isEmpty(), cutAfterDone);
            if (!cutAfterDone)
                QCOMPARE(rest.events.last().type, u"done"_s);
            const QString whole = first.text() + rest.text();
            QCOMPARE(whole, storedText(storedMessage(id)));
            QVERIFY(!whole.isEmpty());
        }
    }

    void stopMidStreamKeepsThePartialText()
    {
        const QString conv = newConversation(u"echo"_s);
        const auto posted = post(conv, u"go [[sim: mode=lorem tokens=2000 tps=40]]"_s);
        const QString id = posted.json.value(u"assistant_message_id"_s).toString();
        const StreamRead start = follow(id, 4);
        QVERIFY(start.text().size() > 0);

        // While it runs: one generation per conversation.
        const auto second = post(conv, u"me too"_s);
        QCOMPARE(second.status, 409);
        QCOMPARE(second.json.value(u"error"_s).toObject().value(u"code"_s).toString(),
                 u"generation_in_progress"_s);
        // Bob cannot stop or read it.
        QCOMPARE(as(m_bob, "POST", api::path(api::MessageStop, id)).status, 404);
        const StreamRead bobs = readStream(m_server.port(), api::path(api::Stream, id), m_bob);
        QCOMPARE(bobs.status, 404);

        const auto stop = as(m_alice, "POST", api::path(api::MessageStop, id));
        QCOMPARE(stop.status, 202);
        const StreamRead all = follow(id);
        QCOMPARE(all.data(int(all.events.size() - 1)).value(u"status"_s).toString(), u"stopped"_s);
        const QJsonObject stored = storedMessage(id);
        QCOMPARE(stored.value(u"status"_s).toString(), u"stopped"_s);
        QCOMPARE(storedText(stored), all.text());
        QVERIFY(all.text().startsWith(start.text()));
        QVERIFY(stored.value(u"usage"_s).toObject().value(u"estimated"_s).toBool());
        // Free again.
        QCOMPARE(post(conv, u"next"_s).status, 201);
    }

    void lateSubscribersGetTheWholeMessage()
    {
        const QString conv = newConversation(u"echo"_s);
        const auto posted = post(conv, u"late but complete [[sim: tps=200]]"_s);
        const QString id = posted.json.value(u"assistant_message_id"_s).toString();
        const StreamRead a = follow(id);
        const StreamRead b = follow(id); // after completion
        QCOMPARE(b.text(), a.text());
        QCOMPARE(b.lastId(), a.lastId());
        QCOMPARE(b.types().first(), u"meta"_s);
        QCOMPARE(b.types().last(), u"done"_s);
        // Reading from the end gives nothing more.
        const StreamRead none = follow(id, -1, a.lastId().toLatin1());
        QVERIFY(none.events.isEmpty());
        QVERIFY(none.closedByServer);
    }

    void regenerateAndEditStartNewAnswers()
    {
        const QString conv = newConversation(u"echo"_s);
        const auto posted = post(conv, u"first question"_s);
        const QString answer = posted.json.value(u"assistant_message_id"_s).toString();
        const QString question =
            posted.json.value(u"message"_s).toObject().value(u"id"_s).toString();
        QCOMPARE(follow(answer).text(), u"first question"_s);

        const auto again = as(m_alice, "POST", api::path(api::MessageRegenerate, answer));
        QCOMPARE(again.status, 202);
        const QString second = again.json.value(u"assistant_message_id"_s).toString();
        QCOMPARE(follow(second).text(), u"first question"_s);
        const QJsonObject regenerated = storedMessage(second);
        QCOMPARE(regenerated.value(u"parent_id"_s).toString(), question);
        QCOMPARE(regenerated.value(u"sibling_count"_s).toInt(), 2);

        const auto edit = as(m_alice, "PATCH", api::path(api::Message, question),
                             { { u"content"_s, textContent(u"edited question"_s) } });
        QCOMPARE(edit.status, 201);
        const QString third = edit.json.value(u"assistant_message_id"_s).toString();
        QCOMPARE(follow(third).text(), u"edited question"_s);
        QCOMPARE(storedMessage(question).value(u"sibling_count"_s).toInt(), 2);
    }

    void webSocketCarriesTheSameStream()
    {
        const QString conv = newConversation(u"echo"_s);
        const QString id = post(conv, u"over the socket [[sim: tps=200]]"_s)
                               .json.value(u"assistant_message_id"_s)
                               .toString();
        const QString token = QString::fromLatin1(m_alice);
        const QString path = api::path(api::Stream, id);

        const WsRead viaQuery = followWs(path + u"?access_token="_s + token, QString());
        QVERIFY2(!viaQuery.frames.isEmpty(), qPrintable(QString::number(viaQuery.closeCode)));
        QCOMPARE(viaQuery.text(), u"over the socket"_s);
        QCOMPARE(viaQuery.frames.last().value(u"event"_s).toString(), u"done"_s);
        QCOMPARE(viaQuery.closeCode, 1000);

        // Token (and resume point) in the first message, same-origin browser.
        const WsRead viaMessage =
            followWs(path + u"/ws"_s, u"http://127.0.0.1:%1"_s.arg(m_server.port()),
                     u"{\"access_token\":\"%1\",\"last_event_id\":1}"_s.arg(token));
        QCOMPARE(viaMessage.text(), u"over the socket"_s);
        // Resumed after the meta event (deltas may come coalesced, under the last seq).
        QVERIFY(viaMessage.frames.first().value(u"id"_s).toInteger() > 1);
        QCOMPARE(viaMessage.frames.first().value(u"event"_s).toString(), u"delta"_s);

        // A foreign page's script is refused although the handshake succeeded.
        const WsRead foreign =
            followWs(path + u"?access_token="_s + token, u"https://evil.example"_s);
        QVERIFY(foreign.frames.isEmpty());
        QCOMPARE(foreign.closeCode, 1008);
        // Another user: not found.
        const WsRead bobs = followWs(path + u"?access_token="_s + QString::fromLatin1(m_bob), {});
        QVERIFY(bobs.frames.isEmpty());
        QCOMPARE(bobs.closeCode, 4404);
    }

    void otherUsersStreamIsNotFound()
    {
        const QString conv = newConversation(u"echo"_s);
        const QString id = post(conv, u"mine"_s).json.value(u"assistant_message_id"_s).toString();
        (void)follow(id);
        const StreamRead bobs = readStream(m_server.port(), api::path(api::Stream, id), m_bob);
        QCOMPARE(bobs.status, 404);
        QCOMPARE(bobs.errorJson().value(u"code"_s).toString(), u"not_found"_s);
        const StreamRead anonymous =
            readStream(m_server.port(), api::path(api::Stream, id), QByteArray());
        QCOMPARE(anonymous.status, 401);
        // A token in the query string works for clients that cannot set headers.
        const StreamRead viaQuery = readStream(m_server.port(),
                                               api::path(api::Stream, id) + u"?access_token="_s
                                                   + QString::fromLatin1(m_alice),
                                               QByteArray());
        QCOMPARE(viaQuery.status, 200);
        QCOMPARE(viaQuery.text(), u"mine"_s);
    }
};

QTEST_GUILESS_MAIN(TestStreaming)
#include "tst_streaming.moc"
