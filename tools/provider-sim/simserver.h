#pragma once

#include "httpconnection.h"
#include "sessionclock.h"
#include "simconfig.h"
#include "simstats.h"
#include "wireformat.h"

#include <QHostAddress>
#include <QObject>
#include <QTcpServer>

#include <memory>

namespace parlance::sim {

// Accepts connections and routes requests:
//   [/d/<deployment>]/v1/chat/completions   OpenAI chat completions
//   [/d/<deployment>]/v1/messages           Anthropic messages
//   [/d/<deployment>]/v1/models             either provider's model list
//   /sim/stats, /sim/reset                  counters for tests
// Everything runs on one event-loop thread.
class SimServer : public QObject
{
    Q_OBJECT
public:
    explicit SimServer(SimConfig config, QObject *parent = nullptr);
    ~SimServer() override;

    [[nodiscard]] bool listen(const QHostAddress &address, quint16 port, QString *error);
    [[nodiscard]] quint16 port() const { return m_server.serverPort(); }

private:
    void onNewConnection();
    void route(HttpConnection *connection, const HttpRequest &request);
    void handleChat(HttpConnection *connection, const HttpRequest &request,
                    const Deployment &deployment, std::unique_ptr<WireFormat> format);
    void handleModels(HttpConnection *connection, const HttpRequest &request,
                      const Deployment &deployment, const WireFormat &format);
    void send(HttpConnection *connection, const QString &deployment, const Reply &reply);

    QTcpServer m_server;
    SimConfig m_config;
    SimStats m_stats;
    SessionClock m_clock;
};

} // namespace parlance::sim
