#pragma once

#include "http/router.h"

#include <QtGlobal>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>

QT_BEGIN_NAMESPACE
class QWebSocket;
QT_END_NAMESPACE

namespace parlance {
class AccessTokenService;
class WorkerPool;
} // namespace parlance

namespace parlance::http {

class AccessLog;

// Self-protection limits; Qt HttpServer 6.4 has none of its own.
struct HttpLimits
{
    qint64 maxHeaderBytes = 16 * 1024; // request line + headers
    qint64 maxBodyBytes = 1024 * 1024;
    // From the first byte of a request to its last (slowloris defence).
    std::chrono::milliseconds requestTimeout { 30'000 };
    // A keep-alive connection with no request in progress is closed after this.
    std::chrono::milliseconds idleTimeout { 60'000 };
    // Open connections per process, over all event-loop threads.
    int maxConnections = 10'000;
};

// What every event-loop thread shares. Built before the threads start;
// the router, limits and pointers are read-only from then on, the counters
// are atomics.
struct HttpRuntime
{
    HttpLimits limits;
    Router router;
    // Verifies bearer tokens; null means every non-public route answers 401.
    std::shared_ptr<const AccessTokenService> accessTokens;
    WorkerPool *workers = nullptr;
    AccessLog *accessLog = nullptr; // null: no access log
    // Qt HttpServer 6.4 hands a request with "Upgrade: websocket" to its own
    // QWebSocketServer without routing it; the finished socket comes here, on
    // the connection's thread (the handler takes ownership). Null: upgrades
    // are refused.
    std::function<void(QWebSocket *)> webSocketHandler;

    std::atomic<int> connections { 0 };
    std::atomic<int> inFlight { 0 };
    std::atomic<bool> draining { false };
};

} // namespace parlance::http
