#include "generation/generation.h"

#include "common/tokenestimate.h"
#include "contract/errorcodes.h"
#include "generation/generationlog.h"
#include "generation/generationthread.h"
#include "providers/providerclient.h"
#include "providers/providerstream.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

ProviderKind kindOf(Deployment::Provider provider)
{
    return provider == Deployment::Provider::Anthropic ? ProviderKind::Anthropic
                                                       : ProviderKind::OpenAiCompatible;
}

ProviderRequest requestFrom(const AssembledContext &context)
{
    ProviderRequest request;
    for (const Message &message : context.messages) {
        // File parts wait for file storage; the text goes as it is.
        const QString text = message.plainText();
        if (text.isEmpty())
            continue;
        request.messages.append(ProviderMessage::text(message.role, text));
    }
    return request;
}

} // namespace

Generation::Generation(GenerationThread &thread, PreparedTurn turn)
    : QObject(&thread)
    , m_thread(thread)
    , m_turn(std::move(turn))
{ }

Generation::~Generation() = default;

std::chrono::milliseconds Generation::sinceAccepted() const
{
    return systemTickClock()() - m_turn.acceptedAt;
}

void Generation::start()
{
    if (m_turn.contextError)
        return conclude(StreamFinalStatus::Error, m_turn.contextError);
    m_request = requestFrom(*m_turn.context);
    QList<FailoverCandidate> candidates;
    const GenerationService &service = m_thread.service();
    const int passes = std::max(1, service.options().passes);
    for (int pass = 0; pass < passes; ++pass) {
        for (const Deployment &deployment : std::as_const(m_turn.model.deployments)) {
            candidates.append({ deployment.name, m_thread.service().breaker(deployment.name),
                                deployment.firstTokenTimeout });
        }
    }
    m_plan.emplace(std::move(candidates), service.options().failover);
    nextAttempt();
}

void Generation::stop()
{
    if (m_concluded)
        return;
    if (m_stream && !m_stream->isFinished()) {
        m_stream->abort(); // emits finished(Aborted): onFinished concludes
        return;
    }
    if (m_attempt)
        m_plan->abandoned(*m_attempt);
    conclude(StreamFinalStatus::Stopped, std::nullopt);
}

DeploymentEndpoint Generation::endpointFor(const Deployment &deployment,
                                           const FailoverPlan::Attempt &attempt) const
{
    DeploymentEndpoint endpoint;
    endpoint.kind = kindOf(deployment.provider);
    endpoint.name = deployment.name;
    endpoint.baseUrl = deployment.baseUrl;
    endpoint.apiKey = QString::fromUtf8(deployment.apiKey);
    endpoint.upstreamModel = deployment.upstreamModel;
    for (auto it = deployment.extraHeaders.cbegin(); it != deployment.extraHeaders.cend(); ++it)
        endpoint.extraHeaders.append({ it.key().toUtf8(), it.value().toUtf8() });
    // The plan's deadline already holds the fallback cap of the switching
    // budget; the provider's own timer enforces it.
    const qint64 left =
        std::max<qint64>(1, (attempt.firstTokenDeadline - systemTickClock()()).count());
    endpoint.firstTokenTimeoutMs = int(std::min<qint64>(left, INT_MAX));
    endpoint.connectTimeoutMs =
        int(std::min<qint64>(deployment.connectTimeout.count(), endpoint.firstTokenTimeoutMs));
    return endpoint;
}

void Generation::nextAttempt()
{
    if (m_turn.log->stopRequested())
        return conclude(StreamFinalStatus::Stopped, std::nullopt);
    m_attempt = m_plan->next();
    if (!m_attempt) {
        return conclude(StreamFinalStatus::Error,
                        m_fatalError ? m_fatalError : std::optional(m_plan->finalError()));
    }
    const auto &deployments = m_turn.model.deployments;
    const Deployment &deployment = deployments.at(m_attempt->index % deployments.size());
    m_deployment = deployment.name;
    m_turn.log->appendMeta(QJsonObject { { u"model"_s, m_turn.model.id },
                                         { u"deployment"_s, deployment.name },
                                         { u"attempt"_s, m_plan->attemptsMade() },
                                         { u"fallback"_s, m_attempt->isFallback } });
    qCDebug(lcGeneration) << "attempt" << m_plan->attemptsMade() << m_turn.assistantMessageId
                          << "on" << deployment.name;
    ProviderClient &client = m_thread.client(kindOf(deployment.provider));
    m_stream = client.stream(endpointFor(deployment, *m_attempt), m_request, this);
    connect(m_stream, &ProviderStream::delta, this, &Generation::onDelta);
    connect(m_stream, &ProviderStream::usage, this, &Generation::onUsage);
    connect(m_stream, &ProviderStream::finished, this, &Generation::onFinished);
}

