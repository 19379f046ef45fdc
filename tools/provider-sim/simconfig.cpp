#include "simconfig.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace parlance::sim {

namespace {

const QString defaultName = u"default"_s;

// A JSON scalar as the text a header or directive would carry, so one parser
// (Behaviour::applySetting) serves all three sources.
bool scalarText(const QJsonValue &value, QString *out)
{
    if (value.isString()) {
        *out = value.toString();
        return true;
    }
    if (value.isDouble()) {
        *out = QString::number(value.toDouble(), 'g', 12);
        return true;
    }
    return false;
}

bool stringList(const QJsonValue &value, QStringList *out)
{
    if (!value.isArray())
        return false;
    out->clear();
    for (const QJsonValue &item : value.toArray()) {
        if (!item.isString() || item.toString().isEmpty())
            return false;
        out->append(item.toString());
    }
    return true;
}

// Applies a deployment object's keys: "keys" and "models" are lists, every
// other key is a behaviour setting.
bool applyDeployment(const QJsonObject &object, Deployment *deployment, QString *error)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString where = u"deployment '%1', key '%2'"_s.arg(deployment->name, it.key());
        if (it.key() == "keys"_L1 || it.key() == "models"_L1) {
            QStringList *target = it.key() == "keys"_L1 ? &deployment->keys : &deployment->models;
            if (!stringList(it.value(), target)) {
                *error = where + u": expected a list of non-empty strings"_s;
                return false;
            }
            continue;
        }
        QString text;
        if (!scalarText(it.value(), &text)) {
            *error = where + u": expected a string or a number"_s;
            return false;
        }
        const QString problem = deployment->behaviour.applySetting(it.key(), text);
        if (!problem.isEmpty()) {
            *error = u"deployment '%1': %2"_s.arg(deployment->name, problem);
            return false;
        }
    }
    return true;
}

} // namespace

SimConfig::SimConfig()
    : m_listen(u"127.0.0.1:8090"_s)
{
    m_deployments.insert(defaultName, Deployment { defaultName, {}, {}, {} });
}

bool SimConfig::loadFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"cannot read config %1: %2"_s.arg(path, file.errorString());
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!doc.isObject()) {
        *error = u"config %1 is not a JSON object: %2"_s.arg(path, parseError.errorString());
        return false;
    }
    return loadJson(doc.object(), QFileInfo(path).absolutePath(), error);
}

bool SimConfig::loadJson(const QJsonObject &root, const QString &baseDir, QString *error)
{
    static const QRegularExpression namePattern(u"^[A-Za-z0-9_-]{1,64}$"_s);
    for (auto it = root.begin(); it != root.end(); ++it) {
        const QString &key = it.key();
        if (key == "listen"_L1) {
            if (!it.value().isString()) {
                *error = u"'listen' must be a string HOST:PORT"_s;
                return false;
            }
            m_listen = it.value().toString();
        } else if (key == "scripts"_L1) {
            if (!it.value().isObject()) {
                *error = u"'scripts' must map names to file paths"_s;
                return false;
            }
            const QJsonObject scripts = it.value().toObject();
            for (auto s = scripts.begin(); s != scripts.end(); ++s) {
                if (!s.value().isString() || !namePattern.match(s.key()).hasMatch()) {
                    *error = u"script '%1': expected a name and a file path"_s.arg(s.key());
                    return false;
                }
                m_scripts.insert(s.key(), QDir(baseDir).absoluteFilePath(s.value().toString()));
            }
        } else if (key != "default"_L1 && key != "deployments"_L1) {
            *error = u"unknown top-level config key '%1'"_s.arg(key);
            return false;
        }
    }

    // The default deployment first: every named deployment starts from it.
    Deployment base { defaultName, {}, {}, {} };
    if (root.contains("default"_L1)) {
        if (!root.value("default"_L1).isObject()) {
            *error = u"'default' must be an object"_s;
            return false;
        }
        if (!applyDeployment(root.value("default"_L1).toObject(), &base, error))
            return false;
    }
    m_deployments.clear();
    m_deployments.insert(defaultName, base);

    const QJsonValue deployments = root.value("deployments"_L1);
    if (!deployments.isUndefined() && !deployments.isObject()) {
        *error = u"'deployments' must map names to objects"_s;
        return false;
    }
    const QJsonObject named = deployments.toObject();
    for (auto it = named.begin(); it != named.end(); ++it) {
        if (!namePattern.match(it.key()).hasMatch() || !it.value().isObject()) {
            *error = u"deployment '%1': names are [A-Za-z0-9_-], values objects"_s.arg(it.key());
            return false;
        }
        Deployment deployment = base;
        deployment.name = it.key();
        if (!applyDeployment(it.value().toObject(), &deployment, error))
            return false;
        m_deployments.insert(deployment.name, deployment);
    }

    // A deployment that names a missing script is a config error now, not a
    // surprise at the first request.
    for (const Deployment &deployment : std::as_const(m_deployments)) {
        const QString &script = deployment.behaviour.script;
        if (!script.isEmpty() && !m_scripts.contains(script)) {
            *error = u"deployment '%1' uses unknown script '%2'"_s.arg(deployment.name, script);
            return false;
        }
    }
    return true;
}

const Deployment *SimConfig::deployment(const QString &name) const
{
    const auto it = m_deployments.constFind(name);
    return it == m_deployments.constEnd() ? nullptr : &it.value();
}

QStringList SimConfig::deploymentNames() const
{
    QStringList names = m_deployments.keys();
    names.sort();
    return names;
}

QString SimConfig::scriptPath(const QString &name) const
{
    return m_scripts.value(name);
}

bool SimConfig::scriptText(const QString &name, QString *text, QString *error) const
{
    const auto cached = m_scriptCache.constFind(name);
    if (cached != m_scriptCache.constEnd()) {
        *text = cached.value();
        return true;
    }
    const QString path = scriptPath(name);
    if (path.isEmpty()) {
        *error = u"unknown script '%1'"_s.arg(name);
        return false;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"cannot read script '%1'"_s.arg(name);
        return false;
    }
    *text = QString::fromUtf8(file.readAll());
    m_scriptCache.insert(name, *text);
    return true;
}

} // namespace parlance::sim
