#include "auth/accesstokenservice.h"

#include "auth/securerandom.h"
#include "contract/errorcodes.h"

#include <QJsonObject>
#include <QJsonValue>

#include <cmath>
#include <optional>

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

constexpr qsizetype MaxClaimLength = 128;
// 9999-12-31T23:59:59Z: beyond it QDateTime and most peers give up.
constexpr double MaxNumericDate = 253402300799.0;

ApiError invalidToken(const QString &reason)
{
    return ApiError { QString(errc::InvalidToken),
                      u"The access token is not valid: "_s + reason,
                      {} };
}

ApiError invalidSetting(const QString &message)
{
    return ApiError { QString(errc::InvalidField), message, {} };
}

// RFC 7519 NumericDate, restricted to whole, non-negative seconds.
std::optional<qint64> numericDate(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    const double seconds = value.toDouble();
    if (!(seconds >= 0 && seconds <= MaxNumericDate) || std::floor(seconds) != seconds)
        return std::nullopt;
    return static_cast<qint64>(seconds);
}

std::optional<QString> shortString(const QJsonValue &value)
{
    if (!value.isString())
        return std::nullopt;
    QString text = value.toString();
    if (text.isEmpty() || text.size() > MaxClaimLength)
        return std::nullopt;
    return text;
}

} // namespace

Status AccessTokenSettings::validate() const
{
    if (issuer.isEmpty())
        return invalidSetting(u"The token issuer must not be empty."_s);
    if (lifetime < std::chrono::seconds(1) || lifetime > std::chrono::hours(24))
        return invalidSetting(
            u"The access token lifetime must be between 1 second and 24 hours."_s);
    if (leeway < std::chrono::seconds(0) || leeway > std::chrono::minutes(5))
        return invalidSetting(u"The token clock leeway must be between 0 and 300 seconds."_s);
    return Done {};
}

AccessTokenService::AccessTokenService(JwtKeyRing keys, AccessTokenSettings settings,
                                       WallClock clock)
    : m_codec(std::move(keys))
    , m_settings(std::move(settings))
    , m_clock(std::move(clock))
{ }

Result<IssuedAccessToken> AccessTokenService::issue(const QString &userId,
                                                    const QString &role) const
{
    // verify() would refuse such a token; refuse to mint it instead.
    if (userId.isEmpty() || role.isEmpty() || userId.size() > MaxClaimLength
        || role.size() > MaxClaimLength)
        return ApiError { QString(errc::Internal), u"The server could not issue a token."_s, {} };
    const qint64 now = m_clock().toSecsSinceEpoch();
    AccessClaims claims { userId,
                          role,
                          SecureRandom::uuid(),
                          m_settings.issuer,
                          QDateTime::fromSecsSinceEpoch(now, Qt::UTC),
                          QDateTime::fromSecsSinceEpoch(now + m_settings.lifetime.count(),
                                                        Qt::UTC) };
    const QJsonObject payload {
        { u"iss"_s, claims.issuer },
        { u"sub"_s, claims.userId },
        { u"role"_s, claims.role },
        { u"typ"_s, QString(TokenType) },
        { u"iat"_s, claims.issuedAt.toSecsSinceEpoch() },
        { u"exp"_s, claims.expiresAt.toSecsSinceEpoch() },
        { u"jti"_s, claims.tokenId },
    };
    auto token = m_codec.sign(payload);
    if (!token)
        return token.error();
    return IssuedAccessToken { std::move(token).value(), std::move(claims) };
}

Result<AccessClaims> AccessTokenService::verify(QStringView token) const
{
    auto verified = m_codec.verify(token);
    if (!verified)
        return verified.error();
    const QJsonObject &payload = *verified;

    const QJsonValue type = payload.value(u"typ"_s);
    if (!type.isString() || type.toString() != TokenType)
        return invalidToken(u"it is not an access token."_s);
    const QJsonValue issuer = payload.value(u"iss"_s);
    if (!issuer.isString() || issuer.toString() != m_settings.issuer)
        return invalidToken(u"it was issued by someone else."_s);

    const auto subject = shortString(payload.value(u"sub"_s));
    const auto role = shortString(payload.value(u"role"_s));
    const auto tokenId = shortString(payload.value(u"jti"_s));
    if (!subject || !role || !tokenId)
        return invalidToken(u"a required claim is missing."_s);
    const auto issuedAt = numericDate(payload.value(u"iat"_s));
    const auto expiresAt = numericDate(payload.value(u"exp"_s));
    if (!issuedAt || !expiresAt || *expiresAt <= *issuedAt)
        return invalidToken(u"its validity period is missing or wrong."_s);
    std::optional<qint64> notBefore;
    if (payload.contains(u"nbf"_s)) {
        notBefore = numericDate(payload.value(u"nbf"_s));
        if (!notBefore)
            return invalidToken(u"its validity period is missing or wrong."_s);
    }

    const qint64 now = m_clock().toSecsSinceEpoch();
    const qint64 leeway = m_settings.leeway.count();
    if (now >= *expiresAt + leeway)
        return ApiError { QString(errc::TokenExpired), u"The access token has expired."_s, {} };
    if ((notBefore && *notBefore > now + leeway) || *issuedAt > now + leeway)
        return invalidToken(u"it is not valid yet."_s);

    return AccessClaims { *subject,
                          *role,
                          *tokenId,
                          issuer.toString(),
                          QDateTime::fromSecsSinceEpoch(*issuedAt, Qt::UTC),
                          QDateTime::fromSecsSinceEpoch(*expiresAt, Qt::UTC) };
}

} // namespace parlance
