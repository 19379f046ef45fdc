#pragma once

#include <QByteArray>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

namespace parlance::test {

class TestDatabase;

// What `parlanced <subcommand>` printed and returned (runCommand).
struct CommandResult
{
    int exitCode = -1; // -1: did not start, crashed or timed out
    QString stdoutText;
    QString stderrText;
};

// The real parlanced binary as a child process: a fresh temporary data dir,
// `--listen 127.0.0.1:0`, the port read from its "listening on HOST:PORT"
// line. Always cleaned up: the destructor kills a child that is still
// running, so a failing QVERIFY never leaks a server.
//
// The database follows PARLANCE_TEST_DATABASE_URL, which
// parlance_add_server_test sets: unset or "sqlite:" keeps parlanced's default
// (a file in the data dir); a postgresql:// admin URL makes one fresh,
// uniquely named database per ParlancedProcess at the first start(), kept
// across restarts of the same object and dropped by its destructor.
class ParlancedProcess
{
public:
    // A fixed signing key (base64 of 32 bytes) passed as PARLANCE_JWT_KEY, so
    // tests can mint access tokens themselves.
    static constexpr const char *TestJwtKey = "base64:cGFybGFuY2UtdGVzdC1rZXktMzItYnl0ZXMtbG9uZyE=";

    explicit ParlancedProcess(QProcessEnvironment env = QProcessEnvironment::systemEnvironment());
    ~ParlancedProcess();
    ParlancedProcess(const ParlancedProcess &) = delete;
    ParlancedProcess &operator=(const ParlancedProcess &) = delete;

    // Starts and waits (up to 20 s) for the port line. Extra flags are
    // appended after the defaults, so they override them.
    [[nodiscard]] bool start(const QStringList &extraArgs = {});
    // Runs `parlanced <args>` to completion (up to 60 s) with the same
    // environment, data dir and database as the server, e.g.
    // runCommand({"user", "create", "--email", e, "--admin"}, password + "\n").
    [[nodiscard]] CommandResult runCommand(const QStringList &args,
                                           const QByteArray &stdinData = {});
    // SIGKILL without warning (durability tests); waits for the child to end.
    void kill();
    // SIGTERM, wait up to 10 s, then SIGKILL. Returns the exit code
    // (-1 if it had to be killed or crashed).
    int stop();
    // Sends SIGTERM without waiting (for shutdown tests).
    void terminate();
    // Waits for the child to end; the exit code, or -1.
    int waitForExit(int timeoutMs = 10'000);

    [[nodiscard]] QUrl baseUrl() const;
    [[nodiscard]] quint16 port() const { return m_port; }
    // The running child's process id (0 when not running), e.g. to read
    // /proc/<pid>/status in memory tests.
    [[nodiscard]] qint64 pid() const { return m_process ? m_process->processId() : 0; }
    [[nodiscard]] QString dataDir() const { return m_dataDir.path(); }
    // "postgresql" or "sqlite": which database this run of the suite uses.
    [[nodiscard]] static QString databaseKind();
    // The URL given to parlanced (empty for its SQLite default), so a test can
    // open the same database.
    [[nodiscard]] QString databaseUrl() const { return m_databaseUrl; }
    [[nodiscard]] bool isRunning() const;
    // What the child wrote so far (access log lines are on stdout).
    [[nodiscard]] QString stdoutText();
    [[nodiscard]] QString stderrText();
    // Why start() failed, with the child's stderr.
    [[nodiscard]] QString errorText() const { return m_error; }
    [[nodiscard]] static QString binaryPath();

    QProcessEnvironment &environment() { return m_env; }

private:
    void drain();
    [[nodiscard]] bool prepareDatabase();
    [[nodiscard]] QStringList commonArgs() const;

    QProcessEnvironment m_env;
    QTemporaryDir m_dataDir;
    std::unique_ptr<TestDatabase> m_database;
    QString m_databaseUrl;
    std::unique_ptr<QProcess> m_process;
    QByteArray m_stdout;
    QByteArray m_stderr;
    quint16 m_port = 0;
    QString m_error;
};

} // namespace parlance::test
