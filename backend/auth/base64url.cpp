#include "auth/base64url.h"

namespace parlance::base64 {

namespace {

std::optional<QByteArray> decodeStrict(QByteArrayView text, QByteArray::Base64Options alphabet)
{
    // A length of 1 mod 4 cannot come from any input; '=' is never emitted.
    if (text.size() % 4 == 1 || text.contains('='))
        return std::nullopt;
    const QByteArray::Base64Options options =
        alphabet | QByteArray::OmitTrailingEquals | QByteArray::AbortOnBase64DecodingErrors;
    auto decoded = QByteArray::fromBase64Encoding(text.toByteArray(), options);
    if (decoded.decodingStatus != QByteArray::Base64DecodingStatus::Ok)
        return std::nullopt;
    // Rejects spellings whose unused low bits are set ("AB" next to "AA").
    if (decoded.decoded.toBase64(alphabet | QByteArray::OmitTrailingEquals) != text)
        return std::nullopt;
    return std::move(decoded.decoded);
}

} // namespace

QByteArray encodeUrl(QByteArrayView data)
{
    return data.toByteArray().toBase64(QByteArray::Base64UrlEncoding
                                       | QByteArray::OmitTrailingEquals);
}

std::optional<QByteArray> decodeUrl(QByteArrayView text)
{
    return decodeStrict(text, QByteArray::Base64UrlEncoding);
}

QByteArray encodeStandardUnpadded(QByteArrayView data)
{
    return data.toByteArray().toBase64(QByteArray::Base64Encoding | QByteArray::OmitTrailingEquals);
}

std::optional<QByteArray> decodeStandardUnpadded(QByteArrayView text)
{
    return decodeStrict(text, QByteArray::Base64Encoding);
}

} // namespace parlance::base64
