#include "benchprocesses.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QTcpServer>
#include <QThread>

#include <array>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <signal.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace parlance::bench {

namespace {

std::atomic<bool> g_interrupted { false };
std::array<std::atomic<qint64>, 16> g_children {};

extern "C" void onInterrupt(int)
{
    g_interrupted.store(true);
    // kill() is async-signal-safe; the bench's own code then cleans up.
    for (auto &pid : g_children) {
        const qint64 p = pid.load();
        if (p > 0)
            ::kill(pid_t(p), SIGTERM);
    }
}

} // namespace

void installInterruptHandler()
{
    struct sigaction action
    {
    };
    action.sa_handler = onInterrupt;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
}

bool interrupted()
{
    return g_interrupted.load();
}

void registerChild(qint64 pid)
{
    for (auto &slot : g_children) {
        qint64 empty = 0;
        if (slot.compare_exchange_strong(empty, pid))
            return;
    }
}

void unregisterChild(qint64 pid)
{
    for (auto &slot : g_children) {
        qint64 expected = pid;
        if (slot.compare_exchange_strong(expected, 0))
            return;
    }
}

quint16 freeTcpPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    return server.serverPort();
}

double processCpuSeconds(qint64 pid)
{
    QFile stat(u"/proc/%1/stat"_s.arg(pid));
    if (pid <= 0 || !stat.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray line = stat.readAll();
    // Fields after the ")" that ends the command name: state is field 3,
    // utime 14, stime 15.
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return -1;
    const double ticks = double(fields[11].toLongLong() + fields[12].toLongLong());
    return ticks / double(::sysconf(_SC_CLK_TCK));
}

QString loadAverage()
{
    QFile file(u"/proc/loadavg"_s);
    if (!file.open(QIODevice::ReadOnly))
        return u"?"_s;
    const QList<QByteArray> fields = file.readAll().split(' ');
    return QString::fromLatin1(fields.mid(0, 3).join(' '));
}

// ---------------------------------------------------------------------------

ChildProcess::ChildProcess()
    : m_process(std::make_unique<QProcess>())
{ }

ChildProcess::~ChildProcess()
{
    if (m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(5'000);
    }
    forget();
}

void ChildProcess::forget()
{
    if (m_pid > 0)
        unregisterChild(m_pid);
    m_pid = 0;
}

bool ChildProcess::start(const QString &program, const QStringList &args,
                         const QProcessEnvironment &env)
{
    if (interrupted())
        return false;
    m_stdout.clear();
    m_stderr.clear();
    m_process->setProcessEnvironment(env);
    m_process->start(program, args);
    if (!m_process->waitForStarted(10'000))
        return false;
    m_pid = m_process->processId();
    registerChild(m_pid);
    return true;
}

bool ChildProcess::finish(int timeoutMs)
{
    const bool done = m_process->waitForFinished(timeoutMs);
    if (!done) {
        m_process->kill();
        m_process->waitForFinished(5'000);
    }
    m_stdout += m_process->readAllStandardOutput();
    m_stderr += m_process->readAllStandardError();
    forget();
    return done && m_process->exitStatus() == QProcess::NormalExit;
}

int ChildProcess::stop(int graceMs)
{
    if (m_process->state() == QProcess::NotRunning) {
        forget();
        return m_process->exitCode();
    }
    m_process->terminate();
    if (!m_process->waitForFinished(graceMs)) {
        m_process->kill();
        m_process->waitForFinished(5'000);
        forget();
        return -1;
    }
    forget();
    return m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
}

QString ChildProcess::output()
{
    m_stdout += m_process->readAllStandardOutput();
    return QString::fromUtf8(m_stdout);
}

QString ChildProcess::errorOutput()
{
    m_stderr += m_process->readAllStandardError();
    return QString::fromUtf8(m_stderr);
}

// ---------------------------------------------------------------------------

PostgresFixture::PostgresFixture(QString scriptPath)
    : m_script(std::move(scriptPath))
{ }

PostgresFixture::~PostgresFixture()
{
    stop();
}

bool PostgresFixture::runScript(const QString &action, QString *output)
{
    // Not a ChildProcess: pg_ctl must be allowed to finish even after an
    // interrupt, or the server would stay behind.
    QProcess script;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"PARLANCE_PG_FSYNC"_s, u"on"_s);
    script.setProcessEnvironment(env);
    script.setProcessChannelMode(QProcess::MergedChannels);
    script.start(u"sh"_s, { m_script, action, m_dir, QString::number(m_port) });
    const bool finished = script.waitForFinished(120'000);
    *output = QString::fromUtf8(script.readAll()).trimmed();
    return finished && script.exitStatus() == QProcess::NormalExit && script.exitCode() == 0;
}

bool PostgresFixture::start()
{
    if (!QFile::exists(m_script)) {
        m_error = u"no pg-fixture.sh at "_s + m_script;
        return false;
    }
    m_port = freeTcpPort();
    // Outside any QTemporaryDir: the script makes and deletes the directory,
    // and as root hands it to the postgres user.
    m_dir = QDir::temp().filePath(
        u"parlance-bench-pg-%1-%2"_s.arg(QCoreApplication::applicationPid()).arg(m_port));
    m_running = true; // A half-started server is stopped too.
    QString output;
    if (!runScript(u"start"_s, &output)) {
        m_error = u"pg-fixture.sh start failed: "_s + output;
        stop();
        return false;
    }
    return true;
}

void PostgresFixture::stop()
{
    if (!m_running)
        return;
    m_running = false;
    QString output;
    if (!runScript(u"stop"_s, &output))
        std::fprintf(stderr, "bench: pg-fixture.sh stop failed: %s\n", qUtf8Printable(output));
}

QString PostgresFixture::url() const
{
    return u"postgresql://parlance@127.0.0.1:%1/parlance"_s.arg(m_port);
}

// ---------------------------------------------------------------------------

bool ServerProcess::start(const QString &binary, const QStringList &args,
                          const QProcessEnvironment &env, const QString &stderrPath)
{
    // A file, not a pipe nobody reads during the run: a full pipe would
    // stall the server.
    m_child.process().setStandardErrorFile(stderrPath);
    if (!QFile::exists(binary)) {
        m_error = u"no parlanced at "_s + binary;
        return false;
    }
    if (!m_child.start(binary, args, env)) {
        m_error = u"parlanced did not start: "_s + m_child.process().errorString();
        return false;
    }
    static const QRegularExpression listening(u"listening on [^\\s]*:(\\d+)"_s);
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 60'000 && !interrupted()) {
        const auto match = listening.match(m_child.output());
        if (match.hasMatch()) {
            m_port = quint16(match.captured(1).toUInt());
            return true;
        }
        if (m_child.process().state() == QProcess::NotRunning)
            break;
        m_child.process().waitForReadyRead(200);
    }
    QFile log(stderrPath);
    const QString errors =
        log.open(QIODevice::ReadOnly) ? QString::fromUtf8(log.readAll()) : QString();
    m_error = u"parlanced printed no \"listening on\" line; stderr: "_s + errors;
    m_child.stop();
    return false;
}

} // namespace parlance::bench
