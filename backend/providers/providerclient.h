#pragma once

#include "common/result.h"
#include "providers/providertypes.h"

#include <QJsonObject>
#include <QList>
#include <QNetworkRequest>
#include <QPointer>

#include <memory>
#include <vector>

class QNetworkAccessManager;

namespace parlance {

class ProviderStream;
class StreamDecoder;

// Starts streamed generations against deployments of one dialect.
//
// Threading: a client and every stream it starts live on the thread that
// created the client; it owns its QNetworkAccessManagers, which are created
// on that thread. Use one client per dialect per event-loop thread, never
// share one across threads. Destroying the client ends its unfinished
// streams (Disconnected), so delete streams first if that is not wanted.
//
// Connections: Qt 6.4's QNetworkAccessManager opens at most 6 HTTP/1.1
// connections per host and queues further requests (the knob to raise it,
// QHttp1Configuration, arrived in 6.5). A stream holds its connection for
// the whole answer, so the client spreads streams over as many managers as
// it needs, each carrying at most 6 unfinished streams.
class ProviderClient
{
public:
    static constexpr int streamsPerManager = 6;

    ProviderClient();
    virtual ~ProviderClient();
    ProviderClient(const ProviderClient &) = delete;
    ProviderClient &operator=(const ProviderClient &) = delete;

    [[nodiscard]] static std::unique_ptr<ProviderClient> create(ProviderKind kind);

    [[nodiscard]] virtual ProviderKind kind() const = 0;
    // The JSON the request sends (public so tests and logs can see it).
    [[nodiscard]] virtual Result<QJsonObject> buildBody(const DeploymentEndpoint &endpoint,
                                                        const ProviderRequest &request) const = 0;
    // URL and headers, keys included: never log the result.
    [[nodiscard]] virtual QNetworkRequest
    buildNetworkRequest(const DeploymentEndpoint &endpoint) const = 0;

    // Starts one streamed generation; never null. The caller owns the
    // stream (or gives it a parent). Connect to its signals right away:
    // nothing is emitted before control returns to the event loop. An
    // invalid request finishes as Fatal (invalid_field) the same way.
    [[nodiscard]] ProviderStream *stream(const DeploymentEndpoint &endpoint,
                                         const ProviderRequest &request, QObject *parent = nullptr);

    // Managers created so far (for tests and metrics).
    [[nodiscard]] int managerCount() const { return int(m_managers.size()); }

protected:
    [[nodiscard]] virtual std::unique_ptr<StreamDecoder> createDecoder() const = 0;
    // Headers both dialects send; the dialect adds auth afterwards and the
    // endpoint's extra headers go last.
    [[nodiscard]] static QNetworkRequest baseRequest(const QUrl &url);
    static void applyExtraHeaders(QNetworkRequest *request, const DeploymentEndpoint &endpoint);

private:
    struct Manager
    {
        std::unique_ptr<QNetworkAccessManager> manager;
        QList<QPointer<ProviderStream>> streams;
    };
    QNetworkAccessManager *managerFor(ProviderStream *stream);

    std::vector<Manager> m_managers;
};

} // namespace parlance
