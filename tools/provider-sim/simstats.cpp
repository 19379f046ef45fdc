#include "simstats.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace parlance::sim {

namespace {

QJsonObject toObject(const QMap<QString, int> &map)
{
    QJsonObject object;
    for (auto it = map.begin(); it != map.end(); ++it)
        object.insert(it.key(), it.value());
    return object;
}

QString endName(SimStats::StreamEnd how)
{
    switch (how) {
    case SimStats::StreamEnd::Completed:
        return u"completed"_s;
    case SimStats::StreamEnd::ErrorEvent:
        return u"error_event"_s;
    case SimStats::StreamEnd::Reset:
        return u"reset"_s;
    case SimStats::StreamEnd::ClientLeft:
        return u"client_left"_s;
    }
    return {};
}

} // namespace

void SimStats::countRequest(const QString &deployment, const QString &path)
{
    ++m_requestsTotal;
    Counters &c = m_deployments[deployment];
    ++c.requests;
    ++c.paths[path];
}

void SimStats::countStatus(const QString &deployment, int status)
{
    ++m_deployments[deployment].statuses[QString::number(status)];
}

void SimStats::countFault(const QString &deployment, FaultKind kind)
{
    Counters &c = m_deployments[deployment];
    ++c.faults[Behaviour::faultName(kind)];
    ++c.faultsTotal;
}

int SimStats::faultsInjected(const QString &deployment) const
{
    return m_deployments.value(deployment).faultsTotal;
}

void SimStats::streamStarted(const QString &deployment)
{
    Counters &c = m_deployments[deployment];
    ++c.streamsStarted;
    ++c.activeStreams;
}

void SimStats::streamEnded(const QString &deployment, StreamEnd how)
{
    Counters &c = m_deployments[deployment];
    c.activeStreams = qMax(0, c.activeStreams - 1);
    ++c.streamEnds[endName(how)];
}

void SimStats::setLastRequest(const QString &deployment, const QJsonObject &summary)
{
    m_deployments[deployment].lastRequest = summary;
}

QJsonObject SimStats::toJson() const
{
    QJsonObject deployments;
    int active = 0;
    for (auto it = m_deployments.begin(); it != m_deployments.end(); ++it) {
        const Counters &c = it.value();
        active += c.activeStreams;
        deployments.insert(it.key(),
                           QJsonObject { { u"requests"_s, c.requests },
                                         { u"paths"_s, toObject(c.paths) },
                                         { u"statuses"_s, toObject(c.statuses) },
                                         { u"faults"_s, toObject(c.faults) },
                                         { u"streams_started"_s, c.streamsStarted },
                                         { u"stream_ends"_s, toObject(c.streamEnds) },
                                         { u"active_streams"_s, c.activeStreams },
                                         { u"last_request"_s, c.lastRequest } });
    }
    return { { u"requests_total"_s, m_requestsTotal },
             { u"active_streams"_s, active },
             { u"deployments"_s, deployments } };
}

void SimStats::reset()
{
    QHash<QString, Counters> fresh;
    for (auto it = m_deployments.begin(); it != m_deployments.end(); ++it) {
        if (it.value().activeStreams > 0)
            fresh[it.key()].activeStreams = it.value().activeStreams;
    }
    m_deployments = fresh;
    m_requestsTotal = 0;
}

} // namespace parlance::sim
