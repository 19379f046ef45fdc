#pragma once

#include "common/result.h"

#include <QList>
#include <QObject>
#include <QString>

#include <chrono>
#include <functional>

QT_BEGIN_NAMESPACE
class QThread;
QT_END_NAMESPACE

namespace parlance::http {

struct HttpRuntime;
class HttpServer;

// The listening side of parlanced: N event-loop threads, each with its own
// HttpServer bound to its own listening socket on the same address and port
// (SO_REUSEPORT: the kernel spreads new connections over the sockets, and each
// connection then stays on one thread). DESIGN.md §3 has the measurements.
class HttpPlatform : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        QString host = QStringLiteral("127.0.0.1");
        quint16 port = 8080; // 0: any free port, see boundPort()
        int threads = 1;
        QString tlsCertFile; // both set: HTTPS
        QString tlsKeyFile;
        // How long shutdown waits for in-flight requests.
        std::chrono::milliseconds shutdownTimeout { 10'000 };
    };

    HttpPlatform(HttpRuntime &runtime, Settings settings, QObject *parent = nullptr);
    ~HttpPlatform() override;

    // Opens the sockets and starts the threads. invalid_field / internal
    // errors name the address and the reason (in use, permission, bad TLS file).
    [[nodiscard]] Status start();
    [[nodiscard]] quint16 boundPort() const { return m_port; }
    [[nodiscard]] QString boundHost() const { return m_settings.host; }

    // Graceful stop: refuse new connections, close idle ones, let in-flight
    // requests finish (up to shutdownTimeout), then stop the threads. `done`
    // runs on this object's thread when all of that has happened.
    void shutdown(std::function<void()> done);

private:
    struct Shard
    {
        QThread *thread = nullptr;
        QObject *anchor = nullptr; // lives in the thread; target of blocking calls
        HttpServer *server = nullptr;
    };
    void stopShards();

    HttpRuntime &m_runtime;
    Settings m_settings;
    quint16 m_port = 0;
    QList<Shard> m_shards;
};

} // namespace parlance::http
