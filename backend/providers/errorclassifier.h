#pragma once

#include "providers/provideroutcome.h"
#include "providers/streamdecoder.h"
#include "upstream/httperror.h"

#include <optional>

namespace parlance {

// The one place that decides what a failure means (docs/providers.md has the
// table). Pure functions, unit-tested without a network.
namespace ErrorClassifier {

// A non-2xx answer, before any text (there can be none).
[[nodiscard]] ProviderOutcome fromHttpStatus(int status, const UpstreamErrorInfo &info,
                                             std::optional<int> retryAfterSeconds,
                                             const QString &apiKey);

// An error event inside a 200 stream. Before the first delta it is classified
// by its type as the matching HTTP error would be; after it, Interrupted.
[[nodiscard]] ProviderOutcome fromStreamError(const UpstreamErrorInfo &info, qint64 deltaCount,
                                              const QString &apiKey);

// A transport-level failure (no HTTP answer, a timeout, a cut body).
// `Kind` is Retryable before the first delta and Interrupted after.
[[nodiscard]] ProviderOutcome transportFailure(ProviderOutcome::Cause cause, qint64 deltaCount,
                                               const QString &detail);

// The HTTP exchange of a 2xx stream ended without the stream's terminator:
// `error` says how (Kind::None: the body ended cleanly but too early).
// Before any status (`statusSeen` false) a socket failure is ConnectFailed;
// an unreadable HTTP response is MalformedStream; a body cut after the
// status is Disconnected. Retryable before the first delta, else
// Interrupted.
[[nodiscard]] ProviderOutcome fromHttpFailure(const HttpError &error, bool statusSeen,
                                              qint64 deltaCount, const QString &apiKey);

[[nodiscard]] bool looksLikeContextOverflow(const UpstreamErrorInfo &info);

} // namespace ErrorClassifier

} // namespace parlance
