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

// The real parlanced binary as a child process: a fresh temporary data dir,
// `--listen 127.0.0.1:0`, the port read from its "listening on HOST:PORT"
// line. Always cleaned up: the destructor kills a child that is still
// running, so a failing QVERIFY never leaks a server.
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
    // SIGTERM, wait up to 10 s, then SIGKILL. Returns the exit code
    // (-1 if it had to be killed or crashed).
    int stop();
    // Sends SIGTERM without waiting (for shutdown tests).
    void terminate();
    // Waits for the child to end; the exit code, or -1.
    int waitForExit(int timeoutMs = 10'000);

    [[nodiscard]] QUrl baseUrl() const;
    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] QString dataDir() const { return m_dataDir.path(); }
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

    QProcessEnvironment m_env;
    QTemporaryDir m_dataDir;
    std::unique_ptr<QProcess> m_process;
    QByteArray m_stdout;
    QByteArray m_stderr;
    quint16 m_port = 0;
    QString m_error;
};

} // namespace parlance::test
