#pragma once

#include "generation/failoverplan.h"
#include "generation/generationservice.h"
#include "providers/provideroutcome.h"
#include "providers/providertypes.h"

#include <QObject>
#include <QPointer>

#include <optional>

namespace parlance {

class GenerationThread;
class ProviderStream;

// One answer being generated: the attempt loop over the model's deployments
// (FailoverPlan + circuit breakers), writing into the StreamLog. Lives on a
// generation thread; GenerationThread owns it. Rules (DESIGN.md §3):
//  - retry / fail over only while nothing reached the log (no delta);
//  - each deployment's attempt gets its own connect and first-token timeouts,
//    a fallback's capped by the plan's 2 s switching budget;
//  - after the first token a failure ends the answer `interrupted` with the
//    text so far; a stop ends it `stopped`;
//  - a `meta` event names the deployment before each attempt's text.
class Generation : public QObject
{
    Q_OBJECT
public:
    Generation(GenerationThread &thread, PreparedTurn turn);
    ~Generation() override;

    void start();
    // The user pressed stop (on this thread).
    void stop();

private:
    void nextAttempt();
    void onDelta(const QString &text);
    void onUsage(const parlance::Usage &usage);
    void onFinished(const parlance::ProviderOutcome &outcome);
    void conclude(StreamFinalStatus status, std::optional<ApiError> error);
    [[nodiscard]] DeploymentEndpoint endpointFor(const Deployment &deployment,
                                                 const FailoverPlan::Attempt &attempt) const;
    [[nodiscard]] static AttemptFailure failureOf(const ProviderOutcome &outcome);
    [[nodiscard]] std::chrono::milliseconds sinceAccepted() const;

    GenerationThread &m_thread;
    PreparedTurn m_turn;
    ProviderRequest m_request;
    std::optional<FailoverPlan> m_plan;
    std::optional<FailoverPlan::Attempt> m_attempt;
    QPointer<ProviderStream> m_stream;
    std::optional<Usage> m_reportedUsage;
    std::optional<ApiError> m_fatalError; // a refused request: the provider's reason
    QString m_deployment;
    std::optional<qint64> m_ttftMs;
    bool m_concluded = false;
};

} // namespace parlance
