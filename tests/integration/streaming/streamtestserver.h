#pragma once

// The provider simulator and parlanced as real processes with the streaming
// catalog (tests/data/streaming), and accounts made the way users and
// operators make them (POST /auth/register, `parlanced user create --admin`),
// so suites using it run on SQLite and PostgreSQL alike.
#include "contract/apipaths.h"
#include "parlancedprocess.h"
#include "simprocess.h"
#include "testhttpclient.h"

#include <QFile>
#include <QJsonObject>
#include <QTemporaryDir>

#include <memory>

struct TestAccount
{
    QString id;
    QByteArray token;
};

class StreamTestServer
{
public:
    static constexpr const char *Password = "correct horse battery";

    // Starts the simulator, writes the catalog with its port, starts
    // parlanced with it (plus `extraArgs`). False with a reason in error.
    [[nodiscard]] bool start(const QStringList &extraArgs = {})
    {
        using namespace Qt::StringLiterals;
        if (!sim.start(
                { u"--config"_s, QStringLiteral(PARLANCE_TEST_DATA_DIR "/streaming/sim.json") })) {
            error = sim.errorString();
            return false;
        }
        QFile templ(QStringLiteral(PARLANCE_TEST_DATA_DIR "/streaming/catalog.json"));
        if (!templ.open(QIODevice::ReadOnly)) {
            error = u"no catalog template"_s;
            return false;
        }
        QByteArray catalog = templ.readAll();
        catalog.replace("@SIM_PORT@", QByteArray::number(sim.port()));
        QFile out(m_dir.filePath(u"catalog.json"_s));
        if (!out.open(QIODevice::WriteOnly) || out.write(catalog) != catalog.size()) {
            error = u"cannot write the catalog"_s;
            return false;
        }
        out.close();
        // Argon2 at its minimum: password hashing is not what these suites test.
        QStringList args { u"--models"_s, out.fileName(),           u"--argon2-memory-kib"_s,
                           u"64"_s,       u"--argon2-iterations"_s, u"1"_s };
        if (!server.start(args + extraArgs)) {
            error = server.errorText();
            return false;
        }
        http = std::make_unique<parlance::test::TestHttpClient>(server.baseUrl());
        return true;
    }

    void stop()
    {
        http.reset();
        server.stop();
        sim.stop();
    }

    // A user through the public API; empty id on failure.
    [[nodiscard]] TestAccount registerUser(const QString &email)
    {
        using namespace Qt::StringLiterals;
        const auto reply =
            http->request("POST", QString(parlance::api::AuthRegister),
                          QJsonObject { { u"email"_s, email },
                                        { u"password"_s, QString::fromLatin1(Password) } });
        if (reply.status != 201)
            error = QString::fromUtf8(reply.body);
        return { reply.json.value(u"user"_s).toObject().value(u"id"_s).toString(),
                 reply.json.value(u"access_token"_s).toString().toLatin1() };
    }

    // An admin as an operator makes one (the command line), then signed in.
    [[nodiscard]] TestAccount createAdmin(const QString &email)
    {
        using namespace Qt::StringLiterals;
        const auto created =
            server.runCommand({ u"user"_s, u"create"_s, u"--email"_s, email, u"--admin"_s },
                              QByteArray(Password) + '\n');
        if (created.exitCode != 0) {
            error = created.stderrText;
            return {};
        }
        const auto reply =
            http->request("POST", QString(parlance::api::AuthLogin),
                          QJsonObject { { u"email"_s, email },
                                        { u"password"_s, QString::fromLatin1(Password) } });
        if (reply.status != 200)
            error = QString::fromUtf8(reply.body);
        return { created.stdoutText.trimmed(),
                 reply.json.value(u"access_token"_s).toString().toLatin1() };
    }

    parlance::test::TestHttpClient::Reply as(const QByteArray &token, const QByteArray &method,
                                             const QString &path, const QJsonObject &body = {})
    {
        const parlance::test::TestHttpClient::Headers auth { { "Authorization",
                                                               "Bearer " + token } };
        if (method == "GET" || (method == "POST" && body.isEmpty()))
            return http->request(method, path, QByteArray(), auth);
        return http->request(method, path, body, auth);
    }

    SimProcess sim;
    parlance::test::ParlancedProcess server;
    std::unique_ptr<parlance::test::TestHttpClient> http;
    QString error;

private:
    QTemporaryDir m_dir;
};
