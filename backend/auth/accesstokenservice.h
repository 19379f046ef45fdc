#pragma once

#include "auth/authclock.h"
#include "auth/jwtcodec.h"
#include "common/result.h"

#include <QDateTime>
#include <QString>
#include <QStringView>

#include <chrono>

namespace parlance {

// What a verified access token says. Times are UTC, whole seconds.
struct AccessClaims
{
    QString userId; // sub
    QString role; // role
    QString tokenId; // jti, a UUID: lets a future deny-list name one token
    QString issuer; // iss
    QDateTime issuedAt; // iat
    QDateTime expiresAt; // exp
};

struct IssuedAccessToken
{
    QString token;
    AccessClaims claims;
};

struct AccessTokenSettings
{
    QString issuer = QStringLiteral("parlance");
    // Short, because an access token cannot be revoked before it expires;
    // refresh tokens carry the session.
    std::chrono::seconds lifetime { 15 * 60 };
    // Tolerated clock difference between nodes for exp, nbf and iat.
    std::chrono::seconds leeway { 30 };

    // invalid_field for an empty issuer, a lifetime outside 1 s – 24 h or a
    // leeway outside 0 – 5 min.
    [[nodiscard]] Status validate() const;
};

// Issues and checks the short-lived JWTs that authenticate API calls.
// Payload: {"iss","sub","role","typ":"access","iat","exp","jti"}; the `typ`
// claim keeps any other token we may sign with the same keys one day (stream
// or share tokens) from being accepted as an access token.
// Immutable; verify() is cheap (one HMAC) and safe on event-loop threads.
class AccessTokenService
{
public:
    static constexpr QLatin1StringView TokenType { "access" };

    AccessTokenService(JwtKeyRing keys, AccessTokenSettings settings = {},
                       WallClock clock = systemWallClock());

    [[nodiscard]] Result<IssuedAccessToken> issue(const QString &userId, const QString &role) const;

    // The claims of a valid token; token_expired once exp (plus leeway) has
    // passed for an otherwise valid token; invalid_token for everything else:
    // bad structure, algorithm, key, signature (see JwtCodec::verify), a
    // missing or mistyped claim, another issuer or token type, nbf or iat in
    // the future.
    [[nodiscard]] Result<AccessClaims> verify(QStringView token) const;

    [[nodiscard]] const AccessTokenSettings &settings() const { return m_settings; }
    [[nodiscard]] const JwtCodec &codec() const { return m_codec; }

private:
    JwtCodec m_codec;
    AccessTokenSettings m_settings;
    WallClock m_clock;
};

} // namespace parlance
