#include "upstream/httperror.h"

using namespace Qt::StringLiterals;

namespace parlance {

QLatin1StringView HttpError::kindName(Kind kind)
{
    switch (kind) {
    case Kind::None:
        return "none"_L1;
    case Kind::ConnectionRefused:
        return "connection_refused"_L1;
    case Kind::HostNotFound:
        return "host_not_found"_L1;
    case Kind::Tls:
        return "tls"_L1;
    case Kind::ConnectionClosed:
        return "connection_closed"_L1;
    case Kind::Network:
        return "network"_L1;
    case Kind::MalformedResponse:
        return "malformed_response"_L1;
    case Kind::HeadersTooLarge:
        return "headers_too_large"_L1;
    case Kind::InvalidRequest:
        return "invalid_request"_L1;
    case Kind::Shutdown:
        return "shutdown"_L1;
    }
    return "unknown"_L1;
}

} // namespace parlance
