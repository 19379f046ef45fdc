#include "providers/provideroutcome.h"

#include <QDateTime>
#include <QLocale>
#include <QRegularExpression>

#include <cmath>

using namespace Qt::StringLiterals;

namespace parlance {

bool ProviderOutcome::isDeploymentFault() const
{
    switch (cause) {
    case Cause::Unauthorized:
    case Cause::NotFound:
    case Cause::QuotaExhausted:
        return true;
    default:
        return kind == Kind::Retryable;
    }
}

QLatin1StringView ProviderOutcome::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Complete:
        return "complete"_L1;
    case Kind::Retryable:
        return "retryable"_L1;
    case Kind::Fatal:
        return "fatal"_L1;
    case Kind::Interrupted:
        return "interrupted"_L1;
    case Kind::Aborted:
        return "aborted"_L1;
    }
    return "complete"_L1;
}

QLatin1StringView ProviderOutcome::causeName(Cause cause)
{
    switch (cause) {
    case Cause::None:
        return "none"_L1;
    case Cause::RateLimited:
        return "rate_limited"_L1;
    case Cause::ServerError:
        return "server_error"_L1;
    case Cause::Overloaded:
        return "overloaded"_L1;
    case Cause::ConnectFailed:
        return "connect_failed"_L1;
    case Cause::ConnectTimeout:
        return "connect_timeout"_L1;
    case Cause::FirstTokenTimeout:
        return "first_token_timeout"_L1;
    case Cause::IdleTimeout:
        return "idle_timeout"_L1;
    case Cause::Disconnected:
        return "disconnected"_L1;
    case Cause::StreamError:
        return "stream_error"_L1;
    case Cause::MalformedStream:
        return "malformed_stream"_L1;
    case Cause::Unauthorized:
        return "unauthorized"_L1;
    case Cause::NotFound:
        return "not_found"_L1;
    case Cause::InvalidRequest:
        return "invalid_request"_L1;
    case Cause::ContextTooLong:
        return "context_too_long"_L1;
    case Cause::QuotaExhausted:
        return "quota_exhausted"_L1;
    }
    return "none"_L1;
}

QString sanitizeProviderMessage(const QString &message, const QString &apiKey)
{
    constexpr qsizetype maxLength = 500;
    QString out = message.left(maxLength * 2);
    // The key itself, and the prefixes providers echo back ("sk-proj-abc...").
    if (apiKey.size() >= 4)
        out.replace(apiKey, u"[redacted]"_s);
    static const QRegularExpression keyLike(u"\\b(sk|pk|rk|key|sess)[-_][A-Za-z0-9_\\-*]{6,}"_s);
    out.replace(keyLike, u"[redacted]"_s);
    QString clean;
    clean.reserve(out.size());
    for (const QChar c : std::as_const(out))
        clean.append(c.isPrint() ? c : QChar(u' '));
    clean = clean.simplified();
    if (clean.size() > maxLength)
        clean = clean.left(maxLength - 1) + QChar(0x2026);
    return clean;
}

std::optional<int> parseRetryAfter(const QByteArray &retryAfter, const QByteArray &retryAfterMs)
{
    if (!retryAfterMs.isEmpty()) {
        bool ok = false;
        const double ms = retryAfterMs.trimmed().toDouble(&ok);
        if (ok && ms >= 0 && std::isfinite(ms))
            return int(std::ceil(ms / 1000.0));
    }
    const QByteArray value = retryAfter.trimmed();
    if (value.isEmpty())
        return std::nullopt;
    bool ok = false;
    const double seconds = value.toDouble(&ok);
    if (ok) {
        if (seconds < 0 || !std::isfinite(seconds))
            return std::nullopt;
        return int(std::min(std::ceil(seconds), 86400.0));
    }
    // RFC 9110 IMF-fixdate: "Wed, 21 Oct 2015 07:28:00 GMT".
    QDateTime when =
        QLocale::c().toDateTime(QString::fromLatin1(value), u"ddd, dd MMM yyyy HH:mm:ss 'GMT'"_s);
    if (!when.isValid())
        return std::nullopt;
    when.setTimeSpec(Qt::UTC);
    const qint64 delta = QDateTime::currentDateTimeUtc().secsTo(when);
    return int(std::clamp<qint64>(delta, 0, 86400));
}

} // namespace parlance
