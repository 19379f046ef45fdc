#include "generation/failoverplan.h"

#include "contract/errorcodes.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace parlance {

FailoverPlan::FailoverPlan(QList<FailoverCandidate> candidates, FailoverSettings settings,
                           TickClock clock)
    : m_candidates(std::move(candidates))
    , m_settings(settings)
    , m_clock(std::move(clock))
{ }

std::optional<FailoverPlan::Attempt> FailoverPlan::next()
{
    if (m_firstTokenSeen || m_stopped || m_budgetSpent)
        return std::nullopt;
    const Millis now = m_clock();
    if (m_firstFailureAt && now - *m_firstFailureAt >= m_settings.switchBudget) {
        m_budgetSpent = true;
        return std::nullopt;
    }
    while (m_nextIndex < m_candidates.size()) {
        const int index = m_nextIndex++;
        const FailoverCandidate &candidate = m_candidates.at(index);
        const auto permit = candidate.breaker ? candidate.breaker->tryAcquire()
                                              : std::optional(CircuitBreaker::Permit {});
        if (!permit) {
            ++m_skipped;
            const auto snap = candidate.breaker->snapshot();
            if (!snap.throttledUntil)
                m_skippedOnlyThrottled = false;
            const Millis at = candidate.breaker->availableAt();
            m_earliestAvailable = m_earliestAvailable ? std::min(*m_earliestAvailable, at) : at;
            continue;
        }
        Attempt attempt;
        attempt.index = index;
        attempt.deployment = candidate.deployment;
        attempt.permit = *permit;
        attempt.isFallback = m_firstFailureAt.has_value();
        attempt.firstTokenDeadline = now + candidate.firstTokenTimeout;
        if (attempt.isFallback && m_settings.capFallbackToBudget) {
            attempt.firstTokenDeadline =
                std::min(attempt.firstTokenDeadline, *m_firstFailureAt + m_settings.switchBudget);
        }
        ++m_attempts;
        return attempt;
    }
    return std::nullopt;
}

void FailoverPlan::firstTokenReceived(const Attempt &attempt)
{
    m_firstTokenSeen = true;
    if (const auto &breaker = m_candidates.at(attempt.index).breaker)
        breaker->recordSuccess(attempt.permit);
}

void FailoverPlan::failed(const Attempt &attempt, const AttemptFailure &failure)
{
    if (!m_firstFailureAt)
        m_firstFailureAt = m_clock();
    m_lastFailure = failure;
    const auto &breaker = m_candidates.at(attempt.index).breaker;
    switch (failure.kind) {
    case AttemptFailure::Kind::RateLimited:
        if (breaker)
            breaker->recordThrottled(attempt.permit, failure.retryAfter.value_or(Millis(0)));
        break;
    case AttemptFailure::Kind::BadRequest:
        m_stopped = true;
        if (breaker)
            breaker->recordAbandoned(attempt.permit);
        break;
    default:
        if (breaker)
            breaker->recordFailure(attempt.permit, failure.message);
        break;
    }
}

void FailoverPlan::abandoned(const Attempt &attempt)
{
    m_stopped = true;
    if (const auto &breaker = m_candidates.at(attempt.index).breaker)
        breaker->recordAbandoned(attempt.permit);
}

ApiError FailoverPlan::finalError() const
{
    const auto retryAfterSeconds = [&]() -> std::optional<int> {
        if (!m_earliestAvailable)
            return std::nullopt;
        const qint64 ms = std::max<qint64>((*m_earliestAvailable - m_clock()).count(), 0);
        return int(std::max<qint64>((ms + 999) / 1000, 1));
    };
    if (m_lastFailure && m_lastFailure->kind == AttemptFailure::Kind::BadRequest) {
        return ApiError { QString(errc::UpstreamError),
                          u"The model provider refused the request."_s, std::nullopt };
    }
    if (!m_lastFailure) {
        if (m_skipped > 0 && m_skippedOnlyThrottled) {
            return ApiError { QString(errc::RateLimited),
                              u"The model is busy; try again shortly."_s, retryAfterSeconds() };
        }
        return ApiError { QString(errc::Unavailable),
                          u"The model is temporarily unavailable; try again shortly."_s,
                          m_skipped > 0 ? retryAfterSeconds() : std::optional<int>(30) };
    }
    if (m_lastFailure->kind == AttemptFailure::Kind::Timeout) {
        return ApiError { QString(errc::UpstreamTimeout), u"The model did not answer in time."_s,
                          std::nullopt };
    }
    if (m_lastFailure->kind == AttemptFailure::Kind::RateLimited && m_attempts > 0) {
        std::optional<int> retry;
        if (m_lastFailure->retryAfter)
            retry = int(std::max<qint64>((m_lastFailure->retryAfter->count() + 999) / 1000, 1));
        return ApiError { QString(errc::RateLimited), u"The model is busy; try again shortly."_s,
                          retry };
    }
    return ApiError { QString(errc::UpstreamError), u"The model provider failed to answer."_s,
                      std::nullopt };
}

} // namespace parlance
