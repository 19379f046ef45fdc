#pragma once

// Shared by the provider integration tests: run one stream to its end and
// record everything it emitted, in order.

#include "providers/providerclient.h"
#include "providers/providerstream.h"
#include "rawhttp.h"
#include "simprocess.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QJsonObject>
#include <QTest>

#include <functional>
#include <memory>

Q_DECLARE_METATYPE(parlance::ProviderKind)

struct StreamRun
{
    QStringList events; // "started", "delta", "usage", "finished" in order
    QStringList deltas;
    std::optional<parlance::Usage> usage;
    std::optional<parlance::ProviderOutcome> outcome;
    int finishedCount = 0;
    bool timedOut = false;

    [[nodiscard]] QString text() const { return deltas.join(QString()); }
    [[nodiscard]] bool started() const { return events.contains(QStringLiteral("started")); }
    // started? delta* usage? finished, and nothing after finished.
    [[nodiscard]] bool wellOrdered() const
    {
        if (events.isEmpty() || events.last() != QStringLiteral("finished") || finishedCount != 1)
            return false;
        for (qsizetype i = 0; i < events.size(); ++i) {
            const QString &e = events.at(i);
            if (e == QStringLiteral("started") && i != 0)
                return false;
            if (e == QStringLiteral("usage") && events.value(i + 1) != QStringLiteral("finished"))
                return false;
        }
        return true;
    }
};

// Runs a stream until finished() or `timeoutMs` (coarse: a safety net, never
// a measurement). `onDelta` may call abort().
inline StreamRun runStream(parlance::ProviderClient &client,
                           const parlance::DeploymentEndpoint &endpoint,
                           const parlance::ProviderRequest &request,
                           const std::function<void(parlance::ProviderStream *)> &onDelta = {},
                           int timeoutMs = 30000)
{
    using namespace parlance;
    StreamRun run;
    std::unique_ptr<ProviderStream> stream(client.stream(endpoint, request));
    ProviderStream *s = stream.get();
    QObject::connect(s, &ProviderStream::started, s,
                     [&] { run.events.append(QStringLiteral("started")); });
    QObject::connect(s, &ProviderStream::delta, s, [&, s](const QString &text) {
        run.events.append(QStringLiteral("delta"));
        run.deltas.append(text);
        if (onDelta)
            onDelta(s);
    });
    QObject::connect(s, &ProviderStream::usage, s, [&](const Usage &usage) {
        run.events.append(QStringLiteral("usage"));
        run.usage = usage;
    });
    QObject::connect(s, &ProviderStream::finished, s, [&](const ProviderOutcome &outcome) {
        run.events.append(QStringLiteral("finished"));
        run.outcome = outcome;
        ++run.finishedCount;
    });
    const QDeadlineTimer deadline(timeoutMs);
    while (!run.outcome && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    run.timedOut = !run.outcome.has_value();
    // Let anything that would wrongly follow finished() arrive.
    QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    return run;
}

inline QJsonObject simStats(quint16 port)
{
    return rawRequest(port, "GET", "/sim/stats", {}, {}).json();
}

inline QJsonObject simDeploymentStats(quint16 port, const QString &deployment)
{
    return simStats(port).value(
        QStringLiteral("deployments")).toObject().value(deployment).toObject();
}

inline parlance::DeploymentEndpoint simEndpoint(parlance::ProviderKind kind, quint16 port,
                                                const QString &deployment)
{
    parlance::DeploymentEndpoint e;
    e.kind = kind;
    e.name = deployment;
    e.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/d/%2/v1").arg(port).arg(deployment));
    e.apiKey = QStringLiteral("sk-test-provider-key");
    e.upstreamModel = kind == parlance::ProviderKind::Anthropic ? QStringLiteral("claude-sonnet")
                                                                : QStringLiteral("gpt-4o");
    // Coarse: these only catch a hang; the timeout tests set their own.
    e.connectTimeoutMs = 10000;
    e.firstTokenTimeoutMs = 20000;
    e.idleTimeoutMs = 20000;
    return e;
}

inline parlance::ProviderRequest userRequest(const QString &text)
{
    parlance::ProviderRequest request;
    request.messages = { parlance::ProviderMessage::text(parlance::Message::Role::User, text) };
    return request;
}

inline QString simConfigPath()
{
    return QStringLiteral(PARLANCE_TEST_DATA_DIR "/providers/sim.json");
}
