#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

// Base64 as JWTs (RFC 7515 §2) and PHC strings use it: no padding.
namespace parlance::base64 {

// URL-safe alphabet, no '=' padding.
[[nodiscard]] QByteArray encodeUrl(QByteArrayView data);

// Strict decoding of encodeUrl's output: rejects padding, characters outside
// the alphabet and non-canonical trailing bits, so each value has exactly one
// accepted spelling.
[[nodiscard]] std::optional<QByteArray> decodeUrl(QByteArrayView text);

// Standard alphabet ('+', '/'), no padding: the PHC string format's "B64".
[[nodiscard]] QByteArray encodeStandardUnpadded(QByteArrayView data);
[[nodiscard]] std::optional<QByteArray> decodeStandardUnpadded(QByteArrayView text);

} // namespace parlance::base64
