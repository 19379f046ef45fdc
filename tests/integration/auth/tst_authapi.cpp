// The /api/v1/auth routes over real HTTP against parlanced: registration and
// its validation, sign-in, refresh rotation and reuse detection, sign-out,
// /me, password change, disabled accounts and admin bootstrap through
// `parlanced user`. One server for the suite; every test uses its own emails.
#include "authtestclient.h"
#include "contract/errorcodes.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;
using namespace parlance;
using namespace parlance::test;

namespace {
const QString GoodPassword = u"correct horse battery"_s;
} // namespace

class TestAuthApi : public QObject
{
    Q_OBJECT

private:
    ParlancedProcess m_server;
    std::unique_ptr<TestHttpClient> m_http;

    // Registers and returns the sign-up answer (checked to be 201).
    QJsonObject signUp(const QString &email, const QString &password = GoodPassword)
    {
        const auto reply = registerAccount(*m_http, email, password);
        if (reply.status != 201)
            qWarning() << "register" << email << reply.status << reply.body;
        return reply.json;
    }

private Q_SLOTS:
    void initTestCase()
    {
        qInfo() << "database:" << ParlancedProcess::databaseKind();
        QVERIFY2(m_server.start(cheapAuthArgs()), qPrintable(m_server.errorText()));
        m_http = std::make_unique<TestHttpClient>(m_server.baseUrl());
    }

    void cleanupTestCase()
    {
        m_http.reset();
        QCOMPARE(m_server.stop(), 0);
    }

    void registerRefusesBadInput_data()
    {
        QTest::addColumn<QJsonObject>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("messagePart");
        const auto row = [](const char *name, QJsonObject body, int status, QLatin1StringView code,
                            const QString &part) {
            QTest::newRow(name) << body << status << QString(code) << part;
        };
        row("email missing", { { u"password"_s, GoodPassword } }, 400, errc::MissingField,
            u"email"_s);
        row("email without domain", { { u"email"_s, u"alice"_s }, { u"password"_s, GoodPassword } },
            400, errc::InvalidField, u"mail"_s);
        row("email not a string", { { u"email"_s, 42 }, { u"password"_s, GoodPassword } }, 400,
            errc::InvalidField, u"email"_s);
        row("password missing", { { u"email"_s, u"v1@example.com"_s } }, 400, errc::MissingField,
            u"password"_s);
        row("password too short",
            { { u"email"_s, u"v2@example.com"_s }, { u"password"_s, u"short"_s } }, 400,
            errc::WeakPassword, u"10"_s);
        row("password empty", { { u"email"_s, u"v3@example.com"_s }, { u"password"_s, u""_s } },
            400, errc::WeakPassword, u"10"_s);
        row("password is the email's local part",
            { { u"email"_s, u"longlocalpart@example.com"_s },
              { u"password"_s, u"LongLocalPart"_s } },
            400, errc::WeakPassword, u"email"_s);
        row("password one repeated character",
            { { u"email"_s, u"v4@example.com"_s }, { u"password"_s, u"aaaaaaaaaaaaaa"_s } }, 400,
            errc::WeakPassword, u"repeat"_s);
        row("display name not a string",
            { { u"email"_s, u"v5@example.com"_s },
              { u"password"_s, GoodPassword },
              { u"display_name"_s, 5 } },
            400, errc::InvalidField, u"display_name"_s);
        row("display name too long",
            { { u"email"_s, u"v6@example.com"_s },
              { u"password"_s, GoodPassword },
              { u"display_name"_s, QString(101, u'x') } },
            400, errc::InvalidField, u"100"_s);
    }

    void registerRefusesBadInput()
    {
        QFETCH(QJsonObject, body);
        QFETCH(int, status);
        QFETCH(QString, code);
        QFETCH(QString, messagePart);
        const auto reply = postJson(*m_http, api::AuthRegister, body);
        PARLANCE_COMPARE_REPLY(reply, status, code);
        const QString message =
            reply.json.value(u"error"_s).toObject().value(u"message"_s).toString();
        QVERIFY2(message.contains(messagePart, Qt::CaseInsensitive), qPrintable(message));
    }

