#pragma once

#include <QObject>
#include <QString>

#include <memory>

class QQmlEngine;
class SecretStore;
class Session;

namespace parlance::client {
class ApiClient;
class AppSettings;
class ChatController;
class ConversationsController;
class LocalCache;
class UsageController;
} // namespace parlance::client

// The composition root of the client: owns the long-lived C++ objects (API
// client, session, local cache, models, controllers, platform adapters),
// wires them together, and hands them to QML as singletons of
// Parlance.Client. main.cpp and the Qt Quick tests create exactly one.
class ClientServices : public QObject
{
    Q_OBJECT

public:
    explicit ClientServices(QObject *parent = nullptr);
    // `initialServer`: the --server option, used when no server is saved yet.
    explicit ClientServices(const QString &initialServer, QObject *parent = nullptr);
    ~ClientServices() override;

    // Registers every object as a singleton instance of the Parlance.Client
    // module (Session, Chat, Conversations, Usage, Settings). Call once, before the
    // first QML file loads.
    void exposeTo(QQmlEngine &engine);

    [[nodiscard]] parlance::client::ApiClient *apiClient() const { return m_api; }
    [[nodiscard]] Session *session() const { return m_session; }
    [[nodiscard]] parlance::client::ChatController *chat() const { return m_chat; }
    [[nodiscard]] parlance::client::ConversationsController *conversations() const
    {
        return m_conversations;
    }
    [[nodiscard]] parlance::client::AppSettings *settings() const { return m_settings; }

private:
    // Restoring, offline or signed in: this account's cache; signed out:
    // forget the account.
    void onSessionStateChanged();
    bool openCache(const QString &userId);

    parlance::client::ApiClient *m_api = nullptr;
    SecretStore *m_secrets = nullptr;
    Session *m_session = nullptr;
    parlance::client::AppSettings *m_settings = nullptr;
    std::unique_ptr<parlance::client::LocalCache> m_cache;
    parlance::client::ChatController *m_chat = nullptr;
    parlance::client::ConversationsController *m_conversations = nullptr;
    parlance::client::UsageController *m_usage = nullptr;
};
