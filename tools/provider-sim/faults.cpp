#include "faults.h"

namespace parlance::sim {

bool isStatusFault(FaultKind kind)
{
    return kind == FaultKind::RateLimit || kind == FaultKind::ServerError
        || kind == FaultKind::Overloaded;
}

bool isMidStreamFault(FaultKind kind)
{
    return kind == FaultKind::Disconnect || kind == FaultKind::Malformed
        || kind == FaultKind::ErrorEvent || kind == FaultKind::Stall;
}

Reply statusFaultReply(const WireFormat &format, const Behaviour &behaviour)
{
    const QByteArray seconds = QByteArray::number(behaviour.retryAfterSeconds);
    switch (behaviour.fault) {
    case FaultKind::RateLimit: {
        Reply reply = format.error(ErrorKind::RateLimit, QString::fromLatin1(seconds));
        reply.headers.append({ QByteArrayLiteral("retry-after"), seconds });
        return reply;
    }
    case FaultKind::Overloaded: {
        Reply reply = format.error(ErrorKind::Overloaded);
        if (behaviour.retryAfterSeconds > 0)
            reply.headers.append({ QByteArrayLiteral("retry-after"), seconds });
        return reply;
    }
    default:
        return format.error(ErrorKind::ServerError);
    }
}

} // namespace parlance::sim
