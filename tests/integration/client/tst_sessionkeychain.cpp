// Session with the real OS keychain (QtKeychain over the Secret Service of a
// private gnome-keyring-daemon: ctest runs this through
// tests/support/keyring/run-with-keyring.sh) against the real parlanced:
// signing in stores the refresh token in the keychain, a new Session (a new
// start of the app) restores from it and the rotated token replaces it, and
// signing out removes it.
#include "api/apiclient.h"
#include "awaitresult.h"
#include "contract/errorcodes.h"
#include "parlancedprocess.h"
#include "platform/keychainsecretstore.h"
#include "platform/memorysecretstore.h"
#include "session/session.h"

#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace parlance;
using namespace parlance::client;
using parlance::test::ParlancedProcess;

namespace {

const QString Password = u"correct horse battery"_s;

std::optional<QString> readSecret(SecretStore &store, const QString &key, QObject *context)
{
    const auto secret =
        awaitResult<std::optional<QString>>([&](auto done) { store.read(key, context, done); });
    if (!secret) {
        qWarning() << "keychain read failed:" << secret.error().code << secret.error().message;
        return std::nullopt;
    }
    return *secret;
}

} // namespace

class TestSessionKeychain : public QObject
{
    Q_OBJECT

    ParlancedProcess m_server;
    QTemporaryDir m_dir;
    KeychainSecretStore m_keychain { u"parlance-tests"_s };

    std::unique_ptr<QSettings> settings()
    {
        return std::make_unique<QSettings>(m_dir.filePath(u"client.ini"_s), QSettings::IniFormat);
    }

    QString serverUrl() const { return m_server.baseUrl().toString(QUrl::StripTrailingSlash); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(
            m_server.start({ u"--argon2-memory-kib"_s, u"64"_s, u"--argon2-iterations"_s, u"1"_s }),
            qPrintable(m_server.errorText()));
    }

    void theKeychainStoresReadsAndRemoves()
    {
        const QString key = u"probe %1"_s.arg(QCoreApplication::applicationPid());
        QCOMPARE(readSecret(m_keychain, key, this), std::optional<QString>());
        const auto written =
            awaitResult<Done>([&](auto done) { m_keychain.write(key, u"s3cret"_s, this, done); });
        QVERIFY2(written.ok(), qPrintable(written ? QString() : written.error().message));
        QCOMPARE(readSecret(m_keychain, key, this), std::optional<QString>(u"s3cret"_s));
        const auto removed =
            awaitResult<Done>([&](auto done) { m_keychain.remove(key, this, done); });
        QVERIFY(removed.ok());
        QCOMPARE(readSecret(m_keychain, key, this), std::optional<QString>());
        // Removing what is not there is not an error.
        const auto again =
            awaitResult<Done>([&](auto done) { m_keychain.remove(key, this, done); });
        QVERIFY(again.ok());
    }

