#include "simprocess.h"

#include <QDeadlineTimer>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

SimProcess::~SimProcess()
{
    stop();
}

QString SimProcess::baseUrl() const
{
    return u"http://127.0.0.1:%1"_s.arg(m_port);
}

bool SimProcess::start(const QStringList &arguments)
{
    m_process.setProgram(QString::fromUtf8(PARLANCE_PROVIDER_SIM_BINARY));
    m_process.setArguments(QStringList { u"--listen"_s, u"127.0.0.1:0"_s } + arguments);
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    m_process.start();
    if (!m_process.waitForStarted(10000)) {
        m_error = m_process.errorString();
        return false;
    }
    static const QRegularExpression line(u"^listening on [^\\s]+:(\\d+)$"_s,
                                         QRegularExpression::MultilineOption);
    QByteArray output;
    const QDeadlineTimer deadline(15000);
    while (!deadline.hasExpired()) {
        if (m_process.state() != QProcess::Running) {
            m_error = u"simulator exited: "_s + QString::fromUtf8(m_process.readAllStandardError());
            return false;
        }
        m_process.waitForReadyRead(100);
        output += m_process.readAllStandardOutput();
        const QRegularExpressionMatch match = line.match(QString::fromUtf8(output));
        if (match.hasMatch()) {
            m_port = static_cast<quint16>(match.captured(1).toUInt());
            return m_port != 0;
        }
    }
    m_error = u"no 'listening on' line within 15 s"_s;
    return false;
}

void SimProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.kill();
    m_process.waitForFinished(5000);
}

int SimProcess::runToExit(const QStringList &arguments, QByteArray *output)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QString::fromUtf8(PARLANCE_PROVIDER_SIM_BINARY), arguments);
    if (!process.waitForFinished(15000)) {
        process.kill();
        process.waitForFinished(5000);
        return -1;
    }
    *output = process.readAll();
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}
