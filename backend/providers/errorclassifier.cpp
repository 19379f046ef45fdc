#include "providers/errorclassifier.h"

#include "contract/errorcodes.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace parlance::ErrorClassifier {

namespace {

using Kind = ProviderOutcome::Kind;
using Cause = ProviderOutcome::Cause;

ProviderOutcome make(Kind kind, Cause cause, QLatin1StringView code, const QString &message)
{
    ProviderOutcome outcome;
    outcome.kind = kind;
    outcome.cause = cause;
    outcome.error.code = QString(code);
    outcome.error.message = message;
    return outcome;
}

QString describe(const QString &what, const UpstreamErrorInfo &info, const QString &apiKey)
{
    const QString detail = sanitizeProviderMessage(info.message, apiKey);
    return detail.isEmpty() ? what : what + u": "_s + detail;
}

// Error types of both dialects mapped to the status the same failure has as
// an HTTP answer, so in-stream errors follow the same table.
int statusForErrorType(const UpstreamErrorInfo &info)
{
    const QString &type = info.type;
    if (type == "overloaded_error"_L1)
        return 529;
    if (type == "rate_limit_error"_L1 || type == "requests"_L1 || type == "tokens"_L1
        || info.code == "rate_limit_exceeded"_L1)
        return 429;
    if (type == "invalid_request_error"_L1)
        return 400;
    if (type == "authentication_error"_L1)
        return 401;
    if (type == "permission_error"_L1)
        return 403;
    if (type == "not_found_error"_L1)
        return 404;
    if (type == "request_too_large"_L1)
        return 413;
    return 500;
}

} // namespace

bool looksLikeContextOverflow(const UpstreamErrorInfo &info)
{
    if (info.code == "context_length_exceeded"_L1 || info.type == "exceed_context_size_error"_L1)
        return true;
    // vLLM: "This model's maximum context length is 8192 tokens"; Anthropic:
    // "prompt is too long: 210000 tokens > 200000 maximum"; llama.cpp: "the
    // request exceeds the available context size".
    static const QRegularExpression pattern(
        u"maximum context length|context length exceeded|context window|prompt is too long"
        "|exceeds? (the )?(available )?context|too many tokens"_s,
        QRegularExpression::CaseInsensitiveOption);
    return pattern.match(info.message).hasMatch();
}

ProviderOutcome fromHttpStatus(int status, const UpstreamErrorInfo &info,
                               std::optional<int> retryAfterSeconds, const QString &apiKey)
{
    const QString prefix = u"provider answered HTTP %1"_s.arg(status);
    ProviderOutcome outcome;
    if (info.type == "overloaded_error"_L1 || status == 503 || status == 529) {
        outcome = make(Kind::Retryable, Cause::Overloaded, errc::Overloaded,
                       describe(prefix, info, apiKey));
        outcome.error.retryAfterSeconds = retryAfterSeconds;
    } else if (status == 429) {
        // OpenAI uses 429 for an empty balance too; waiting does not fix it.
        if (info.code == "insufficient_quota"_L1 || info.type == "insufficient_quota"_L1) {
            outcome = make(Kind::Fatal, Cause::QuotaExhausted, errc::UpstreamError,
                           describe(prefix, info, apiKey));
        } else {
            outcome = make(Kind::Retryable, Cause::RateLimited, errc::RateLimited,
                           describe(prefix, info, apiKey));
            outcome.error.retryAfterSeconds = retryAfterSeconds;
        }
    } else if (status == 401 || status == 403) {
        outcome = make(Kind::Fatal, Cause::Unauthorized, errc::UpstreamError,
                       describe(prefix, info, apiKey));
    } else if (status == 404) {
        outcome =
            make(Kind::Fatal, Cause::NotFound, errc::UpstreamError, describe(prefix, info, apiKey));
    } else if (status == 408 || status == 504) {
        outcome = make(Kind::Retryable, Cause::ServerError, errc::UpstreamTimeout,
                       describe(prefix, info, apiKey));
    } else if (status == 409 || status >= 500) {
        outcome = make(Kind::Retryable, Cause::ServerError, errc::UpstreamError,
                       describe(prefix, info, apiKey));
    } else if (looksLikeContextOverflow(info)) {
        outcome = make(Kind::Fatal, Cause::ContextTooLong, errc::ContextTooLong,
                       describe(u"the conversation is too long for this model"_s, info, apiKey));
    } else {
        // 400, 413, 422, 3xx (redirects are not followed: a key must not
        // travel to another host) and the rest of 4xx.
        outcome = make(Kind::Fatal, Cause::InvalidRequest, errc::UpstreamError,
                       describe(prefix, info, apiKey));
    }
    outcome.httpStatus = status;
    return outcome;
}

ProviderOutcome fromStreamError(const UpstreamErrorInfo &info, qint64 deltaCount,
                                const QString &apiKey)
{
    ProviderOutcome outcome = fromHttpStatus(statusForErrorType(info), info, std::nullopt, apiKey);
    const QString detail = sanitizeProviderMessage(info.message, apiKey);
    outcome.error.message = detail.isEmpty() ? u"provider sent an error event"_s
                                             : u"provider sent an error event: "_s + detail;
    outcome.httpStatus = 200;
    if (outcome.cause == Cause::ServerError)
        outcome.cause = Cause::StreamError;
    if (deltaCount > 0)
        outcome.kind = Kind::Interrupted;
    outcome.deltaCount = deltaCount;
    return outcome;
}

ProviderOutcome transportFailure(Cause cause, qint64 deltaCount, const QString &detail)
{
    QLatin1StringView code = errc::UpstreamError;
    QString message;
    switch (cause) {
    case Cause::ConnectTimeout:
        code = errc::UpstreamTimeout;
        message = u"provider did not accept the connection in time"_s;
        break;
    case Cause::FirstTokenTimeout:
        code = errc::UpstreamTimeout;
        message = u"provider sent no token in time"_s;
        break;
    case Cause::IdleTimeout:
        code = errc::UpstreamTimeout;
        message = u"provider stopped sending mid-answer"_s;
        break;
    case Cause::ConnectFailed:
        message = u"could not reach the provider"_s;
        break;
    case Cause::MalformedStream:
        message = u"provider sent an unreadable stream"_s;
        break;
    default:
        message = u"provider connection ended before the answer was complete"_s;
        break;
    }
    if (!detail.isEmpty())
        message += u" ("_s + detail + u')';
    ProviderOutcome outcome =
        make(deltaCount > 0 ? Kind::Interrupted : Kind::Retryable, cause, code, message);
    outcome.deltaCount = deltaCount;
    return outcome;
}

ProviderOutcome fromHttpFailure(const HttpError &error, bool statusSeen, qint64 deltaCount,
                                const QString &apiKey)
{
    const QString detail = sanitizeProviderMessage(error.message, apiKey);
    switch (error.kind) {
    case HttpError::Kind::MalformedResponse:
    case HttpError::Kind::HeadersTooLarge:
        return transportFailure(Cause::MalformedStream, deltaCount,
                                u"invalid HTTP response: "_s + detail);
    case HttpError::Kind::Shutdown:
        return transportFailure(Cause::Disconnected, deltaCount, detail);
    case HttpError::Kind::None:
        return transportFailure(Cause::Disconnected, deltaCount, {});
    default:
        break;
    }
    // Refused, DNS, TLS, a reset before the status line: nothing reached
    // the provider's application, or nothing came back from it.
    return transportFailure(statusSeen ? Cause::Disconnected : Cause::ConnectFailed, deltaCount,
                            detail);
}

} // namespace parlance::ErrorClassifier
