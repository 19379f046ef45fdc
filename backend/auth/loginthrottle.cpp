#include "auth/loginthrottle.h"

#include "contract/errorcodes.h"

#include <QHostAddress>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace parlance {

QString LoginThrottle::addressKey(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    if (isV4)
        return QHostAddress(v4).toString();
    if (address.protocol() != QAbstractSocket::IPv6Protocol)
        return u"unknown"_s;
    Q_IPV6ADDR bytes = address.toIPv6Address();
    std::fill(bytes.c + 8, bytes.c + 16, quint8(0));
    return QHostAddress(bytes).toString() + u"/64"_s;
}

ApiError LoginThrottle::tooManyAttempts(Scope scope, std::chrono::milliseconds retryAfter)
{
    const int seconds = static_cast<int>(std::max<qint64>(1, (retryAfter.count() + 999) / 1000));
    const QString wait = seconds < 120 ? QString::number(seconds) + u" seconds"_s
                                       : QString::number((seconds + 59) / 60) + u" minutes"_s;
    const QString message = scope == Scope::Account
        ? u"Too many failed sign-in attempts for this account. Try again in "_s + wait + u"."_s
        : u"Too many sign-in attempts from your network. Try again in "_s + wait + u"."_s;
    return ApiError { QString(errc::TooManyAttempts), message, seconds };
}

} // namespace parlance