void Generation::onDelta(const QString &text)
{
    if (!m_ttftMs) {
        m_ttftMs = sinceAccepted().count();
        m_plan->firstTokenReceived(*m_attempt);
    }
    m_turn.log->appendDelta(text);
}

void Generation::onUsage(const Usage &usage)
{
    m_reportedUsage = usage;
}

AttemptFailure Generation::failureOf(const ProviderOutcome &outcome)
{
    AttemptFailure failure;
    failure.message = ProviderOutcome::causeName(outcome.cause);
    using Cause = ProviderOutcome::Cause;
    switch (outcome.cause) {
    case Cause::RateLimited:
        failure.kind = AttemptFailure::Kind::RateLimited;
        if (outcome.error.retryAfterSeconds)
            failure.retryAfter = std::chrono::seconds(*outcome.error.retryAfterSeconds);
        break;
    case Cause::ConnectFailed:
        failure.kind = AttemptFailure::Kind::Connect;
        break;
    case Cause::ConnectTimeout:
    case Cause::FirstTokenTimeout:
        failure.kind = AttemptFailure::Kind::Timeout;
        break;
    case Cause::Unauthorized:
        failure.kind = AttemptFailure::Kind::Unauthorized;
        break;
    case Cause::NotFound:
        failure.kind = AttemptFailure::Kind::ModelMissing;
        break;
    case Cause::InvalidRequest:
    case Cause::ContextTooLong:
        failure.kind = AttemptFailure::Kind::BadRequest;
        break;
    default:
        failure.kind = AttemptFailure::Kind::ServerError;
        break;
    }
    return failure;
}

void Generation::onFinished(const ProviderOutcome &outcome)
{
    ProviderStream *stream = m_stream;
    m_stream = nullptr;
    if (stream)
        stream->deleteLater();
    qCInfo(lcGeneration) << "attempt on" << m_deployment << "ended"
                         << ProviderOutcome::kindName(outcome.kind)
                         << ProviderOutcome::causeName(outcome.cause);
    switch (outcome.kind) {
    case ProviderOutcome::Kind::Complete:
        return conclude(StreamFinalStatus::Complete, std::nullopt);
    case ProviderOutcome::Kind::Aborted:
        m_plan->abandoned(*m_attempt);
        return conclude(StreamFinalStatus::Stopped, std::nullopt);
    case ProviderOutcome::Kind::Interrupted:
        m_plan->failed(*m_attempt, failureOf(outcome));
        return conclude(StreamFinalStatus::Interrupted, outcome.error);
    case ProviderOutcome::Kind::Fatal:
        if (!outcome.isDeploymentFault()) {
            // Every deployment would refuse this request: say why.
            m_fatalError = outcome.error;
            m_plan->failed(*m_attempt,
                           AttemptFailure {
                               AttemptFailure::Kind::BadRequest, failureOf(outcome).message, {} });
            return nextAttempt();
        }
        m_plan->failed(*m_attempt, failureOf(outcome));
        return nextAttempt();
    case ProviderOutcome::Kind::Retryable:
        m_plan->failed(*m_attempt, failureOf(outcome));
        return nextAttempt();
    }
}

void Generation::conclude(StreamFinalStatus status, std::optional<ApiError> error)
{
    if (m_concluded)
        return;
    m_concluded = true;
    const std::shared_ptr<StreamLog> &log = m_turn.log;
    GenerationResult result;
    result.status = status;
    result.error = std::move(error);
    result.text = log->text();
    result.deployment = m_deployment;
    result.ttftMs = m_ttftMs;
    result.totalMs = sinceAccepted().count();

    // Provider-reported usage is the truth; otherwise the core's estimate,
    // marked. An answer that never reached a provider costs nothing.
    std::optional<Usage> usage = m_reportedUsage;
    if (!usage && (!result.text.isEmpty() || status != StreamFinalStatus::Error) && m_turn.context
        && !m_deployment.isEmpty()) {
        Usage estimate;
        estimate.inputTokens = m_turn.context->estimatedInputTokens;
        estimate.outputTokens = result.text.isEmpty() ? 0 : TokenEstimate::forText(result.text);
        estimate.estimated = true;
        usage = estimate;
    }
    if (usage) {
        for (const Deployment &deployment : std::as_const(m_turn.model.deployments)) {
            if (deployment.name == m_deployment)
                usage->costMicros = Pricing::cost(*usage, deployment.prices).micros();
        }
        log->appendUsage(usage->toJson());
    }
    result.usage = usage;
    qCInfo(lcGeneration) << "answer" << m_turn.assistantMessageId << finalStatusName(status) << "on"
                         << m_deployment << "ttft" << m_ttftMs.value_or(-1) << "ms total"
                         << result.totalMs << "ms";
    m_thread.persist(m_turn, std::move(result));
    m_thread.release(m_turn.assistantMessageId);
}

} // namespace parlance
