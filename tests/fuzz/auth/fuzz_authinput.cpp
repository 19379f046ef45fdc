// Feeds arbitrary bytes to every parser that sees client or stored input, and
// checks two properties: verification never accepts what was not signed with
// our key, and any JSON object we sign verifies back to itself.

#include "auth/accesstokenservice.h"
#include "auth/argon2phc.h"
#include "auth/emailaddress.h"
#include "auth/jwtcodec.h"
#include "auth/refreshtokenservice.h"
#include "contract/errorcodes.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cstdint>
#include <cstdlib>

using namespace Qt::StringLiterals;
using namespace parlance;

namespace {

JwtKeyRing fuzzKeys()
{
    // The seed corpus's valid token is signed with this key.
    return std::move(JwtKeyRing::create({ u"k1"_s, QByteArray(32, 'k') })).value();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const JwtCodec codec(fuzzKeys());
    static const AccessTokenService tokens(fuzzKeys(), AccessTokenSettings {}, [] {
        return QDateTime::fromSecsSinceEpoch(1700000000, Qt::UTC);
    });

    const QByteArray bytes(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const QString text = QString::fromUtf8(bytes);

    const auto claims = tokens.verify(text);
    if (!claims.ok() && claims.error().code != errc::InvalidToken
        && claims.error().code != errc::TokenExpired)
        std::abort();
    (void)EmailAddress::normalise(text);
    (void)RefreshTokenService::hashToken(text);
    (void)Argon2Phc::parse(text);

    const QJsonDocument document = QJsonDocument::fromJson(bytes);
    if (document.isObject()) {
        const auto signedToken = codec.sign(document.object());
        if (!signedToken.ok())
            std::abort();
        const auto back = codec.verify(*signedToken);
        if (!back.ok() || *back != document.object())
            std::abort();
    }
    return 0;
}
