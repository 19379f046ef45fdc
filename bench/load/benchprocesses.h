#pragma once

#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <memory>

namespace parlance::bench {

// SIGINT/SIGTERM during a run: every child registered here gets SIGTERM and
// interrupted() turns true, so the bench falls through to its normal cleanup
// (stopping the server and PostgreSQL) instead of dying with them running.
void installInterruptHandler();
[[nodiscard]] bool interrupted();
void registerChild(qint64 pid);
void unregisterChild(qint64 pid);

// A QProcess whose pid is registered for the interrupt handler while it runs.
class ChildProcess
{
public:
    ChildProcess();
    ~ChildProcess();
    ChildProcess(const ChildProcess &) = delete;
    ChildProcess &operator=(const ChildProcess &) = delete;

    [[nodiscard]] bool start(const QString &program, const QStringList &args,
                             const QProcessEnvironment &env);
    // Waits; kills the child when it takes longer. False on timeout or crash.
    bool finish(int timeoutMs);
    // SIGTERM, then SIGKILL after `graceMs`. Returns the exit code or -1.
    int stop(int graceMs = 15'000);
    [[nodiscard]] QProcess &process() { return *m_process; }
    [[nodiscard]] QString output();
    [[nodiscard]] QString errorOutput();

private:
    void forget();

    std::unique_ptr<QProcess> m_process;
    QByteArray m_stdout;
    QByteArray m_stderr;
    qint64 m_pid = 0;
};

// A throwaway PostgreSQL from tests/support/postgres/pg-fixture.sh (copied
// next to the bench), fsync ON so commits cost what they cost in production.
// Always stopped: by stop() or by the destructor.
class PostgresFixture
{
public:
    explicit PostgresFixture(QString scriptPath);
    ~PostgresFixture();
    PostgresFixture(const PostgresFixture &) = delete;
    PostgresFixture &operator=(const PostgresFixture &) = delete;

    [[nodiscard]] bool start();
    void stop();
    [[nodiscard]] QString url() const;
    [[nodiscard]] QString errorText() const { return m_error; }

private:
    bool runScript(const QString &action, QString *output);

    QString m_script;
    QString m_dir;
    quint16 m_port = 0;
    bool m_running = false;
    QString m_error;
};

// The real parlanced, started on 127.0.0.1:0; the port comes from its
// "listening on HOST:PORT" line.
class ServerProcess
{
public:
    [[nodiscard]] bool start(const QString &binary, const QStringList &args,
                             const QProcessEnvironment &env, const QString &stderrPath);
    int stop() { return m_child.stop(); }
    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] qint64 pid() { return m_child.process().processId(); }
    [[nodiscard]] QString errorText() const { return m_error; }

private:
    ChildProcess m_child;
    quint16 m_port = 0;
    QString m_error;
};

[[nodiscard]] quint16 freeTcpPort();
// User + system CPU seconds a process has used so far (/proc/PID/stat), -1
// if unknown. CPU per request is steadier than requests/s on a machine whose
// cores are shared with other work.
[[nodiscard]] double processCpuSeconds(qint64 pid);
// /proc/loadavg's first three fields, for the record.
[[nodiscard]] QString loadAverage();

} // namespace parlance::bench
