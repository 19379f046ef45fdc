#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

// Runs parlance-provider-sim on an ephemeral port for one test program and
// kills it when the fixture goes away, whether the test passed or not.
class SimProcess
{
public:
    SimProcess() = default;
    ~SimProcess();
    SimProcess(const SimProcess &) = delete;
    SimProcess &operator=(const SimProcess &) = delete;

    // Starts the simulator with extra arguments (e.g. --config FILE) and
    // waits for its "listening on HOST:PORT" line. False with a reason in
    // errorString() when it did not come up.
    [[nodiscard]] bool start(const QStringList &arguments = {});
    void stop();

    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] QString errorString() const { return m_error; }
    [[nodiscard]] QString baseUrl() const;

    // Runs the binary to completion (for --help and bad configs).
    static int runToExit(const QStringList &arguments, QByteArray *output);

private:
    QProcess m_process;
    quint16 m_port = 0;
    QString m_error;
};
