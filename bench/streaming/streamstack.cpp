#include "streamstack.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>

#include <sys/resource.h>

using namespace Qt::StringLiterals;

namespace parlance::bench {

qint64 raiseFileLimit(qint64 wanted)
{
    rlimit limit {};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_cur < rlim_t(wanted)) {
        rlimit raised = limit;
        raised.rlim_cur = rlim_t(wanted);
        raised.rlim_max = qMax(limit.rlim_max, rlim_t(wanted));
        if (::setrlimit(RLIMIT_NOFILE, &raised) != 0) {
            // Not root: as far as the hard limit allows.
            raised.rlim_max = limit.rlim_max;
            raised.rlim_cur = limit.rlim_max;
            ::setrlimit(RLIMIT_NOFILE, &raised);
        }
    }
    ::getrlimit(RLIMIT_NOFILE, &limit);
    return qint64(limit.rlim_cur);
}

qint64 residentBytes(qint64 pid)
{
    QFile status(u"/proc/%1/status"_s.arg(pid));
    if (pid <= 0 || !status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong() * 1024;
    }
    return -1;
}

StreamStack::~StreamStack()
{
    stopServer();
    if (m_simUp)
        m_sim.stop();
}

void StreamStack::stopServer()
{
    if (m_serverUp)
        m_server.stop();
    m_serverUp = false;
}

bool StreamStack::start(const QString &benchDir, int conversations, bool withServer)
{
    m_work =
        std::make_unique<QTemporaryDir>(QDir::temp().filePath(u"parlance-streambench-XXXXXX"_s));
    if (!m_work->isValid()) {
        m_error = u"no temporary directory"_s;
        return false;
    }
    const QProcessEnvironment system = QProcessEnvironment::systemEnvironment();
    // PARLANCE_BENCH_BUILD_DIR: take the servers from another build tree.
    const QString buildDir = qEnvironmentVariableIsSet("PARLANCE_BENCH_BUILD_DIR")
        ? qEnvironmentVariable("PARLANCE_BENCH_BUILD_DIR")
        : benchDir + u"/../.."_s;
    const QString simBinary = QDir::cleanPath(buildDir + u"/tools/parlance-provider-sim"_s);
    if (!m_sim.start(simBinary, { u"--listen"_s, u"127.0.0.1:0"_s }, system,
                     m_work->filePath(u"sim.stderr"_s))) {
        m_error = u"simulator: "_s + m_sim.errorText();
        return false;
    }
    m_simUp = true;
    if (!withServer)
        return true;

    const QString dataDir = m_work->filePath(u"data"_s);
    QDir().mkpath(dataDir);
    QByteArray secret;
    for (int i = 0; i < 4; ++i)
        secret += QByteArray::number(QRandomGenerator::system()->generate64(), 16);
    const QString jwtKey = u"base64:"_s + QString::fromLatin1(secret.toBase64());

    QProcessEnvironment env = system;
    env.insert(u"PARLANCE_JWT_KEY"_s, jwtKey);
    const QStringList args { u"serve"_s, u"--listen"_s, u"127.0.0.1:0"_s, u"--data-dir"_s, dataDir,
                             u"--access-log"_s, m_work->filePath(u"access.log"_s),
                             // Tokens must outlive the whole bench.
                             u"--access-token-ttl"_s, u"43200s"_s, u"--max-connections"_s,
                             u"200000"_s, u"--demo-provider"_s,
                             u"http://127.0.0.1:%1"_s.arg(m_sim.port()) };
    const QString parlanced = QDir::cleanPath(buildDir + u"/backend/parlanced"_s);
    if (!m_server.start(parlanced, args, env, m_work->filePath(u"parlanced.stderr"_s))) {
        m_error = m_server.errorText();
        return false;
    }
    m_serverUp = true;
    m_conversations = seedConversations(m_server.port(), 20, conversations, &m_error);
    return !m_conversations.isEmpty();
}

} // namespace parlance::bench
