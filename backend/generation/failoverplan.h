#pragma once

#include "domain/apierror.h"
#include "generation/circuitbreaker.h"
#include "generation/tickclock.h"

#include <QList>
#include <QString>

#include <chrono>
#include <memory>
#include <optional>

namespace parlance {

struct FailoverSettings
{
    // Time allowed for switching deployments, counted from the first failure:
    // no new attempt starts after it, and with `capFallbackToBudget` a
    // fallback attempt must also deliver its first token within it (the
    // "next deployment streaming within 2 s" target).
    std::chrono::milliseconds switchBudget { 2000 };
    bool capFallbackToBudget = true;
};

struct FailoverCandidate
{
    QString deployment;
    std::shared_ptr<CircuitBreaker> breaker; // shared by all requests
    std::chrono::milliseconds firstTokenTimeout { 15'000 };
};

// How an attempt failed, as the provider client classifies it.
struct AttemptFailure
{
    enum class Kind {
        Connect, // refused, reset, DNS, TLS
        Timeout, // no first token (or headers) in time
        ServerError, // 5xx, or a broken stream before the first token
        RateLimited, // 429; `retryAfter` when the provider sent one
        Unauthorized, // 401/403: this deployment's key is wrong
        ModelMissing, // 404: this deployment lacks the model
        BadRequest, // 400/413/422: the request itself; no other deployment helps
    };
    Kind kind = Kind::ServerError;
    QString message; // short, for logs and admins; no keys, no bodies
    std::optional<std::chrono::milliseconds> retryAfter;
};

// Which deployment to try next for ONE generation. Pure logic; the caller
// does the I/O:
//
//   FailoverPlan plan(candidates, {}, clock);
//   while (auto attempt = plan.next()) {
//       start the request, arm a timer for attempt->firstTokenDeadline;
//       on first token: plan.firstTokenReceived(*attempt); stream to the end;
//                       a later failure ends the message as `interrupted`
//                       (plan.failed() still feeds the breaker; next() is empty)
//       on failure before it: plan.failed(*attempt, failure); continue;
//   }
//   no attempt left: finish the log with plan.finalError().
//
// Rules: candidates in configured order, each at most once; open or
// throttled circuits are skipped; a 429 moves on at once (Retry-After is
// remembered by the breaker for later requests, not waited for here); a bad
// request stops the plan (every deployment would refuse it); after the first
// token there is no failover.
class FailoverPlan
{
public:
    struct Attempt
    {
        int index = -1; // into the candidates
        QString deployment;
        CircuitBreaker::Permit permit;
        std::chrono::milliseconds firstTokenDeadline { 0 }; // tick time
        bool isFallback = false;
    };

    FailoverPlan(QList<FailoverCandidate> candidates, FailoverSettings settings = {},
                 TickClock clock = systemTickClock());

    [[nodiscard]] std::optional<Attempt> next();
    void firstTokenReceived(const Attempt &attempt);
    void failed(const Attempt &attempt, const AttemptFailure &failure);
    // The user stopped, or the caller gave up for its own reasons: no verdict
    // on the deployment.
    void abandoned(const Attempt &attempt);

    [[nodiscard]] bool firstTokenSeen() const { return m_firstTokenSeen; }
    // Why next() had nothing: upstream_timeout / upstream_error (last
    // failure), rate_limited or service_unavailable with retry_after when
    // every circuit was closed to us, upstream_error for a refused request.
    [[nodiscard]] ApiError finalError() const;
    [[nodiscard]] int attemptsMade() const { return m_attempts; }

private:
    using Millis = std::chrono::milliseconds;

    const QList<FailoverCandidate> m_candidates;
    const FailoverSettings m_settings;
    const TickClock m_clock;

    int m_nextIndex = 0;
    int m_attempts = 0;
    bool m_firstTokenSeen = false;
    bool m_stopped = false; // a bad request: nothing else to try
    bool m_budgetSpent = false;
    std::optional<Millis> m_firstFailureAt;
    std::optional<AttemptFailure> m_lastFailure;
    // Among skipped candidates: the earliest time one opens again.
    std::optional<Millis> m_earliestAvailable;
    bool m_skippedOnlyThrottled = true;
    int m_skipped = 0;
};

} // namespace parlance
