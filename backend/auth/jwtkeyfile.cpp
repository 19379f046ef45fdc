#include "auth/jwtkeyfile.h"

#include "auth/authlog.h"
#include "auth/jwtkeyring.h"
#include "auth/securerandom.h"
#include "contract/errorcodes.h"

#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

ApiError fileError(const QString &what, const QString &path)
{
    return ApiError { QString(errc::Internal),
                      u"cannot %1 the signing key file \"%2\": %3."_s.arg(
                          what, path, QString::fromLocal8Bit(std::strerror(errno))),
                      {} };
}

Result<JwtKeyFile::Loaded> load(const QString &path)
{
    const QFileInfo info(path);
    if (info.permissions()
        & (QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther)) {
        qCWarning(lcAuth).noquote()
            << "The signing key file" << path << "is readable by other users; chmod 600 it.";
    }
    auto secret = JwtKeyRing::secretFromSpec(u"file:"_s + path);
    if (!secret)
        return secret.error();
    if (secret->size() < JwtKeyRing::MinSecretBytes) {
        return ApiError { QString(errc::InvalidField),
                          u"the signing key file \"%1\" holds fewer than %2 bytes."_s.arg(
                              path, QString::number(JwtKeyRing::MinSecretBytes)),
                          {} };
    }
    return JwtKeyFile::Loaded { std::move(secret).value(), false };
}

} // namespace

Result<JwtKeyFile::Loaded> JwtKeyFile::loadOrCreate(const QString &path)
{
    if (QFileInfo::exists(path))
        return load(path);

    auto random = SecureRandom::bytes(GeneratedBytes);
    if (!random)
        return random.error();
    const QByteArray content = "base64:" + random->toBase64() + '\n';

    // O_EXCL with the mode given at creation: the key is never readable by
    // others, not even for a moment, and a concurrent starter loses the race
    // cleanly and reads the winner's key.
    const QByteArray native = QFile::encodeName(path);
    const int fd = ::open(native.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            return load(path);
        return fileError(u"create"_s, path);
    }
    qsizetype written = 0;
    while (written < content.size()) {
        const ssize_t n =
            ::write(fd, content.constData() + written, size_t(content.size() - written));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const ApiError error = fileError(u"write"_s, path);
            ::close(fd);
            ::unlink(native.constData());
            return error;
        }
        written += n;
    }
    // A key lost in a crash would sign everyone out; make it durable first.
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced) {
        const ApiError error = fileError(u"sync"_s, path);
        ::unlink(native.constData());
        return error;
    }
    return Loaded { std::move(random).value(), true };
}

} // namespace parlance
