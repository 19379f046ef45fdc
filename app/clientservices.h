#pragma once

#include <QObject>
#include <QString>

class QQmlEngine;
class SecretStore;
class Session;

namespace parlance::client {
class ApiClient;
}

// The composition root of the client: owns the long-lived C++ objects (API
// client, session, models, controllers, platform adapters), wires them
// together, and hands them to QML as singletons of Parlance.Client. main.cpp
// and the Qt Quick tests create exactly one.
class ClientServices : public QObject
{
    Q_OBJECT

public:
    explicit ClientServices(QObject *parent = nullptr);
    // `initialServer`: the --server option, used when no server is saved yet.
    explicit ClientServices(const QString &initialServer, QObject *parent = nullptr);
    ~ClientServices() override;

    // Registers every object as a singleton instance of the Parlance.Client
    // module. Call once, before the first QML file loads.
    void exposeTo(QQmlEngine &engine);

    [[nodiscard]] parlance::client::ApiClient *apiClient() const { return m_api; }
    [[nodiscard]] Session *session() const { return m_session; }

private:
    parlance::client::ApiClient *m_api = nullptr;
    SecretStore *m_secrets = nullptr;
    Session *m_session = nullptr;
};
