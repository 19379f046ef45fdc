#pragma once

#include "common/result.h"
#include "providers/providertypes.h"
#include "upstream/httprequest.h"

#include <QJsonObject>

#include <memory>

namespace parlance {

class ConnectionPool;
class ProviderStream;
class StreamDecoder;

// Starts streamed generations against deployments of one dialect.
//
// Threading: a client and every stream it starts live on the thread that
// created the client, and so does their network I/O: the client owns a
// keep-alive ConnectionPool (backend/upstream/) whose sockets are read on
// that thread, with no network threads (only host-name lookups use Qt's
// QHostInfo pool). Use one client per dialect per event-loop thread, never
// share one across threads. Destroying the client ends its unfinished
// streams (Disconnected, from the event loop), so delete streams first if
// that is not wanted.
//
// Connections: one per unfinished stream, no per-host limit (a stream holds
// its connection for the whole answer); finished streams leave theirs idle
// for the next one to the same origin.
class ProviderClient
{
public:
    ProviderClient();
    virtual ~ProviderClient();
    ProviderClient(const ProviderClient &) = delete;
    ProviderClient &operator=(const ProviderClient &) = delete;

    [[nodiscard]] static std::unique_ptr<ProviderClient> create(ProviderKind kind);

    [[nodiscard]] virtual ProviderKind kind() const = 0;
    // The JSON the request sends (public so tests and logs can see it).
    [[nodiscard]] virtual Result<QJsonObject> buildBody(const DeploymentEndpoint &endpoint,
                                                        const ProviderRequest &request) const = 0;
    // URL and headers (keys included: never log the result), no body.
    [[nodiscard]] virtual HttpRequest
    buildHttpRequest(const DeploymentEndpoint &endpoint) const = 0;

    // Starts one streamed generation; never null. The caller owns the
    // stream (or gives it a parent). Connect to its signals right away:
    // nothing is emitted before control returns to the event loop. An
    // invalid request finishes as Fatal (invalid_field) the same way.
    [[nodiscard]] ProviderStream *stream(const DeploymentEndpoint &endpoint,
                                         const ProviderRequest &request, QObject *parent = nullptr);

    // Open upstream connections (streaming, draining and idle) and
    // connections opened so far (for tests and metrics).
    [[nodiscard]] int connectionCount() const;
    [[nodiscard]] qint64 connectionsOpened() const;
    [[nodiscard]] int idleConnectionCount() const;

protected:
    [[nodiscard]] virtual std::unique_ptr<StreamDecoder> createDecoder() const = 0;
    // Headers both dialects send; the dialect adds auth afterwards and the
    // endpoint's extra headers go last.
    [[nodiscard]] static HttpRequest baseRequest(const QUrl &url);
    static void applyExtraHeaders(HttpRequest *request, const DeploymentEndpoint &endpoint);

private:
    std::unique_ptr<ConnectionPool> m_pool;
};

} // namespace parlance
