#pragma once

#include "domain/apierror.h"

#include <QByteArray>
#include <QMetaType>
#include <QString>

namespace parlance {

// How one provider stream ended. `kind` is what the orchestrator branches on;
// `cause` says why, for metrics, logs and breaker policy; `error` is what a
// user may be shown (code from contract/errorcodes.h, the provider's message
// sanitised, retry_after when the provider gave one).
struct ProviderOutcome
{
    enum class Kind {
        // The terminator arrived ([DONE] / message_stop).
        Complete,
        // Failed before any text reached the caller: retrying or failing over
        // is safe and invisible to the user.
        Retryable,
        // Failed before any text, but retrying the same request cannot help
        // (auth, invalid request, context too long).
        Fatal,
        // Failed after at least one delta: the partial text stands, the
        // message ends as interrupted. Never retried.
        Interrupted,
        // abort() was called.
        Aborted,
    };

    enum class Cause {
        None, // Complete or Aborted.
        RateLimited, // 429
        ServerError, // 500, 502, 504, other 5xx
        Overloaded, // 503, 529, an overloaded error event
        ConnectFailed, // refused, DNS, TLS, reset before the headers
        ConnectTimeout,
        FirstTokenTimeout,
        IdleTimeout, // after the first token
        Disconnected, // the body ended without its terminator
        StreamError, // an error event inside a 200 stream
        MalformedStream, // too many unparsable events, or an oversized line
        Unauthorized, // 401, 403
        NotFound, // 404: wrong base URL or unknown model
        InvalidRequest, // 400, 422 and other 4xx
        ContextTooLong, // a 400 that says the prompt does not fit
        QuotaExhausted, // a 429 that says the account is out of credit
    };

    Kind kind = Kind::Complete;
    Cause cause = Cause::None;
    // The provider's own reason: stop, length, end_turn, max_tokens, ...
    // Empty unless Complete (and when the provider sent none).
    QString finishReason;
    // Set for every kind except Complete and Aborted.
    ApiError error;
    // The HTTP status the upstream answered; 0 when none arrived.
    int httpStatus = 0;
    // Text deltas emitted before the end (Interrupted has at least one).
    qint64 deltaCount = 0;
    // Unparsable events skipped (see docs/providers.md, malformed policy).
    int malformedEvents = 0;

    [[nodiscard]] bool isComplete() const { return kind == Kind::Complete; }
    // Safe to retry the same request, here or on another deployment.
    [[nodiscard]] bool isRetryable() const { return kind == Kind::Retryable; }
    // The deployment, not the request, is at fault: a reason to fail over
    // (and to count against its breaker) even though retrying it is useless.
    [[nodiscard]] bool isDeploymentFault() const;

    [[nodiscard]] static QLatin1StringView kindName(Kind kind);
    [[nodiscard]] static QLatin1StringView causeName(Cause cause);
};

// Turns an upstream's error text into something safe to store and show: the
// API key and anything shaped like a secret key removed, control characters
// dropped, length capped.
[[nodiscard]] QString sanitizeProviderMessage(const QString &message, const QString &apiKey);

// Parses `retry-after` (delta-seconds or an HTTP-date) and OpenAI's
// `retry-after-ms`; seconds rounded up, at least 0. Nullopt when absent or
// unparsable.
[[nodiscard]] std::optional<int> parseRetryAfter(const QByteArray &retryAfter,
                                                 const QByteArray &retryAfterMs);

} // namespace parlance

Q_DECLARE_METATYPE(parlance::ProviderOutcome)
