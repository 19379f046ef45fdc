#include "auth/jwtcodec.h"

#include "auth/authlog.h"
#include "auth/base64url.h"
#include "contract/errorcodes.h"

#include <QJsonDocument>
#include <QJsonParseError>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <optional>

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

constexpr qsizetype SignatureBytes = 32;

ApiError invalidToken(const QString &reason)
{
    return ApiError { QString(errc::InvalidToken),
                      u"The access token is not valid: "_s + reason,
                      {} };
}

std::optional<QByteArray> hmacSha256(const QByteArray &key, QByteArrayView data)
{
    QByteArray out(EVP_MAX_MD_SIZE, Qt::Uninitialized);
    unsigned int length = 0;
    if (!HMAC(EVP_sha256(), key.constData(), static_cast<int>(key.size()),
              reinterpret_cast<const unsigned char *>(data.data()),
              static_cast<size_t>(data.size()), reinterpret_cast<unsigned char *>(out.data()),
              &length)
        || length != SignatureBytes) {
        return std::nullopt;
    }
    out.truncate(length);
    return out;
}

std::optional<QJsonObject> decodeJsonObject(QByteArrayView segment)
{
    auto bytes = base64::decodeUrl(segment);
    if (!bytes)
        return std::nullopt;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(*bytes, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

} // namespace

JwtCodec::JwtCodec(JwtKeyRing keys)
    : m_keys(std::move(keys))
{ }

Result<QString> JwtCodec::sign(const QJsonObject &claims) const
{
    const JwtKey &key = m_keys.signingKey();
    const QJsonObject header {
        { u"alg"_s, u"HS256"_s },
        { u"kid"_s, key.id },
        { u"typ"_s, u"JWT"_s },
    };
    const QByteArray signingInput =
        base64::encodeUrl(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.'
        + base64::encodeUrl(QJsonDocument(claims).toJson(QJsonDocument::Compact));
    const auto signature = hmacSha256(key.secret, signingInput);
    if (!signature) {
        qCCritical(lcAuth) << "HMAC-SHA256 failed while signing a token";
        return ApiError { QString(errc::Internal), u"The server could not sign a token."_s, {} };
    }
    return QString::fromLatin1(signingInput + '.' + base64::encodeUrl(*signature));
}

Result<QJsonObject> JwtCodec::verify(QStringView token) const
{
    if (token.isEmpty())
        return invalidToken(u"it is empty."_s);
    if (token.size() > MaxTokenLength)
        return invalidToken(u"it is too long."_s);
    for (QChar c : token) {
        if (c.unicode() > 0x7f)
            return invalidToken(u"it is not a compact JWT."_s);
    }
    const QByteArray text = token.toLatin1();
    const qsizetype firstDot = text.indexOf('.');
    const qsizetype secondDot = firstDot < 0 ? -1 : text.indexOf('.', firstDot + 1);
    if (secondDot < 0 || text.indexOf('.', secondDot + 1) >= 0)
        return invalidToken(u"it does not have three segments."_s);
    const QByteArrayView all(text);
    const QByteArrayView headerSegment = all.first(firstDot);
    const QByteArrayView payloadSegment = all.sliced(firstDot + 1, secondDot - firstDot - 1);
    const QByteArrayView signatureSegment = all.sliced(secondDot + 1);

    const auto header = decodeJsonObject(headerSegment);
    if (!header)
        return invalidToken(u"the header is not base64url-encoded JSON."_s);
    // Only the algorithm we issue is accepted: this is what stops "none" and
    // algorithm-confusion tokens, whatever else the header says.
    const QJsonValue alg = header->value(u"alg"_s);
    if (!alg.isString() || alg.toString() != u"HS256")
        return invalidToken(u"the signing algorithm is not supported."_s);
    if (header->contains(u"crit"_s))
        return invalidToken(u"it has critical header parameters."_s);
    const QJsonValue typ = header->value(u"typ"_s);
    if (!typ.isUndefined()
        && (!typ.isString() || typ.toString().compare(u"JWT", Qt::CaseInsensitive) != 0))
        return invalidToken(u"its type is not JWT."_s);
    const QJsonValue kid = header->value(u"kid"_s);
    if (!kid.isString())
        return invalidToken(u"the header has no key id."_s);
    const QByteArray *secret = m_keys.secretFor(kid.toString());
    if (!secret)
        return invalidToken(u"it was signed with an unknown key."_s);

    const auto signature = base64::decodeUrl(signatureSegment);
    if (!signature || signature->size() != SignatureBytes)
        return invalidToken(u"the signature is malformed."_s);
    const auto expected = hmacSha256(*secret, all.first(secondDot));
    if (!expected) {
        qCCritical(lcAuth) << "HMAC-SHA256 failed while verifying a token";
        return ApiError { QString(errc::Internal), u"The server could not check a token."_s, {} };
    }
    if (CRYPTO_memcmp(expected->constData(), signature->constData(), SignatureBytes) != 0)
        return invalidToken(u"the signature does not match."_s);

    auto payload = decodeJsonObject(payloadSegment);
    if (!payload)
        return invalidToken(u"the payload is not base64url-encoded JSON."_s);
    return std::move(*payload);
}

} // namespace parlance
