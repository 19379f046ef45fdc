#include "clientservices.h"

#include "api/apiclient.h"
#include "platform/keychainsecretstore.h"
#include "session/session.h"

#include <QCoreApplication>
#include <QQmlEngine>

ClientServices::ClientServices(QObject *parent)
    : ClientServices(QString(), parent)
{ }

ClientServices::ClientServices(const QString &initialServer, QObject *parent)
    : QObject(parent)
    , m_api(new parlance::client::ApiClient(this))
    , m_secrets(new KeychainSecretStore(QCoreApplication::applicationName(), this))
    , m_session(new Session(m_api, m_secrets, {}, this))
{
    m_session->setInitialServerUrl(initialServer);
}

ClientServices::~ClientServices() = default;

void ClientServices::exposeTo(QQmlEngine &engine)
{
    Q_UNUSED(engine)
    qmlRegisterSingletonInstance("Parlance.Client", 1, 0, "Session", m_session);
}
