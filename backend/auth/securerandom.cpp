#include "auth/securerandom.h"

#include "auth/authlog.h"
#include "auth/base64url.h"
#include "contract/errorcodes.h"

#include <QUuid>

#include <openssl/rand.h>

namespace parlance {

Result<QByteArray> SecureRandom::bytes(int count)
{
    if (count <= 0)
        return ApiError { QString(errc::Internal), QStringLiteral("Invalid random length."), {} };
    QByteArray out(count, Qt::Uninitialized);
    if (RAND_bytes(reinterpret_cast<unsigned char *>(out.data()), count) != 1) {
        qCCritical(lcAuth) << "RAND_bytes failed";
        return ApiError { QString(errc::Internal),
                          QStringLiteral("The server could not generate a secure random value."),
                                         {} };
    }
    return out;
}

Result<QString> SecureRandom::token(int byteCount)
{
    auto raw = bytes(byteCount);
    if (!raw)
        return raw.error();
    return QString::fromLatin1(base64::encodeUrl(*raw));
}

QString SecureRandom::uuid()
{
    // On Unix Qt fills random UUIDs from QRandomGenerator::system().
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

} // namespace parlance
