#include "clientservices.h"

#include "api/apiclient.h"
#include "cache/localcache.h"
#include "controllers/chatcontroller.h"
#include "controllers/conversationscontroller.h"
#include "controllers/usagecontroller.h"
#include "models/conversationlistmodel.h"
#include "platform/keychainsecretstore.h"
#include "session/session.h"
#include "settings/appsettings.h"

#include <QCoreApplication>
#include <QQmlEngine>
#include <QStandardPaths>

using namespace parlance::client;

namespace {
constexpr const char *Uri = "Parlance.Client";
}

ClientServices::ClientServices(QObject *parent)
    : ClientServices(QString(), parent)
{ }

ClientServices::ClientServices(const QString &initialServer, QObject *parent)
    : QObject(parent)
    , m_api(new ApiClient(this))
    , m_secrets(new KeychainSecretStore(QCoreApplication::applicationName(), this))
    , m_session(new Session(m_api, m_secrets, {}, this))
    , m_settings(new AppSettings(this))
    , m_cache(std::make_unique<LocalCache>())
    , m_chat(new ChatController(m_api, this))
    , m_conversations(new ConversationsController(m_api, this))
    , m_usage(new UsageController(m_api, this))
{
    m_session->setInitialServerUrl(initialServer);
    connect(m_session, &Session::stateChanged, this, &ClientServices::onSessionStateChanged);
    connect(m_chat, &ChatController::conversationUpdated, m_conversations,
            &ConversationsController::upsert);
}

ClientServices::~ClientServices()
{
    // The controllers hold a raw pointer to the cache: detach them first.
    m_chat->setCache(nullptr);
    m_conversations->setCache(nullptr);
}

void ClientServices::onSessionStateChanged()
{
    switch (m_session->state()) {
    case Session::State::Restoring:
    case Session::State::Offline:
        // The saved account's chats show at once, before the server answers
        // (or while it cannot be reached).
        if (openCache(m_session->savedUserId()))
            m_conversations->showCached();
        return;
    case Session::State::SignedIn:
        openCache(m_session->userId());
        m_conversations->reload();
        m_chat->refreshModels();
        return;
    case Session::State::SignedOut:
        // Signed out, or the saved sign-in was refused: nothing of the
        // account stays on screen or on disk.
        m_chat->setCache(nullptr);
        m_conversations->setCache(nullptr);
        if (m_cache->isOpen()) {
            (void)m_cache->clear();
            m_cache->close();
        }
        m_chat->newChat();
        m_conversations->source()->clear();
        return;
    case Session::State::Working:
        return;
    }
}

bool ClientServices::openCache(const QString &userId)
{
    if (userId.isEmpty())
        return false;
    const QString dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    const QString path = LocalCache::pathFor(dataDir, m_session->serverUrl(), userId);
    // Without a cache the app works, only without the offline copy.
    if (m_cache->path() != path || !m_cache->isOpen()) {
        if (!m_cache->open(path))
            return false;
    }
    m_chat->setCache(m_cache.get());
    m_conversations->setCache(m_cache.get());
    return true;
}

void ClientServices::exposeTo(QQmlEngine &engine)
{
    Q_UNUSED(engine)
    qmlRegisterSingletonInstance(Uri, 1, 0, "Session", m_session);
    qmlRegisterSingletonInstance(Uri, 1, 0, "Chat", m_chat);
    qmlRegisterSingletonInstance(Uri, 1, 0, "Conversations", m_conversations);
    qmlRegisterSingletonInstance(Uri, 1, 0, "Usage", m_usage);
    qmlRegisterSingletonInstance(Uri, 1, 0, "Settings", m_settings);
}
