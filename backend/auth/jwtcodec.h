#pragma once

#include "auth/jwtkeyring.h"
#include "common/result.h"

#include <QJsonObject>
#include <QString>
#include <QStringView>

namespace parlance {

// Compact JWS with HS256 only (RFC 7515/7518): header {"alg":"HS256",
// "kid":…,"typ":"JWT"}, base64url segments without padding. Knows nothing
// of what the claims mean (AccessTokenService does). Immutable, shareable
// between threads.
class JwtCodec
{
public:
    // Longer input is refused before any decoding.
    static constexpr qsizetype MaxTokenLength = 8192;

    explicit JwtCodec(JwtKeyRing keys);

    // Signs `claims` with the ring's signing key.
    [[nodiscard]] Result<QString> sign(const QJsonObject &claims) const;

    // The payload of a token whose structure, header and signature are right,
    // or invalid_token saying what was wrong. Rules: exactly three segments of
    // strict base64url; the header a JSON object whose alg is exactly "HS256"
    // (so "none", "HS512", "RS256" … fail before any key is touched), whose kid
    // names a key of the ring, whose typ, if present, is "JWT", and without
    // "crit"; the signature 32 bytes equal, in constant time, to the HMAC of
    // the first two segments; the payload a JSON object.
    [[nodiscard]] Result<QJsonObject> verify(QStringView token) const;

    [[nodiscard]] const JwtKeyRing &keys() const { return m_keys; }

private:
    JwtKeyRing m_keys;
};

} // namespace parlance
