#include "config/serverconfig.h"

#include "contract/errorcodes.h"

#include <QDir>
#include <QFileInfo>
#include <QHostAddress>
#include <QThread>

using namespace Qt::StringLiterals;

namespace parlance {

namespace {
Status invalid(const QString &message)
{
    return ApiError { QString(errc::InvalidField), message, {} };
}
} // namespace

void ServerConfig::resolveDefaults()
{
    const int cores = std::max(1, QThread::idealThreadCount());
    if (threads <= 0)
        threads = cores;
    if (workers <= 0)
        workers = std::max(2, cores);
    if (databaseUrl.isEmpty())
        // Absolute, because storage resolves relative sqlite: paths against the
        // data dir (sqlite:parlance.db means <data-dir>/parlance.db).
        databaseUrl = u"sqlite:"_s + QDir(dataDir).absoluteFilePath(u"parlance.db"_s);
}

QString ServerConfig::databasePath() const
{
    return databaseUrl.startsWith(u"sqlite:") ? databaseUrl.mid(7) : QString();
}

Status ServerConfig::validate() const
{
    QHostAddress address;
    if (listenHost != u"localhost" && !address.setAddress(listenHost))
        return invalid(u"--listen: \"%1\" is not an IP address (or localhost)."_s.arg(listenHost));
    if (tlsCertFile.isEmpty() != tlsKeyFile.isEmpty())
        return invalid(u"--tls-cert and --tls-key must be given together."_s);
    for (const QString &file : { tlsCertFile, tlsKeyFile }) {
        if (!file.isEmpty() && !QFileInfo(file).isReadable())
            return invalid(u"TLS file \"%1\" does not exist or is not readable."_s.arg(file));
    }
    if (dataDir.isEmpty())
        return invalid(u"--data-dir must not be empty."_s);
    if (!databaseUrl.startsWith(u"sqlite:") && !databaseUrl.startsWith(u"postgresql://")
        && !databaseUrl.startsWith(u"postgres://"))
        return invalid(u"--database: expected sqlite:PATH or postgresql://..., got \"%1\"."_s.arg(
            databaseUrl.section(u'@', -1)));
    if (databaseUrl.startsWith(u"sqlite:") && databasePath().isEmpty())
        return invalid(u"--database: sqlite: needs a file path."_s);
    if (auto status = argon2.validate(); !status)
        return invalid(u"Argon2 parameters: "_s + status.error().message);
    return Done {};
}

} // namespace parlance
