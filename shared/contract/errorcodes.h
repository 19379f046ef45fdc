#pragma once

#include <QLatin1StringView>

// Stable error codes of the API. Clients branch on these, so a code is never
// renamed or reused; add new ones at the end of their group. The HTTP status
// each one travels with is in httpStatusFor().
namespace parlance::errc {

// Request shape (400, 404, 405, 413, 415)
inline constexpr QLatin1StringView MalformedJson { "malformed_json" };
inline constexpr QLatin1StringView InvalidField { "invalid_field" };
inline constexpr QLatin1StringView MissingField { "missing_field" };
inline constexpr QLatin1StringView NotFound { "not_found" };
inline constexpr QLatin1StringView MethodNotAllowed { "method_not_allowed" };
inline constexpr QLatin1StringView PayloadTooLarge { "payload_too_large" };
inline constexpr QLatin1StringView HeadersTooLarge { "headers_too_large" };
inline constexpr QLatin1StringView UnsupportedMediaType { "unsupported_media_type" };
inline constexpr QLatin1StringView RequestTimeout { "request_timeout" };

// Authentication and authorisation (401, 403, 409, 429)
inline constexpr QLatin1StringView Unauthenticated { "unauthenticated" };
inline constexpr QLatin1StringView InvalidCredentials { "invalid_credentials" };
inline constexpr QLatin1StringView TokenExpired { "token_expired" };
inline constexpr QLatin1StringView InvalidToken { "invalid_token" };
inline constexpr QLatin1StringView TokenReused { "token_reused" };
inline constexpr QLatin1StringView AccountDisabled { "account_disabled" };
inline constexpr QLatin1StringView Forbidden { "forbidden" };
inline constexpr QLatin1StringView EmailTaken { "email_taken" };
inline constexpr QLatin1StringView WeakPassword { "weak_password" };
inline constexpr QLatin1StringView TooManyAttempts { "too_many_attempts" };

// Conversations and generation (409, 422)
inline constexpr QLatin1StringView Conflict { "conflict" };
inline constexpr QLatin1StringView GenerationInProgress { "generation_in_progress" };
inline constexpr QLatin1StringView UnknownModel { "unknown_model" };
inline constexpr QLatin1StringView ContextTooLong { "context_too_long" };
inline constexpr QLatin1StringView StreamExpired { "stream_expired" };
inline constexpr QLatin1StringView ShareExpired { "share_expired" };

// Limits and billing (429)
inline constexpr QLatin1StringView RateLimited { "rate_limited" };
inline constexpr QLatin1StringView QuotaExceeded { "quota_exceeded" };

// Server and upstream (500, 502, 503, 504)
inline constexpr QLatin1StringView Internal { "internal_error" };
inline constexpr QLatin1StringView Unavailable { "service_unavailable" };
inline constexpr QLatin1StringView Overloaded { "overloaded" };
inline constexpr QLatin1StringView UpstreamError { "upstream_error" };
inline constexpr QLatin1StringView UpstreamTimeout { "upstream_timeout" };

// Client side only: the server's answer could not be understood.
inline constexpr QLatin1StringView MalformedResponse { "malformed_response" };
inline constexpr QLatin1StringView NetworkError { "network_error" };
// Client side only, made by the client's ApiClient/StreamClient from transport
// failures (never sent by a server; docs/client-api.md). A non-JSON or
// wrongly shaped answer is `malformed_response` above.
// Connection refused, host not found, no route: nothing answered at all.
inline constexpr QLatin1StringView NetworkUnreachable { "network_unreachable" };
// The TLS handshake failed; the message carries the reason (untrusted
// certificate, wrong host name, ...).
inline constexpr QLatin1StringView TlsError { "tls_error" };
// No byte moved for the configured transfer timeout.
inline constexpr QLatin1StringView Timeout { "timeout" };
// The client's local cache (SQLite in its data directory) failed; the app
// goes on without it.
inline constexpr QLatin1StringView CacheError { "cache_error" };

// The HTTP status an error code is sent with; 500 for an unknown code.
[[nodiscard]] int httpStatusFor(QLatin1StringView code);

} // namespace parlance::errc
