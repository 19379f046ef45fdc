// Accounts across the server's life, each test with its own parlanced: login
// throttling per account and per address (429 with retry_after and
// Retry-After), the signing key kept in the data dir across restarts, kill -9
// durability of everything acknowledged, and the scheduled maintenance run.
#include "authtestclient.h"
#include "contract/errorcodes.h"

#include <QDeadlineTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

using namespace Qt::StringLiterals;
using namespace parlance;
using namespace parlance::test;

namespace {

const QString GoodPassword = u"correct horse battery"_s;

QJsonArray textContent(const QString &text)
{
    return QJsonArray { QJsonObject { { u"type"_s, u"text"_s }, { u"text"_s, text } } };
}

} // namespace

class TestAuthLifecycle : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { qInfo() << "database:" << ParlancedProcess::databaseKind(); }

    void accountThrottleAnswers429WithRetryAfter()
    {
        ParlancedProcess server;
        QVERIFY2(server.start(cheapAuthArgs()), qPrintable(server.errorText()));
        TestHttpClient http(server.baseUrl());
        PARLANCE_COMPARE_REPLY(registerAccount(http, u"target@example.com"_s, GoodPassword), 201,
                               "");

        // Five failures in the window are allowed (the default), the sixth
        // attempt is refused before the password is even looked at.
        for (int i = 0; i < 5; ++i) {
            PARLANCE_COMPARE_REPLY(
                login(http, u"target@example.com"_s, u"guess number %1"_s.arg(i)), 401,
                errc::InvalidCredentials);
        }
        const auto locked = login(http, u"target@example.com"_s, u"guess number 6"_s);
        PARLANCE_COMPARE_REPLY(locked, 429, errc::TooManyAttempts);
        const int retryAfter =
            locked.json.value(u"error"_s).toObject().value(u"retry_after"_s).toInt();
        QVERIFY2(retryAfter > 0 && retryAfter <= 15 * 60, qPrintable(QString::number(retryAfter)));
        QCOMPARE(locked.header("retry-after"), QByteArray::number(retryAfter));
        // Even the right password waits: the lock must not be an oracle.
        PARLANCE_COMPARE_REPLY(login(http, u"target@example.com"_s, GoodPassword), 429,
                               errc::TooManyAttempts);
        // Unknown accounts lock the same way, so a lock reveals nothing.
        for (int i = 0; i < 5; ++i)
            (void)login(http, u"ghost@example.com"_s, u"guess"_s);
        PARLANCE_COMPARE_REPLY(login(http, u"ghost@example.com"_s, u"guess"_s), 429,
                               errc::TooManyAttempts);
        // Other accounts are not affected by this lock.
        PARLANCE_COMPARE_REPLY(registerAccount(http, u"other@example.com"_s, GoodPassword), 201,
                               "");
        PARLANCE_COMPARE_REPLY(login(http, u"other@example.com"_s, GoodPassword), 200, "");
        QCOMPARE(server.stop(), 0);
    }

    void addressThrottleAnswers429()
    {
        ParlancedProcess server;
        QVERIFY2(server.start(cheapAuthArgs()), qPrintable(server.errorText()));
        TestHttpClient http(server.baseUrl());
        // 20 guesses per minute per address (each at another account, so the
        // account limit never triggers), then the address waits.
        for (int i = 0; i < 20; ++i) {
            PARLANCE_COMPARE_REPLY(login(http, u"user%1@example.com"_s.arg(i), u"guess"_s), 401,
                                   errc::InvalidCredentials);
        }
        const auto limited = login(http, u"user99@example.com"_s, u"guess"_s);
        PARLANCE_COMPARE_REPLY(limited, 429, errc::TooManyAttempts);
        QVERIFY(limited.json.value(u"error"_s).toObject().value(u"retry_after"_s).toInt() > 0);
        QVERIFY(!limited.header("retry-after").isEmpty());
        QCOMPARE(server.stop(), 0);
    }

    void generatedSigningKeySurvivesRestart()
    {
        ParlancedProcess server;
        // No configured key: parlanced makes one in its data dir.
        server.environment().remove(u"PARLANCE_JWT_KEY"_s);
        QVERIFY2(server.start(cheapAuthArgs()), qPrintable(server.errorText()));
        TestHttpClient first(server.baseUrl());
        const auto session = registerAccount(first, u"keep@example.com"_s, GoodPassword);
        PARLANCE_COMPARE_REPLY(session, 201, "");
        const QFileInfo key(server.dataDir() + u"/jwt.key"_s);
        QVERIFY(key.exists());
        QCOMPARE(key.permissions()
                     & ~(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser),
                 QFileDevice::Permissions());
        const QByteArray keyBytes = [&] {
            QFile f(key.filePath());
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        }();
        QCOMPARE(server.stop(), 0);

        QVERIFY2(server.start(cheapAuthArgs()), qPrintable(server.errorText()));
        TestHttpClient second(server.baseUrl());
        PARLANCE_COMPARE_REPLY(me(second, accessOf(session)), 200, "");
        QFile again(key.filePath());
        QVERIFY(again.open(QIODevice::ReadOnly));
        QCOMPARE(again.readAll(), keyBytes);
        QCOMPARE(server.stop(), 0);
    }

    void rotatedSigningKeyKeepsOldTokensUntilRetired()
    {
        const QTemporaryDir keys;
        QVERIFY(keys.isValid());
        const auto writeKey = [&](const QString &name, const QByteArray &bytes) {
            QFile file(keys.filePath(name));
            if (!file.open(QIODevice::WriteOnly))
                return QString();
            file.write(bytes);
            return file.fileName();
        };
        const QString oldKey = writeKey(u"old.key"_s, QByteArray(40, 'o'));
        const QString newKey = writeKey(u"new.key"_s, QByteArray(40, 'n'));
        QVERIFY(!oldKey.isEmpty() && !newKey.isEmpty());

        ParlancedProcess server;
        server.environment().remove(u"PARLANCE_JWT_KEY"_s);
        QVERIFY2(
            server.start(cheapAuthArgs()
                         + QStringList { u"--jwt-key-file"_s, oldKey, u"--jwt-key-id"_s, u"k1"_s }),
            qPrintable(server.errorText()));
        TestHttpClient before(server.baseUrl());
        const auto session = registerAccount(before, u"rotate@example.com"_s, GoodPassword);
        PARLANCE_COMPARE_REPLY(session, 201, "");
        const QString oldToken = accessOf(session);
        QCOMPARE(server.stop(), 0);

        // Rotated: new tokens carry k2; tokens signed with k1 still work.
        QVERIFY2(
            server.start(cheapAuthArgs()
                         + QStringList { u"--jwt-key-file"_s, newKey, u"--jwt-key-id"_s, u"k2"_s,
                                         u"--jwt-previous-keys"_s, u"k1="_s + oldKey }),
            qPrintable(server.errorText()));
        TestHttpClient during(server.baseUrl());
        PARLANCE_COMPARE_REPLY(me(during, oldToken), 200, "");
        const auto again = login(during, u"rotate@example.com"_s, GoodPassword);
        PARLANCE_COMPARE_REPLY(again, 200, "");
        const QString newToken = accessOf(again);
        const QJsonObject header =
            QJsonDocument::fromJson(QByteArray::fromBase64(newToken.section(u'.', 0, 0).toLatin1(),
                                                           QByteArray::Base64UrlEncoding))
                .object();
        QCOMPARE(header.value(u"kid"_s).toString(), u"k2"_s);
        QCOMPARE(server.stop(), 0);

        // Retired: the old key is gone from the ring, its tokens are refused.
        QVERIFY2(
            server.start(cheapAuthArgs()
                         + QStringList { u"--jwt-key-file"_s, newKey, u"--jwt-key-id"_s, u"k2"_s }),
            qPrintable(server.errorText()));
        TestHttpClient after(server.baseUrl());
        QCOMPARE(me(after, oldToken).status, 401);
        PARLANCE_COMPARE_REPLY(me(after, newToken), 200, "");
        QCOMPARE(server.stop(), 0);

        // A previous key that cannot be read stops the start, naming the flag.
        QVERIFY(!server.start(cheapAuthArgs()
                              + QStringList { u"--jwt-key-file"_s, newKey, u"--jwt-key-id"_s,
                                              u"k2"_s, u"--jwt-previous-keys"_s,
                                              u"k1="_s + keys.filePath(u"missing.key"_s) }));
        QVERIFY2(server.errorText().contains(u"--jwt-previous-keys"_s),
                 qPrintable(server.errorText()));
    }

    void acknowledgedWritesSurviveKill9()
    {
        ParlancedProcess server;
        const QStringList args =
            cheapAuthArgs() + QStringList { u"--demo-provider"_s, u"http://127.0.0.1:9"_s };
        QVERIFY2(server.start(args), qPrintable(server.errorText()));
        TestHttpClient http(server.baseUrl());
        const auto session = registerAccount(http, u"durable@example.com"_s, GoodPassword);
        PARLANCE_COMPARE_REPLY(session, 201, "");
        http.setBearerToken(accessOf(session).toLatin1());
        const auto conversation = http.request("POST", QString(api::Conversations),
                                               QJsonObject { { u"title"_s, u"Kept"_s } });
        PARLANCE_COMPARE_REPLY(conversation, 201, "");
        const QString id = conversation.json.value(u"id"_s).toString();
        const QString messages = api::path(api::ConversationMessages, id);
        // Each post starts an answer; the demo provider is a closed port
        // here, so the answer ends at once (stored as an error message). Read
        // its stream to the end before the next post: one answer at a time.
        QStringList messageIds;
        for (int i = 0; i < 3; ++i) {
            const auto posted = http.request(
                "POST", messages, QJsonObject { { u"content"_s, textContent(u"m%1"_s.arg(i)) } });
            PARLANCE_COMPARE_REPLY(posted, 201, "");
            messageIds.append(posted.json.value(u"message"_s).toObject().value(u"id"_s).toString());
            const QString answer = posted.json.value(u"assistant_message_id"_s).toString();
            QVERIFY(!answer.isEmpty());
            PARLANCE_COMPARE_REPLY(http.get(api::path(api::Stream, answer)), 200, "");
            messageIds.append(answer);
        }
        const auto rotated = refresh(http, refreshOf(session));
        PARLANCE_COMPARE_REPLY(rotated, 200, "");
        // No goodbye: the answers above were the server's promise.
        server.kill();

        QVERIFY2(server.start(args), qPrintable(server.errorText()));
        TestHttpClient after(server.baseUrl());
        PARLANCE_COMPARE_REPLY(login(after, u"durable@example.com"_s, GoodPassword), 200, "");
        // The rotation was recorded: its successor token still works.
        PARLANCE_COMPARE_REPLY(refresh(after, refreshOf(rotated)), 200, "");
        after.setBearerToken(accessOf(session).toLatin1());
        const auto kept = after.get(api::path(api::Conversation, id));
        PARLANCE_COMPARE_REPLY(kept, 200, "");
        QCOMPARE(kept.json.value(u"title"_s).toString(), u"Kept"_s);
        const auto path = after.get(messages + u"?limit=50"_s);
        PARLANCE_COMPARE_REPLY(path, 200, "");
        QStringList keptIds;
        for (const QJsonValue &m : path.json.value(u"messages"_s).toArray())
            keptIds.append(m.toObject().value(u"id"_s).toString());
        QCOMPARE(keptIds, messageIds);
        QCOMPARE(server.stop(), 0);
    }

    void maintenanceRunsOnSchedule()
    {
        ParlancedProcess server;
        QVERIFY2(
            server.start(cheapAuthArgs() + QStringList { u"--maintenance-interval"_s, u"200ms"_s }),
            qPrintable(server.errorText()));
        // The first run comes after min(interval, 1 min); wait for its log
        // lines (no timing is asserted, only that it happens).
        QDeadlineTimer deadline(20'000);
        QString log;
        while (!deadline.hasExpired()) {
            log = server.stderrText();
            if (log.contains(u"expired refresh tokens"_s))
                break;
            QTest::qWait(50); // lets QProcess read the child's output
        }
        QVERIFY2(log.contains(u"maintenance: purged 0 expired conversations"_s), qPrintable(log));
        QVERIFY2(log.contains(u"maintenance: purged 0 expired refresh tokens"_s), qPrintable(log));
        QCOMPARE(server.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(TestAuthLifecycle)
#include "tst_authlifecycle.moc"
