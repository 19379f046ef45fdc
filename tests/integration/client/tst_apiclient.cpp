// ApiClient against the real parlanced (and the provider simulator for the
// answers): accounts, conversations, folders, tags, sending a message and
// following its stream, the shared token refresh, and transport errors.
#include "api/apiclient.h"
#include "api/streamclient.h"
#include "awaitresult.h"
#include "contract/apipaths.h"
#include "contract/errorcodes.h"
#include "streamtestserver.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace parlance;
using namespace parlance::client;

namespace {

QList<ContentPart> text(const QString &value)
{
    return { ContentPart::fromText(value) };
}

} // namespace

class TestApiClient : public QObject
{
    Q_OBJECT

    StreamTestServer m_env;
    int m_users = 0;

    // A fresh ApiClient signed in as a new user.
    std::unique_ptr<ApiClient> signedInClient()
    {
        auto api = std::make_unique<ApiClient>();
        api->setBaseUrl(m_env.server.baseUrl());
        const QString email = u"user%1@example.com"_s.arg(++m_users);
        const auto session = awaitResult<AuthSession>([&](auto done) {
            api->registerAccount(email, QString::fromLatin1(StreamTestServer::Password), {}, this,
                                 done);
        });
        if (!session)
            qWarning() << "register failed" << session.error().code << session.error().message;
        return api;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_env.start(), qPrintable(m_env.error)); }
    void cleanupTestCase() { m_env.stop(); }

    void registerAdoptsTheSessionAndMeAnswersTheUser()
    {
        ApiClient api;
        api.setBaseUrl(m_env.server.baseUrl());
        QSignalSpy rotated(&api, &ApiClient::refreshTokenChanged);
        const auto session = awaitResult<AuthSession>([&](auto done) {
            api.registerAccount(u"Alice@Example.com"_s,
                                QString::fromLatin1(StreamTestServer::Password), u"Alice"_s, this,
                                done);
        });
        QCOMPARE(codeOf(session), u"ok"_s);
        QCOMPARE(session->user.email, u"alice@example.com"_s);
        QCOMPARE(api.accessToken(), session->accessToken);
        QCOMPARE(api.refreshToken(), session->refreshToken);
        QCOMPARE(rotated.count(), 1);
        QCOMPARE(rotated.at(0).at(0).toString(), session->refreshToken);

        const auto me = awaitResult<User>([&](auto done) { api.me(this, done); });
        QCOMPARE(codeOf(me), u"ok"_s);
        QCOMPARE(me->id, session->user.id);
        QCOMPARE(me->displayName, u"Alice"_s);
    }

    void loginErrorsAreTheServersCodes_data()
    {
        QTest::addColumn<QString>("email");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("code");
        QTest::newRow("wrong password")
            << u"alice@example.com"_s << u"not the password"_s << QString(errc::InvalidCredentials);
        QTest::newRow("unknown account")
            << u"nobody@example.com"_s << u"whatever it is"_s << QString(errc::InvalidCredentials);
        QTest::newRow("right password")
            << u"alice@example.com"_s << QString::fromLatin1(StreamTestServer::Password) << u"ok"_s;
    }
    void loginErrorsAreTheServersCodes()
    {
        QFETCH(QString, email);
        QFETCH(QString, password);
        QFETCH(QString, code);
        ApiClient api;
        api.setBaseUrl(m_env.server.baseUrl());
        const auto session =
            awaitResult<AuthSession>([&](auto done) { api.login(email, password, this, done); });
        QCOMPARE(codeOf(session), code);
        QCOMPARE(api.hasRefreshToken(), session.ok());
        if (!session)
            QVERIFY(!session.error().message.isEmpty());
    }

    void registeringATakenEmailIsEmailTaken()
    {
        ApiClient api;
        api.setBaseUrl(m_env.server.baseUrl());
        const auto session = awaitResult<AuthSession>([&](auto done) {
            api.registerAccount(u"alice@example.com"_s,
                                QString::fromLatin1(StreamTestServer::Password), {}, this, done);
        });
        QCOMPARE(codeOf(session), QString(errc::EmailTaken));
    }

    void conversationsFoldersAndTagsRoundTrip()
    {
        auto api = signedInClient();
        const auto folder =
            awaitResult<Folder>([&](auto done) { api->createFolder(u"Work"_s, {}, this, done); });
        QCOMPARE(codeOf(folder), u"ok"_s);

        NewConversation fields;
        fields.title = u"Plans"_s;
        fields.model = u"echo"_s;
        fields.folderId = folder->id;
        fields.tags = { u"Alpha"_s, u"beta"_s };
        const auto created = awaitResult<Conversation>(
            [&](auto done) { api->createConversation(fields, this, done); });
        QCOMPARE(codeOf(created), u"ok"_s);
        QCOMPARE(created->title, u"Plans"_s);
        QCOMPARE(created->folderId, folder->id);
        QCOMPARE(created->tags, (QStringList { u"alpha"_s, u"beta"_s }));

        const auto other =
            awaitResult<Conversation>([&](auto done) { api->createConversation({}, this, done); });
        QCOMPARE(codeOf(other), u"ok"_s);

        ConversationChange change;
        change.title = u"Better plans"_s;
        change.pinned = true;
        const auto patched = awaitResult<Conversation>(
            [&](auto done) { api->updateConversation(created->id, change, this, done); });
        QCOMPARE(codeOf(patched), u"ok"_s);
        QCOMPARE(patched->title, u"Better plans"_s);
        QVERIFY(patched->pinned);

        ConversationQuery pinned;
        pinned.pinned = true;
        const auto pinnedPage = awaitResult<ConversationPage>(
            [&](auto done) { api->listConversations(pinned, this, done); });
        QCOMPARE(codeOf(pinnedPage), u"ok"_s);
        QCOMPARE(pinnedPage->items.size(), 1);
        QCOMPARE(pinnedPage->items.first().id, created->id);

        // Paging with limit 1 walks both conversations, no duplicate.
        ConversationQuery paged;
        paged.limit = 1;
        const auto first = awaitResult<ConversationPage>(
            [&](auto done) { api->listConversations(paged, this, done); });
        QCOMPARE(codeOf(first), u"ok"_s);
        QCOMPARE(first->items.size(), 1);
        QVERIFY(first->hasMore());
        paged.cursor = first->nextCursor;
        const auto second = awaitResult<ConversationPage>(
            [&](auto done) { api->listConversations(paged, this, done); });
        QCOMPARE(codeOf(second), u"ok"_s);
        QCOMPARE(second->items.size(), 1);
        QVERIFY(second->items.first().id != first->items.first().id);

        const auto tags =
            awaitResult<QList<TagCount>>([&](auto done) { api->listTags(this, done); });
        QCOMPARE(codeOf(tags), u"ok"_s);
        QCOMPARE(tags->size(), 2);
        QCOMPARE(tags->at(0).tag, u"alpha"_s);
        QCOMPARE(tags->at(0).count, 1);

        const auto renamed = awaitResult<Folder>(
            [&](auto done) { api->renameFolder(folder->id, u"Office"_s, this, done); });
        QCOMPARE(codeOf(renamed), u"ok"_s);
        QCOMPARE(renamed->name, u"Office"_s);
        const auto folders =
            awaitResult<QList<Folder>>([&](auto done) { api->listFolders(this, done); });
        QCOMPARE(codeOf(folders), u"ok"_s);
        QCOMPARE(folders->size(), 1);

        // Trash and restore.
        const auto deleted =
            awaitResult<Done>([&](auto done) { api->deleteConversation(created->id, this, done); });
        QCOMPARE(codeOf(deleted), u"ok"_s);
        ConversationQuery trash;
        trash.deleted = true;
        const auto trashPage = awaitResult<ConversationPage>(
            [&](auto done) { api->listConversations(trash, this, done); });
        QCOMPARE(codeOf(trashPage), u"ok"_s);
        QCOMPARE(trashPage->items.size(), 1);
        QVERIFY(trashPage->items.first().isDeleted());
        const auto restored = awaitResult<Conversation>(
            [&](auto done) { api->restoreConversation(created->id, this, done); });
        QCOMPARE(codeOf(restored), u"ok"_s);
        QVERIFY(!restored->isDeleted());

        const auto folderGone =
            awaitResult<Done>([&](auto done) { api->deleteFolder(folder->id, this, done); });
        QCOMPARE(codeOf(folderGone), u"ok"_s);
        const auto moved = awaitResult<Conversation>(
            [&](auto done) { api->getConversation(created->id, this, done); });
        QCOMPARE(codeOf(moved), u"ok"_s);
        QVERIFY(moved->folderId.isNull());

        const auto missing = awaitResult<Conversation>([&](auto done) {
            api->getConversation(u"01900000-0000-7000-8000-000000000000"_s, this, done);
        });
        QCOMPARE(codeOf(missing), QString(errc::NotFound));
    }

    void sendStreamsTheStoredAnswer()
    {
        auto api = signedInClient();
        NewConversation fields;
        fields.model = u"echo"_s;
        const auto conversation = awaitResult<Conversation>(
            [&](auto done) { api->createConversation(fields, this, done); });
        QCOMPARE(codeOf(conversation), u"ok"_s);

        const auto started = awaitResult<StartedAnswer>([&](auto done) {
            api->sendMessage(conversation->id, text(u"the quick brown fox"_s),
                             MessageParent::selectedLeaf(), this, done);
        });
        QCOMPARE(codeOf(started), u"ok"_s);
        QVERIFY(started->userMessage);
        QCOMPARE(started->userMessage->plainText(), u"the quick brown fox"_s);
        QCOMPARE(started->model, u"echo"_s);
        QCOMPARE(started->streamUrl, api::path(api::Stream, started->assistantMessageId));

        StreamClient stream(api.get());
        QSignalSpy finished(&stream, &StreamClient::finished);
        QSignalSpy usage(&stream, &StreamClient::usageReceived);
        stream.start(started->streamUrl);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30'000);
        QCOMPARE(finished.at(0).at(0).value<Message::Status>(), Message::Status::Complete);
        QCOMPARE(usage.count(), 1);
        QCOMPARE(stream.state(), StreamClient::State::Finished);

        const auto stored = awaitResult<MessageDetail>(
            [&](auto done) { api->getMessage(started->assistantMessageId, this, done); });
        QCOMPARE(codeOf(stored), u"ok"_s);
        QVERIFY(!stream.text().isEmpty());
        QCOMPARE(stream.text(), stored->message.plainText());

        const auto page = awaitResult<MessagePage>(
            [&](auto done) { api->listMessages(conversation->id, {}, this, done); });
        QCOMPARE(codeOf(page), u"ok"_s);
        QCOMPARE(page->items.size(), 2);
        QCOMPARE(page->items.at(1).id, started->assistantMessageId);

        // Regenerate: a sibling answer; stopping a finished one is not an error.
        const auto again = awaitResult<StartedAnswer>(
            [&](auto done) { api->regenerate(started->assistantMessageId, this, done); });
        QCOMPARE(codeOf(again), u"ok"_s);
        QVERIFY(!again->userMessage);
        StreamClient second(api.get());
        QSignalSpy secondDone(&second, &StreamClient::finished);
        second.start(again->streamUrl);
        QTRY_COMPARE_WITH_TIMEOUT(secondDone.count(), 1, 30'000);
        const auto stop = awaitResult<StopResult>(
            [&](auto done) { api->stopGeneration(again->assistantMessageId, this, done); });
        QCOMPARE(codeOf(stop), u"ok"_s);
        QVERIFY(!stop->stopping);

        const auto models = awaitResult<ModelList>([&](auto done) { api->listModels(this, done); });
        QCOMPARE(codeOf(models), u"ok"_s);
        QCOMPARE(models->defaultModel, u"echo"_s);
        QVERIFY(!models->models.isEmpty());
        const auto usageNow = awaitResult<UsageSummary>([&](auto done) { api->usage(this, done); });
        QCOMPARE(codeOf(usageNow), u"ok"_s);
        QCOMPARE(usageNow->messagesToday, 2);
    }

    // The server refuses the access token (as it does an expired one): one
    // refresh, the call is sent again and succeeds, the token rotated.
    void aRefusedAccessTokenIsRefreshedOnceAndTheCallRetried()
    {
        auto api = signedInClient();
        const QString oldRefresh = api->refreshToken();
        QSignalSpy rotated(api.get(), &ApiClient::refreshTokenChanged);
        api->setSession(u"not-a-valid-token"_s, oldRefresh);
        const int before = api->refreshCount();

        const auto me = awaitResult<User>([&](auto done) { api->me(this, done); });
        QCOMPARE(codeOf(me), u"ok"_s);
        QCOMPARE(api->refreshCount(), before + 1);
        QVERIFY(api->refreshToken() != oldRefresh);
        QVERIFY(api->accessToken() != u"not-a-valid-token"_s);
        QCOMPARE(rotated.count(), 1);
        QCOMPARE(rotated.at(0).at(0).toString(), api->refreshToken());
    }

    void concurrentCallsShareOneRefresh()
    {
        auto api = signedInClient();
        api->setSession(u"expired"_s, api->refreshToken());
        const int before = api->refreshCount();
        QList<std::optional<Result<ConversationPage>>> results(6);
        for (auto &slot : results) {
            api->listConversations({}, this,
                                   [&slot](Result<ConversationPage> page) { slot.emplace(page); });
        }
        const auto me = awaitResult<User>([&](auto done) { api->me(this, done); });
        QCOMPARE(codeOf(me), u"ok"_s);
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(results.cbegin(), results.cend(),
                                             [](const auto &slot) { return slot.has_value(); }),
                                 30'000);
        for (const auto &slot : results)
            QCOMPARE(codeOf(*slot), u"ok"_s);
        // Two refreshes with one token would be reuse: the server would have
        // revoked the family and the calls would have failed.
        QCOMPARE(api->refreshCount(), before + 1);
    }

    void aRefusedRefreshTokenEndsTheSession()
    {
        auto api = signedInClient();
        QSignalSpy expired(api.get(), &ApiClient::sessionExpired);
        api->setSession(u"expired"_s, u"this-refresh-token-was-never-issued"_s);
        const auto me = awaitResult<User>([&](auto done) { api->me(this, done); });
        QCOMPARE(codeOf(me), QString(errc::InvalidToken));
        QCOMPARE(expired.count(), 1);
        QVERIFY(!api->hasRefreshToken());
        QVERIFY(api->accessToken().isEmpty());
    }

    void logoutEndsTheRefreshToken()
    {
        auto api = signedInClient();
        const QString refresh = api->refreshToken();
        const auto out = awaitResult<Done>([&](auto done) { api->logout(this, done); });
        QCOMPARE(codeOf(out), u"ok"_s);
        QVERIFY(!api->hasRefreshToken());
        api->setSession({}, refresh);
        const auto again = awaitResult<AuthSession>([&](auto done) { api->refresh(this, done); });
        QVERIFY(!again.ok());
        QVERIFY(!api->hasRefreshToken());
    }

    void changePasswordAdoptsTheNewSession()
    {
        auto api = signedInClient();
        const QString oldRefresh = api->refreshToken();
        const auto wrong = awaitResult<AuthSession>([&](auto done) {
            api->changePassword(u"not the password"_s, u"a new long password"_s, this, done);
        });
        QCOMPARE(codeOf(wrong), QString(errc::InvalidCredentials));
        QCOMPARE(api->refreshToken(), oldRefresh);
        const auto changed = awaitResult<AuthSession>([&](auto done) {
            api->changePassword(QString::fromLatin1(StreamTestServer::Password),
                                u"a new long password"_s, this, done);
        });
        QCOMPARE(codeOf(changed), u"ok"_s);
        QCOMPARE(api->refreshToken(), changed->refreshToken);
        QVERIFY(api->refreshToken() != oldRefresh);
    }

    void anUnreachableServerIsNetworkUnreachable()
    {
        // A port that was just free: nothing listens there.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        ApiClient api;
        api.setBaseUrl(QUrl(u"http://127.0.0.1:%1"_s.arg(port)));
        const auto session = awaitResult<AuthSession>(
            [&](auto done) { api.login(u"a@example.com"_s, u"whatever"_s, this, done); });
        QCOMPARE(codeOf(session), QString(errc::NetworkUnreachable));
    }

    void anUntrustedCertificateIsTlsErrorWithTheReason()
    {
        // parlanced with a self-signed certificate the client does not trust.
        QTemporaryDir certDir;
        QVERIFY(certDir.isValid());
        const QString cert = certDir.filePath(u"server.crt"_s);
        const QString key = certDir.filePath(u"server.key"_s);
        QProcess openssl;
        openssl.start(u"openssl"_s,
                      { u"req"_s, u"-x509"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s, u"-days"_s,
                        u"2"_s, u"-subj"_s, u"/CN=127.0.0.1"_s, u"-addext"_s,
                        u"subjectAltName=IP:127.0.0.1"_s, u"-keyout"_s, key, u"-out"_s, cert });
        QVERIFY2(openssl.waitForFinished(60'000), "openssl did not finish");
        QVERIFY2(openssl.exitCode() == 0, openssl.readAllStandardError().constData());
        test::ParlancedProcess tlsServer;
        QVERIFY2(tlsServer.start({ u"--tls-cert"_s, cert, u"--tls-key"_s, key }),
                 qPrintable(tlsServer.errorText()));

        ApiClient api;
        QUrl url = tlsServer.baseUrl();
        url.setScheme(u"https"_s);
        api.setBaseUrl(url);
        const auto session = awaitResult<AuthSession>(
            [&](auto done) { api.login(u"a@example.com"_s, u"whatever"_s, this, done); });
        QCOMPARE(codeOf(session), QString(errc::TlsError));
        // The reason is QSslError's text, e.g. "The certificate is
        // self-signed, and untrusted".
        QVERIFY2(session.error().message.contains(u"self-signed"_s, Qt::CaseInsensitive),
                 qPrintable(session.error().message));
        tlsServer.stop();
    }

    // Answers parlanced never gives, from a fake server that sends fixed bytes.
    void transportAndShapeErrorsGetClientCodes_data()
    {
        QTest::addColumn<QByteArray>("answer"); // empty: never answer
        QTest::addColumn<QString>("code");
        QTest::addColumn<int>("retryAfter"); // -1: none
        QTest::newRow("not json") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
                                                "Connection: close\r\n\r\nhello")
                                  << QString(errc::MalformedResponse) << -1;
        QTest::newRow("json array") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
                                                  "Connection: close\r\n\r\n[]")
                                    << QString(errc::MalformedResponse) << -1;
        QTest::newRow("wrong shape") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n"
                                                   "Connection: close\r\n\r\n{\"user\":{}}")
                                     << QString(errc::MalformedResponse) << -1;
        QTest::newRow("proxy html 502")
            << QByteArray("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 13\r\n"
                          "Connection: close\r\n\r\n<html></html>")
            << QString(errc::Unavailable) << -1;
        QTest::newRow("throttled with Retry-After")
            << QByteArray("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 7\r\n"
                          "Content-Length: 55\r\nConnection: close\r\n\r\n"
                          "{\"error\":{\"code\":\"rate_limited\",\"message\":\"Slow down\"}}")
            << QString(errc::RateLimited) << 7;
        QTest::newRow("silent server") << QByteArray() << QString(errc::Timeout) << -1;
    }
    void transportAndShapeErrorsGetClientCodes()
    {
        QFETCH(QByteArray, answer);
        QFETCH(QString, code);
        QFETCH(int, retryAfter);
        QTcpServer fake;
        QVERIFY(fake.listen(QHostAddress::LocalHost, 0));
        QList<QTcpSocket *> peers;
        connect(&fake, &QTcpServer::newConnection, this, [&] {
            while (QTcpSocket *peer = fake.nextPendingConnection()) {
                peers.append(peer);
                connect(peer, &QTcpSocket::readyRead, peer, [peer, answer] {
                    peer->readAll();
                    if (!answer.isEmpty()) {
                        peer->write(answer);
                        peer->disconnectFromHost();
                    }
                });
            }
        });
        ApiClient api;
        api.setBaseUrl(QUrl(u"http://127.0.0.1:%1"_s.arg(fake.serverPort())));
        api.setTransferTimeout(std::chrono::milliseconds(300));
        const auto session = awaitResult<AuthSession>(
            [&](auto done) { api.login(u"a@example.com"_s, u"whatever"_s, this, done); });
        QCOMPARE(codeOf(session), code);
        QCOMPARE(session.error().retryAfterSeconds.value_or(-1), retryAfter);
        QVERIFY(!api.hasRefreshToken());
    }

    void noCallbackAfterItsContextIsDestroyed()
    {
        auto api = signedInClient();
        bool called = false;
        auto *context = new QObject;
        api->me(context, [&called](Result<User>) { called = true; });
        delete context;
        // A later call on the same client finishes after the first one.
        const auto me = awaitResult<User>([&](auto done) { api->me(this, done); });
        QCOMPARE(codeOf(me), u"ok"_s);
        QTest::qWait(50); // let any stray queued delivery run; none may arrive
        QVERIFY(!called);
    }
};

QTEST_GUILESS_MAIN(TestApiClient)
#include "tst_apiclient.moc"
