#pragma once

#include "contract/errorcodes.h"
#include "http/connectionguard.h"
#include "http/httpruntime.h"

#include <QSslServer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <type_traits>
#include <unistd.h>

namespace parlance::http {

// A QTcpServer (or QSslServer) that enforces the connection cap and attaches
// a ConnectionGuard to every connection before QAbstractHttpServer sees it
// (QAbstractHttpServer takes sockets through the virtual
// nextPendingConnection(), so overriding it is the hook).
template<typename Base> class GuardedTcpServer : public Base
{
public:
    GuardedTcpServer(HttpRuntime &runtime, QObject *parent = nullptr)
        : Base(parent)
        , m_runtime(runtime)
    { }

    QTcpSocket *nextPendingConnection() override
    {
        QTcpSocket *socket = Base::nextPendingConnection();
        if (socket) {
            // Stream events are small writes in quick succession: Nagle's
            // algorithm must not hold a token back waiting for an ACK.
            socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
            new ConnectionGuard(socket, m_runtime);
        }
        return socket;
    }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        const bool full = m_runtime.connections.load(std::memory_order_relaxed)
            >= m_runtime.limits.maxConnections;
        if (!full && !m_runtime.draining.load(std::memory_order_relaxed)) {
            Base::incomingConnection(descriptor);
            return;
        }
        if constexpr (std::is_base_of_v<QSslServer, Base>) {
            // No TLS handshake for a connection we refuse anyway.
            ::close(int(descriptor));
        } else {
            // Answer 503 with Retry-After so well-behaved clients back off,
            // rather than a silent reset that looks like a network fault.
            auto *socket = new QTcpSocket(this);
            if (!socket->setSocketDescriptor(descriptor)) {
                delete socket;
                return;
            }
            QObject::connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
            QTimer::singleShot(5000, socket, &QObject::deleteLater);
            auto *guard = new ConnectionGuard(socket, m_runtime, /*counted=*/false);
            guard->reject(errc::Overloaded,
                          QStringLiteral("The server has too many open connections; retry "
                                         "shortly."),
                                         1);
        }
    }

private:
    HttpRuntime &m_runtime;
};

} // namespace parlance::http