    void registerNeedsJson()
    {
        const auto reply = m_http->request("POST", QString(api::AuthRegister), QByteArray("x=1"),
                                           { { "Content-Type", "text/plain" } });
        PARLANCE_COMPARE_REPLY(reply, 415, errc::UnsupportedMediaType);
    }

    void registerSignsIn()
    {
        const auto reply = postJson(*m_http, api::AuthRegister,
                                    { { u"email"_s, u"  Alice@Example.COM "_s },
                                      { u"password"_s, GoodPassword },
                                      { u"display_name"_s, u" Alice "_s } });
        PARLANCE_COMPARE_REPLY(reply, 201, "");
        QCOMPARE(reply.header("cache-control"), QByteArray("no-store"));
        const QJsonObject user = reply.json.value(u"user"_s).toObject();
        QCOMPARE(user.value(u"email"_s).toString(), u"alice@example.com"_s);
        QCOMPARE(user.value(u"display_name"_s).toString(), u"Alice"_s);
        QCOMPARE(user.value(u"role"_s).toString(), u"user"_s);
        QVERIFY(!user.value(u"id"_s).toString().isEmpty());
        QVERIFY(!user.contains(u"password_hash"_s));
        QCOMPARE(reply.json.value(u"token_type"_s).toString(), u"Bearer"_s);
        QCOMPARE(reply.json.value(u"expires_in"_s).toInt(), 900);
        QCOMPARE(reply.json.value(u"refresh_expires_in"_s).toInteger(), 30 * 86400);
        QCOMPARE(refreshOf(reply).size(), 43);

        const auto who = me(*m_http, accessOf(reply));
        PARLANCE_COMPARE_REPLY(who, 200, "");
        QCOMPARE(who.json, user);
        // The refresh token from sign-up works like one from sign-in.
        PARLANCE_COMPARE_REPLY(refresh(*m_http, refreshOf(reply)), 200, "");
    }

    void duplicateEmailIsRefused()
    {
        QVERIFY(!signUp(u"dup@example.com"_s).isEmpty());
        const auto again = registerAccount(*m_http, u"DUP@example.com"_s, u"another password"_s);
        PARLANCE_COMPARE_REPLY(again, 409, errc::EmailTaken);
    }

    void loginAnswersUnknownEmailLikeWrongPassword()
    {
        QVERIFY(!signUp(u"bob@example.com"_s).isEmpty());
        const auto wrong = login(*m_http, u"bob@example.com"_s, u"not the password"_s);
        const auto unknown = login(*m_http, u"nobody@example.com"_s, u"not the password"_s);
        PARLANCE_COMPARE_REPLY(wrong, 401, errc::InvalidCredentials);
        PARLANCE_COMPARE_REPLY(unknown, 401, errc::InvalidCredentials);
        QCOMPARE(wrong.json, unknown.json);

        const auto right = login(*m_http, u"BOB@example.com"_s, GoodPassword);
        PARLANCE_COMPARE_REPLY(right, 200, "");
        QCOMPARE(right.json.value(u"user"_s).toObject().value(u"email"_s).toString(),
                 u"bob@example.com"_s);
        PARLANCE_COMPARE_REPLY(me(*m_http, accessOf(right)), 200, "");
    }

    void meNeedsAToken()
    {
        PARLANCE_COMPARE_REPLY(m_http->get(QString(api::AuthMe)), 401, errc::Unauthenticated);
        PARLANCE_COMPARE_REPLY(me(*m_http, u"not.a.token"_s), 401, errc::InvalidToken);
    }

    void refreshRotatesAndReuseEndsTheFamily()
    {
        const QJsonObject first = signUp(u"carol@example.com"_s);
        const QString t1 = first.value(u"refresh_token"_s).toString();
        const auto r2 = refresh(*m_http, t1);
        PARLANCE_COMPARE_REPLY(r2, 200, "");
        const QString t2 = refreshOf(r2);
        QVERIFY(t2 != t1);
        PARLANCE_COMPARE_REPLY(me(*m_http, accessOf(r2)), 200, "");
        const auto r3 = refresh(*m_http, t2);
        PARLANCE_COMPARE_REPLY(r3, 200, "");
        const QString t3 = refreshOf(r3);

        // t1 again: somebody copied it. The whole family ends, t3 included.
        PARLANCE_COMPARE_REPLY(refresh(*m_http, t1), 401, errc::TokenReused);
        PARLANCE_COMPARE_REPLY(refresh(*m_http, t3), 401, errc::InvalidToken);
        // Other sessions of the same account are untouched.
        PARLANCE_COMPARE_REPLY(login(*m_http, u"carol@example.com"_s, GoodPassword), 200, "");
    }

