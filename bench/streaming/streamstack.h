#pragma once

#include "../load/benchprocesses.h"
#include "streamseed.h"

#include <QTemporaryDir>

#include <memory>

namespace parlance::bench {

// The simulator and parlanced (release builds, found relative to the bench)
// on ephemeral ports, with users and conversations seeded before parlanced
// starts. Both are stopped by the destructor.
class StreamStack
{
public:
    ~StreamStack();
    [[nodiscard]] bool start(const QString &benchDir, int conversations, bool withServer = true);
    void stopServer();
    [[nodiscard]] QString errorText() const { return m_error; }
    [[nodiscard]] quint16 simPort() const { return m_sim.port(); }
    [[nodiscard]] quint16 serverPort() const { return m_server.port(); }
    [[nodiscard]] qint64 serverPid() { return m_server.pid(); }
    [[nodiscard]] qint64 simPid() { return m_sim.pid(); }
    [[nodiscard]] QList<SeededConversation> &conversations() { return m_conversations; }

private:
    std::unique_ptr<QTemporaryDir> m_work;
    ServerProcess m_sim;
    ServerProcess m_server;
    bool m_serverUp = false;
    bool m_simUp = false;
    QList<SeededConversation> m_conversations;
    QString m_error;
};

// Raises RLIMIT_NOFILE (soft and, as root, hard) to `wanted`; children
// inherit it. Returns the soft limit in force afterwards.
qint64 raiseFileLimit(qint64 wanted);
// VmRSS of a process in bytes (/proc/PID/status), -1 if unknown.
[[nodiscard]] qint64 residentBytes(qint64 pid);

} // namespace parlance::bench
