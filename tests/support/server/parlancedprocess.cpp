#include "parlancedprocess.h"

#include "testdatabase.h"

#include <QDeadlineTimer>
#include <QRegularExpression>
#include <QThread>

#include <csignal>

using namespace Qt::StringLiterals;

namespace parlance::test {

ParlancedProcess::ParlancedProcess(QProcessEnvironment env)
    : m_env(std::move(env))
{
    m_env.insert(u"QT_NO_GLIB"_s, u"1"_s);
    if (!m_env.contains(u"PARLANCE_JWT_KEY"_s))
        m_env.insert(u"PARLANCE_JWT_KEY"_s, QString::fromLatin1(TestJwtKey));
}

ParlancedProcess::~ParlancedProcess()
{
    if (isRunning()) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
    // m_database drops the PostgreSQL database now that nobody uses it.
}

QString ParlancedProcess::databaseKind()
{
    return TestDatabase::requestedUrl().startsWith(u"postgres"_s) ? u"postgresql"_s : u"sqlite"_s;
}

bool ParlancedProcess::prepareDatabase()
{
    if (m_database || databaseKind() != u"postgresql")
        return true;
    // Empty: parlanced runs the migrations itself, as in production.
    m_database = TestDatabase::create(TestDatabase::Schema::Empty);
    if (!m_database) {
        m_error = u"cannot create a PostgreSQL test database (is the postgres fixture up?)"_s;
        return false;
    }
    m_databaseUrl = m_database->urlText();
    return true;
}

QStringList ParlancedProcess::commonArgs() const
{
    QStringList args { u"--data-dir"_s, m_dataDir.path() };
    if (!m_databaseUrl.isEmpty())
        args << u"--database"_s << m_databaseUrl;
    return args;
}

CommandResult ParlancedProcess::runCommand(const QStringList &args, const QByteArray &stdinData)
{
    CommandResult result;
    if (!prepareDatabase()) {
        result.stderrText = m_error;
        return result;
    }
    QProcess process;
    process.setProcessEnvironment(m_env);
    process.start(binaryPath(), args + commonArgs());
    if (!process.waitForStarted(10'000)) {
        result.stderrText = process.errorString();
        return result;
    }
    process.write(stdinData);
    process.closeWriteChannel();
    if (!process.waitForFinished(60'000)) {
        process.kill();
        process.waitForFinished(5000);
    } else if (process.exitStatus() == QProcess::NormalExit) {
        result.exitCode = process.exitCode();
    }
    result.stdoutText = QString::fromUtf8(process.readAllStandardOutput());
    result.stderrText = QString::fromUtf8(process.readAllStandardError());
    return result;
}

void ParlancedProcess::kill()
{
    if (!isRunning())
        return;
    m_process->kill();
    m_process->waitForFinished(10'000);
    drain();
}

QString ParlancedProcess::binaryPath()
{
    return QString::fromUtf8(PARLANCED_PATH);
}

bool ParlancedProcess::start(const QStringList &extraArgs)
{
    if (!prepareDatabase())
        return false;
    m_process = std::make_unique<QProcess>();
    m_process->setProcessEnvironment(m_env);
    // A restart reads fresh output: the old port line must not match again.
    m_stdout.clear();
    m_stderr.clear();
    m_port = 0;
    QStringList args { u"--listen"_s, u"127.0.0.1:0"_s };
    args += commonArgs();
    args += extraArgs;
    m_process->start(binaryPath(), args);
    if (!m_process->waitForStarted(10'000)) {
        m_error = u"cannot start %1: %2"_s.arg(binaryPath(), m_process->errorString());
        return false;
    }
    static const QRegularExpression line(u"listening on (\\S+):(\\d+)"_s);
    QDeadlineTimer deadline(20'000);
    while (!deadline.hasExpired()) {
        m_process->waitForReadyRead(100);
        drain();
        const auto match = line.match(QString::fromUtf8(m_stdout));
        if (match.hasMatch()) {
            m_port = quint16(match.captured(2).toUInt());
            return true;
        }
        if (m_process->state() == QProcess::NotRunning)
            break;
    }
    m_error = u"parlanced did not report its port; stderr:\n"_s + QString::fromUtf8(m_stderr);
    m_process->kill();
    m_process->waitForFinished(5000);
    return false;
}

void ParlancedProcess::drain()
{
    if (!m_process)
        return;
    m_stdout += m_process->readAllStandardOutput();
    m_stderr += m_process->readAllStandardError();
}

void ParlancedProcess::terminate()
{
    if (isRunning())
        ::kill(pid_t(m_process->processId()), SIGTERM);
}

int ParlancedProcess::waitForExit(int timeoutMs)
{
    if (!m_process)
        return -1;
    if (m_process->state() != QProcess::NotRunning && !m_process->waitForFinished(timeoutMs))
        return -1;
    drain();
    return m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
}

int ParlancedProcess::stop()
{
    if (!m_process)
        return -1;
    terminate();
    const int code = waitForExit(10'000);
    if (isRunning()) {
        m_process->kill();
        m_process->waitForFinished(5000);
        return -1;
    }
    return code;
}

QUrl ParlancedProcess::baseUrl() const
{
    return QUrl(u"http://127.0.0.1:%1"_s.arg(m_port));
}

bool ParlancedProcess::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

QString ParlancedProcess::stdoutText()
{
    drain();
    return QString::fromUtf8(m_stdout);
}

QString ParlancedProcess::stderrText()
{
    drain();
    return QString::fromUtf8(m_stderr);
}

} // namespace parlance::test