    void refreshRefusesJunk()
    {
        PARLANCE_COMPARE_REPLY(refresh(*m_http, u"junk"_s), 401, errc::InvalidToken);
        PARLANCE_COMPARE_REPLY(refresh(*m_http, QString(43, u'A')), 401, errc::InvalidToken);
        PARLANCE_COMPARE_REPLY(postJson(*m_http, api::AuthRefresh, {}), 400, errc::MissingField);
    }

    void logoutEndsTheSessionAndIsIdempotent()
    {
        const QJsonObject session = signUp(u"dave@example.com"_s);
        const QString token = session.value(u"refresh_token"_s).toString();
        const QJsonObject body { { u"refresh_token"_s, token } };
        QCOMPARE(postJson(*m_http, api::AuthLogout, body).status, 204);
        PARLANCE_COMPARE_REPLY(refresh(*m_http, token), 401, errc::InvalidToken);
        QCOMPARE(postJson(*m_http, api::AuthLogout, body).status, 204);
        QCOMPARE(postJson(*m_http, api::AuthLogout, { { u"refresh_token"_s, u"junk"_s } }).status,
                 204);
    }

    void passwordChangeEndsOtherSessions()
    {
        const QString email = u"erin@example.com"_s;
        const QJsonObject a = signUp(email);
        const auto b = login(*m_http, email, GoodPassword);
        PARLANCE_COMPARE_REPLY(b, 200, "");
        const QString accessA = a.value(u"access_token"_s).toString();
        const QString newPassword = u"a brand new passphrase"_s;

        const auto wrongCurrent = postJson(
            *m_http, api::AuthPassword,
            { { u"current_password"_s, u"not it at all"_s }, { u"new_password"_s, newPassword } },
            accessA);
        PARLANCE_COMPARE_REPLY(wrongCurrent, 401, errc::InvalidCredentials);
        const auto weak =
            postJson(*m_http, api::AuthPassword,
                     { { u"current_password"_s, GoodPassword }, { u"new_password"_s, u"short"_s } },
                     accessA);
        PARLANCE_COMPARE_REPLY(weak, 400, errc::WeakPassword);
        PARLANCE_COMPARE_REPLY(postJson(*m_http, api::AuthPassword,
                                        { { u"current_password"_s, GoodPassword },
                                          { u"new_password"_s, newPassword } }),
                               401, errc::Unauthenticated);

        const auto changed = postJson(
            *m_http, api::AuthPassword,
            { { u"current_password"_s, GoodPassword }, { u"new_password"_s, newPassword } },
            accessA);
        PARLANCE_COMPARE_REPLY(changed, 200, "");
        QCOMPARE(changed.json.value(u"user"_s).toObject().value(u"email"_s).toString(), email);

        // Every earlier session is over, this client's own included; the new
        // pair carries on.
        PARLANCE_COMPARE_REPLY(refresh(*m_http, refreshOf(b)), 401, errc::InvalidToken);
        PARLANCE_COMPARE_REPLY(refresh(*m_http, a.value(u"refresh_token"_s).toString()), 401,
                               errc::InvalidToken);
        PARLANCE_COMPARE_REPLY(refresh(*m_http, refreshOf(changed)), 200, "");
        PARLANCE_COMPARE_REPLY(login(*m_http, email, GoodPassword), 401, errc::InvalidCredentials);
        PARLANCE_COMPARE_REPLY(login(*m_http, email, newPassword), 200, "");
    }

