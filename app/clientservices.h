#pragma once

#include <QObject>
#include <QString>

class QQmlEngine;

namespace parlance::client {
class ApiClient;
class AppSettings;
class ChatController;
class ConversationsController;
} // namespace parlance::client

// The composition root of the client: owns the long-lived C++ objects (API
// client, session, models, controllers, platform adapters), wires them
// together, and hands them to QML as singletons of Parlance.Client. main.cpp
// and the Qt Quick tests create exactly one.
class ClientServices : public QObject
{
    Q_OBJECT

public:
    explicit ClientServices(QObject *parent = nullptr);
    ~ClientServices() override;

    // Registers every object as a singleton instance of the Parlance.Client
    // module (Chat, Conversations, Settings). Call once, before the first QML
    // file loads.
    void exposeTo(QQmlEngine &engine);

    [[nodiscard]] parlance::client::ApiClient *api() const { return m_api; }
    [[nodiscard]] parlance::client::ChatController *chat() const { return m_chat; }
    [[nodiscard]] parlance::client::ConversationsController *conversations() const
    {
        return m_conversations;
    }
    [[nodiscard]] parlance::client::AppSettings *settings() const { return m_settings; }

private:
    parlance::client::ApiClient *m_api = nullptr;
    parlance::client::AppSettings *m_settings = nullptr;
    parlance::client::ChatController *m_chat = nullptr;
    parlance::client::ConversationsController *m_conversations = nullptr;
};
