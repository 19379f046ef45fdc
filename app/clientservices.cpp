#include "clientservices.h"

#include "api/apiclient.h"
#include "controllers/chatcontroller.h"
#include "controllers/conversationscontroller.h"
#include "settings/appsettings.h"

#include <QQmlEngine>

using namespace parlance::client;

namespace {
constexpr const char *Uri = "Parlance.Client";
}

ClientServices::ClientServices(QObject *parent)
    : QObject(parent)
    , m_api(new ApiClient(this))
    , m_settings(new AppSettings(this))
    , m_chat(new ChatController(m_api, this))
    , m_conversations(new ConversationsController(m_api, this))
{ }

ClientServices::~ClientServices() = default;

void ClientServices::exposeTo(QQmlEngine &engine)
{
    Q_UNUSED(engine)
    qmlRegisterSingletonInstance(Uri, 1, 0, "Chat", m_chat);
    qmlRegisterSingletonInstance(Uri, 1, 0, "Conversations", m_conversations);
    qmlRegisterSingletonInstance(Uri, 1, 0, "Settings", m_settings);
}