    void disabledAccountCannotSignInOrRefresh()
    {
        const QString email = u"frank@example.com"_s;
        const QJsonObject session = signUp(email);
        const auto disabled = m_server.runCommand({ u"user"_s, u"disable"_s, u"--email"_s, email });
        QVERIFY2(disabled.exitCode == 0, qPrintable(disabled.stderrText));

        PARLANCE_COMPARE_REPLY(login(*m_http, email, GoodPassword), 403, errc::AccountDisabled);
        // Disabling ended the sessions, so the refresh token is simply dead.
        PARLANCE_COMPARE_REPLY(refresh(*m_http, session.value(u"refresh_token"_s).toString()), 401,
                               errc::InvalidToken);
        // An access token issued before still verifies for its few minutes,
        // but the account routes look at the account.
        PARLANCE_COMPARE_REPLY(me(*m_http, session.value(u"access_token"_s).toString()), 403,
                               errc::AccountDisabled);
        // A wrong password stays a wrong password: "disabled" is only said to
        // whoever knows the password.
        PARLANCE_COMPARE_REPLY(login(*m_http, email, u"not the password"_s), 401,
                               errc::InvalidCredentials);

        const auto enabled = m_server.runCommand({ u"user"_s, u"enable"_s, u"--email"_s, email });
        QVERIFY2(enabled.exitCode == 0, qPrintable(enabled.stderrText));
        PARLANCE_COMPARE_REPLY(login(*m_http, email, GoodPassword), 200, "");
    }

    void adminBootstrappedFromTheCommandLine()
    {
        const QString email = u"root@example.com"_s;
        const auto created =
            m_server.runCommand({ u"user"_s, u"create"_s, u"--email"_s, email, u"--admin"_s },
                                GoodPassword.toUtf8() + '\n');
        QVERIFY2(created.exitCode == 0, qPrintable(created.stderrText));
        const QString id = created.stdoutText.trimmed();
        QCOMPARE(id.size(), 36);

        const auto admin = login(*m_http, email, GoodPassword);
        PARLANCE_COMPARE_REPLY(admin, 200, "");
        QCOMPARE(admin.json.value(u"user"_s).toObject().value(u"id"_s).toString(), id);
        QCOMPARE(admin.json.value(u"user"_s).toObject().value(u"role"_s).toString(), u"admin"_s);
        PARLANCE_COMPARE_REPLY(m_http->get(u"/api/v1/_test/admin"_s, bearer(accessOf(admin))), 200,
                               "");

        const auto user = login(*m_http, u"bob@example.com"_s, GoodPassword);
        PARLANCE_COMPARE_REPLY(user, 200, "");
        PARLANCE_COMPARE_REPLY(m_http->get(u"/api/v1/_test/admin"_s, bearer(accessOf(user))), 403,
                               errc::Forbidden);

        const auto again = m_server.runCommand({ u"user"_s, u"create"_s, u"--email"_s, email },
                                               GoodPassword.toUtf8() + '\n');
        QCOMPARE(again.exitCode, 1);
        QVERIFY2(again.stderrText.contains(u"already exists"_s), qPrintable(again.stderrText));
        const auto weak = m_server.runCommand(
            { u"user"_s, u"create"_s, u"--email"_s, u"weak@example.com"_s }, "short\n");
        QCOMPARE(weak.exitCode, 1);
        QVERIFY2(weak.stderrText.contains(u"10"_s), qPrintable(weak.stderrText));
        const auto usage = m_server.runCommand({ u"user"_s, u"create"_s });
        QCOMPARE(usage.exitCode, 2);
    }

    void roleChangeShowsAfterRefresh()
    {
        const QString email = u"grace@example.com"_s;
        const QJsonObject session = signUp(email);
        const auto promoted =
            m_server.runCommand({ u"user"_s, u"set-admin"_s, u"--email"_s, email });
        QVERIFY2(promoted.exitCode == 0, qPrintable(promoted.stderrText));
        const auto renewed = refresh(*m_http, session.value(u"refresh_token"_s).toString());
        PARLANCE_COMPARE_REPLY(renewed, 200, "");
        QCOMPARE(renewed.json.value(u"user"_s).toObject().value(u"role"_s).toString(), u"admin"_s);
        PARLANCE_COMPARE_REPLY(m_http->get(u"/api/v1/_test/admin"_s, bearer(accessOf(renewed))),
                               200, "");
    }
};

QTEST_GUILESS_MAIN(TestAuthApi)
#include "tst_authapi.moc"
