#pragma once

#include "behaviour.h"

#include <QHash>
#include <QString>

class QJsonObject;

namespace parlance::sim {

// The simulator's configuration: deployments (fake upstreams) and named
// scripts. Without a file there is one deployment, "default", that echoes.
class SimConfig
{
public:
    SimConfig();

    // Reads a JSON config file (format in docs/provider-sim.md). Strict: an
    // unknown key or a bad value is an error, so a typo in a test's config
    // fails loudly instead of silently simulating something else.
    [[nodiscard]] bool loadFile(const QString &path, QString *error);
    [[nodiscard]] bool loadJson(const QJsonObject &root, const QString &baseDir, QString *error);

    [[nodiscard]] const Deployment *deployment(const QString &name) const;
    [[nodiscard]] QStringList deploymentNames() const;
    // Absolute path of a named script, or empty when there is no such script.
    [[nodiscard]] QString scriptPath(const QString &name) const;
    // Text of a named script (read once, then cached).
    [[nodiscard]] bool scriptText(const QString &name, QString *text, QString *error) const;
    [[nodiscard]] QString listen() const { return m_listen; }

private:
    QString m_listen;
    QHash<QString, Deployment> m_deployments;
    QHash<QString, QString> m_scripts;
    mutable QHash<QString, QString> m_scriptCache;
};

} // namespace parlance::sim
