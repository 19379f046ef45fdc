// GET /api/v1/admin/providers against the real parlanced and the provider
// simulator: admins see every deployment (never a key) with its circuit
// breaker, which opens after the simulator answers 500 repeatedly.
#include "contract/apipaths.h"
#include "contract/errorcodes.h"
#include "streamtestclient.h"
#include "streamtestserver.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace parlance;

namespace {
QJsonArray textContent(const QString &text)
{
    return QJsonArray { QJsonObject { { u"type"_s, u"text"_s }, { u"text"_s, text } } };
}

// The deployment `name` of the providers answer, or an empty object.
QJsonObject deploymentIn(const QJsonObject &providers, const QString &name)
{
    for (const auto &model : providers.value(u"models"_s).toArray()) {
        for (const auto &deployment : model.toObject().value(u"deployments"_s).toArray()) {
            if (deployment.toObject().value(u"name"_s).toString() == name)
                return deployment.toObject();
        }
    }
    return {};
}
} // namespace

class TestAdminProviders : public QObject
{
    Q_OBJECT

    StreamTestServer m_env;
    TestAccount m_admin;
    TestAccount m_user;

    QJsonObject providers()
    {
        const auto reply = m_env.as(m_admin.token, "GET", QString(api::AdminProviders));
        if (reply.status != 200)
            qWarning() << reply.status << reply.body;
        return reply.json;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_env.start(), qPrintable(m_env.error));
        m_admin = m_env.createAdmin(u"root@example.com"_s);
        QVERIFY2(!m_admin.token.isEmpty(), qPrintable(m_env.error));
        m_user = m_env.registerUser(u"carol@example.com"_s);
        QVERIFY2(!m_user.token.isEmpty(), qPrintable(m_env.error));
    }

    void cleanupTestCase() { m_env.stop(); }

    void listsEveryDeploymentWithoutKeys()
    {
        const auto reply = m_env.as(m_admin.token, "GET", QString(api::AdminProviders));
        QCOMPARE(reply.status, 200);
        const QJsonArray models = reply.json.value(u"models"_s).toArray();
        QCOMPARE(models.size(), 5);
        QCOMPARE(models.at(0).toObject().value(u"id"_s).toString(), u"echo"_s);
        const QJsonObject primary = deploymentIn(reply.json, u"primary"_s);
        QCOMPARE(primary.value(u"provider"_s).toString(), u"openai"_s);
        QCOMPARE(primary.value(u"upstream_model"_s).toString(), u"parlance-sim"_s);
        QCOMPARE(primary.value(u"base_url"_s).toString(),
                 u"http://127.0.0.1:%1/d/primary/v1"_s.arg(m_env.sim.port()));
        QCOMPARE(primary.value(u"api_key_set"_s).toBool(), true);
        QCOMPARE(deploymentIn(reply.json, u"overloaded"_s).value(u"provider"_s).toString(),
                 u"anthropic"_s);
        // Never the key, under any name.
        QVERIFY(!reply.body.contains("sk-test"));
        QVERIFY(!primary.contains(u"api_key"_s));
        // A deployment nobody called yet is closed.
        QCOMPARE(deploymentIn(reply.json, u"secondary-d"_s)
                     .value(u"circuit"_s)
                     .toObject()
                     .value(u"state"_s)
                     .toString(),
                 u"closed"_s);
    }

    void normalUsersAndAnonymousAreRefused()
    {
        const auto user = m_env.as(m_user.token, "GET", QString(api::AdminProviders));
        QCOMPARE(user.status, 403);
        QCOMPARE(user.json.value(u"error"_s).toObject().value(u"code"_s).toString(),
                 QString(errc::Forbidden));
        QVERIFY(!user.body.contains("sk-test"));
        QCOMPARE(m_env.http->get(QString(api::AdminProviders)).status, 401);
    }

    void repeatedServerErrorsOpenTheCircuit()
    {
        // "after-500": the `broken` deployment always answers 500, its
        // fallback answers. Each answer costs `broken` one failure; the
        // breaker opens after five in a row (CircuitBreakerSettings).
        const auto conv = m_env.as(m_user.token, "POST", QString(api::Conversations),
                                   { { u"model"_s, u"after-500"_s } });
        QCOMPARE(conv.status, 201);
        const QString convId = conv.json.value(u"id"_s).toString();
        QString state;
        for (int i = 0; i < 10 && state != u"open"; ++i) {
            const auto posted =
                m_env.as(m_user.token, "POST", api::path(api::ConversationMessages, convId),
                         { { u"content"_s, textContent(u"try %1"_s.arg(i)) } });
            QCOMPARE(posted.status, 201);
            const StreamRead read = readStream(
                m_env.server.port(),
                api::path(api::Stream, posted.json.value(u"assistant_message_id"_s).toString()),
                m_user.token);
            QCOMPARE(read.events.last().type, u"done"_s);
            QCOMPARE(read.text(), u"try %1"_s.arg(i)); // the fallback answered
            state = deploymentIn(providers(), u"broken"_s)
                        .value(u"circuit"_s)
                        .toObject()
                        .value(u"state"_s)
                        .toString();
        }
        const QJsonObject all = providers();
        const QJsonObject circuit = deploymentIn(all, u"broken"_s).value(u"circuit"_s).toObject();
        QCOMPARE(circuit.value(u"state"_s).toString(), u"open"_s);
        QVERIFY(circuit.value(u"recent_failures"_s).toInt() >= 5);
        QVERIFY(circuit.contains(u"opened_at"_s));
        QVERIFY(circuit.contains(u"next_probe_at"_s));
        // The fallback that answered stays closed.
        QCOMPARE(deploymentIn(all, u"secondary-b"_s)
                     .value(u"circuit"_s)
                     .toObject()
                     .value(u"state"_s)
                     .toString(),
                 u"closed"_s);
    }
};

QTEST_GUILESS_MAIN(TestAdminProviders)
#include "tst_adminproviders.moc"
