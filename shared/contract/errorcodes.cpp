#include "contract/errorcodes.h"

#include <array>
#include <utility>

namespace parlance::errc {

int httpStatusFor(QLatin1StringView code)
{
    static constexpr std::array<std::pair<QLatin1StringView, int>, 37> table { {
        { MalformedJson, 400 },
        { InvalidField, 400 },
        { MissingField, 400 },
        { NotFound, 404 },
        { MethodNotAllowed, 405 },
        { PayloadTooLarge, 413 },
        { HeadersTooLarge, 431 },
        { UnsupportedMediaType, 415 },
        { RequestTimeout, 408 },
        { Unauthenticated, 401 },
        { InvalidCredentials, 401 },
        { TokenExpired, 401 },
        { InvalidToken, 401 },
        { TokenReused, 401 },
        { AccountDisabled, 403 },
        { Forbidden, 403 },
        { EmailTaken, 409 },
        { WeakPassword, 400 },
        { TooManyAttempts, 429 },
        { Conflict, 409 },
        { GenerationInProgress, 409 },
        { UnknownModel, 400 },
        { ContextTooLong, 422 },
        { RateLimited, 429 },
        { QuotaExceeded, 429 },
        { Internal, 500 },
        { Unavailable, 503 },
        { Overloaded, 503 },
        { UpstreamError, 502 },
        { UpstreamTimeout, 504 },
        { MalformedResponse, 502 },
        { NetworkError, 503 },
        // Client side: never sent, but a gateway would answer these.
        { NetworkUnreachable, 503 },
        { TlsError, 502 },
        { Timeout, 504 },
        { StreamExpired, 410 },
        { ShareExpired, 410 },
    } };
    for (const auto &[name, status] : table) {
        if (name == code)
            return status;
    }
    return 500;
}

} // namespace parlance::errc