    void signInStoresRestoreRotatesSignOutRemoves()
    {
        const QString email = u"keychain@example.com"_s;
        const QString key = Session::secretKey(serverUrl(), email);
        QString firstToken;
        {
            ApiClient api;
            Session session(&api, &m_keychain, settings());
            session.setInitialServerUrl(serverUrl());
            QCOMPARE(session.serverUrl(), serverUrl());
            session.restore();
            QCOMPARE(session.state(), Session::State::SignedOut); // nothing saved yet

            QSignalSpy saved(&session, &Session::secretSaved);
            session.registerAccount(email, Password);
            QCOMPARE(session.state(), Session::State::Working);
            QTRY_COMPARE_WITH_TIMEOUT(session.state(), Session::State::SignedIn, 30'000);
            QCOMPARE(session.email(), email);
            QVERIFY(!session.isAdmin());
            QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 10'000);
            firstToken = api.refreshToken();
            QCOMPARE(readSecret(m_keychain, key, this), std::optional<QString>(firstToken));
        }
        // The access token lived only in memory; a new start has only the
        // keychain entry and the settings file.
        QString rotated;
        {
            ApiClient api;
            Session session(&api, &m_keychain, settings());
            QCOMPARE(session.serverUrl(), serverUrl());
            QSignalSpy saved(&session, &Session::secretSaved);
            session.restore();
            QCOMPARE(session.state(), Session::State::Restoring);
            QTRY_COMPARE_WITH_TIMEOUT(session.state(), Session::State::SignedIn, 30'000);
            QCOMPARE(session.email(), email);
            QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 10'000);
            rotated = api.refreshToken();
            QVERIFY(rotated != firstToken);
            QCOMPARE(readSecret(m_keychain, key, this), std::optional<QString>(rotated));

            // A password change revokes every sign-in and hands this one a
            // new pair: the keychain follows.
            QSignalSpy changed(&session, &Session::passwordChanged);
            session.changePassword(Password, u"another long password"_s);
            QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 30'000);
            QCOMPARE(session.state(), Session::State::SignedIn);
            QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 2, 10'000);
            QVERIFY(api.refreshToken() != rotated);
            rotated = api.refreshToken();
            QCOMPARE(readSecret(m_keychain, key, this), std::optional<QString>(rotated));

            QSignalSpy removed(&session, &Session::secretRemoved);
            session.signOut();
            QTRY_COMPARE_WITH_TIMEOUT(session.state(), Session::State::SignedOut, 10'000);
            QCOMPARE(removed.count(), 1);
            QCOMPARE(readSecret(m_keychain, key, this), std::optional<QString>());
            QVERIFY(session.email().isEmpty());
            QVERIFY(!api.hasRefreshToken());
        }
        // Signed out: the next start stays signed out.
        {
            ApiClient api;
            Session session(&api, &m_keychain, settings());
            session.restore();
            QTRY_COMPARE_WITH_TIMEOUT(session.state(), Session::State::SignedOut, 10'000);
        }
        // The rotated token was revoked by the sign-out.
        {
            ApiClient api;
            api.setBaseUrl(m_server.baseUrl());
            api.setSession({}, rotated);
            const auto refreshed =
                awaitResult<AuthSession>([&](auto done) { api.refresh(this, done); });
            QVERIFY(!refreshed.ok());
        }
    }

    void errorsAreTranslatedSentences_data()
    {
        QTest::addColumn<QString>("email");
        QTest::addColumn<QString>("password");
        QTest::addColumn<bool>("registering");
        QTest::addColumn<QString>("message");
        QTest::newRow("wrong password") << u"keychain@example.com"_s << u"wrong wrong wrong"_s
                                        << false << u"Wrong email or password."_s;
        QTest::newRow("email taken") << u"keychain@example.com"_s << Password << true
                                     << u"This email is already registered."_s;
        QTest::newRow("weak password (the server's sentence)")
            << u"weak@example.com"_s << u"short"_s << true << QString();
    }
    void errorsAreTranslatedSentences()
    {
        QFETCH(QString, email);
        QFETCH(QString, password);
        QFETCH(bool, registering);
        QFETCH(QString, message);
        ApiClient api;
        MemorySecretStore secrets;
        QTemporaryDir dir;
        Session session(
            &api, &secrets,
            std::make_unique<QSettings>(dir.filePath(u"s.ini"_s), QSettings::IniFormat));
        session.setServerUrl(serverUrl());
        if (registering)
            session.registerAccount(email, password);
        else
            session.signIn(email, password);
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), Session::State::SignedOut, 30'000);
        QVERIFY(!session.errorMessage().isEmpty());
        if (!message.isEmpty())
            QCOMPARE(session.errorMessage(), message);
        else
            QCOMPARE(session.errorCode(), QString(errc::WeakPassword));
        QVERIFY(secrets.entries().isEmpty());
    }

    void aRevokedSignInSignsOutAndForgetsTheToken()
    {
        ApiClient api;
        MemorySecretStore secrets;
        QTemporaryDir dir;
        Session session(
            &api, &secrets,
            std::make_unique<QSettings>(dir.filePath(u"s.ini"_s), QSettings::IniFormat));
        session.setServerUrl(serverUrl());
        session.registerAccount(u"revoked@example.com"_s, Password);
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), Session::State::SignedIn, 30'000);
        QTRY_COMPARE_WITH_TIMEOUT(secrets.entries().size(), 1, 10'000);

        // Another client ends this sign-in (as a password change elsewhere
        // or an admin would), then this client's access token is refused.
        ApiClient other;
        other.setBaseUrl(m_server.baseUrl());
        other.setSession({}, api.refreshToken());
        const auto out = awaitResult<Done>([&](auto done) { other.logout(this, done); });
        QVERIFY(out.ok());
        api.setSession(u"expired"_s, api.refreshToken());
        const auto me = awaitResult<User>([&](auto done) { api.me(this, done); });
        QVERIFY(!me.ok());

        QTRY_COMPARE_WITH_TIMEOUT(session.state(), Session::State::SignedOut, 10'000);
        QTRY_VERIFY_WITH_TIMEOUT(secrets.entries().isEmpty(), 10'000);
        QCOMPARE(session.errorMessage(), u"Your session has ended. Please sign in again."_s);
        QVERIFY(session.email().isEmpty());
    }

    void restoringWhileTheServerIsDownGoesOfflineAndKeepsTheToken()
    {
        ApiClient api;
        MemorySecretStore secrets;
        QTemporaryDir dir;
        auto settings = std::make_unique<QSettings>(dir.filePath(u"s.ini"_s), QSettings::IniFormat);
        const QString down = u"http://127.0.0.1:1"_s;
        settings->setValue(u"server/url"_s, down);
        settings->setValue(u"session/server"_s, down);
        settings->setValue(u"session/email"_s, u"offline@example.com"_s);
        settings->setValue(u"session/userId"_s, u"user-1"_s);
        const QString key = Session::secretKey(down, u"offline@example.com"_s);
        const auto written =
            awaitResult<Done>([&](auto done) { secrets.write(key, u"still-good"_s, this, done); });
        QVERIFY(written.ok());

        Session session(&api, &secrets, std::move(settings));
        session.restore();
        QCOMPARE(session.state(), Session::State::Restoring);
        QCOMPARE(session.savedUserId(), u"user-1"_s);
        // Offline: the saved account's cached chats stay readable.
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), Session::State::Offline, 30'000);
        QVERIFY(session.isOffline());
        QCOMPARE(session.email(), u"offline@example.com"_s);
        QCOMPARE(session.userId(), u"user-1"_s);
        QCOMPARE(session.errorCode(), QString(errc::NetworkUnreachable));
        QCOMPARE(secrets.entries().value(key), u"still-good"_s);
        // Signing out while offline still forgets the saved sign-in.
        session.signOut();
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), Session::State::SignedOut, 10'000);
        QVERIFY(!secrets.entries().contains(key));
        QVERIFY(session.savedUserId().isEmpty());
    }

    void anUnreachableServerIsSaidSo()
    {
        ApiClient api;
        MemorySecretStore secrets;
        QTemporaryDir dir;
        Session session(
            &api, &secrets,
            std::make_unique<QSettings>(dir.filePath(u"s.ini"_s), QSettings::IniFormat));
        session.setServerUrl(u"http://127.0.0.1:1"_s);
        session.signIn(u"a@example.com"_s, Password);
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), Session::State::SignedOut, 30'000);
        QCOMPARE(session.errorMessage(), u"Cannot reach the server at http://127.0.0.1:1."_s);
    }
};

QTEST_GUILESS_MAIN(TestSessionKeychain)
#include "tst_sessionkeychain.moc"
