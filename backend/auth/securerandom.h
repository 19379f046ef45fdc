#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QString>

namespace parlance {

// Randomness for secrets comes from OpenSSL's CSPRNG; ids only need to be
// unique and come from QUuid.
class SecureRandom
{
public:
    // `count` bytes from RAND_bytes; internal_error when the generator fails.
    [[nodiscard]] static Result<QByteArray> bytes(int count);

    // A bearer secret: `byteCount` random bytes as base64url without padding
    // (32 bytes give 43 characters, 256 bits).
    [[nodiscard]] static Result<QString> token(int byteCount = 32);

    // A random (version 4) UUID without braces, for row ids, jti, families.
    [[nodiscard]] static QString uuid();
};

} // namespace parlance
