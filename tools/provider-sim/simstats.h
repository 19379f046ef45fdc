#pragma once

#include "behaviour.h"

#include <QHash>
#include <QJsonObject>
#include <QMap>
#include <QString>

namespace parlance::sim {

// Counters behind GET /sim/stats, so a test can assert what reached which
// fake upstream (for instance that a failover really hit the second one).
class SimStats
{
public:
    enum class StreamEnd { Completed, ErrorEvent, Reset, ClientLeft };

    void countRequest(const QString &deployment, const QString &path);
    void countStatus(const QString &deployment, int status);
    void countFault(const QString &deployment, FaultKind kind);
    [[nodiscard]] int faultsInjected(const QString &deployment) const;
    void streamStarted(const QString &deployment);
    void streamEnded(const QString &deployment, StreamEnd how);
    void setLastRequest(const QString &deployment, const QJsonObject &summary);

    [[nodiscard]] QJsonObject toJson() const;
    // Zeroes the counters; streams still running keep counting as active.
    void reset();

private:
    struct Counters
    {
        int requests = 0;
        QMap<QString, int> paths;
        QMap<QString, int> statuses;
        QMap<QString, int> faults;
        int faultsTotal = 0;
        int streamsStarted = 0;
        QMap<QString, int> streamEnds;
        int activeStreams = 0;
        QJsonObject lastRequest;
    };
    QHash<QString, Counters> m_deployments;
    int m_requestsTotal = 0;
};

} // namespace parlance::sim
