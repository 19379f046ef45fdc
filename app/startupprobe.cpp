#include "startupprobe.h"

#include <QAbstractItemModel>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QQuickWindow>
#include <QTimer>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

qint64 statusField(const QString &statusPath, QByteArrayView field)
{
    QFile status(statusPath);
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(field.size()).trimmed().split(' ').value(0).toLongLong();
    }
    return 0;
}

QList<qint64> childPids(qint64 pid)
{
    QList<qint64> out;
    const QDir tasks(u"/proc/%1/task"_s.arg(pid));
    for (const QString &task : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile file(tasks.filePath(task + u"/children"_s));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        for (const QByteArray &child : file.readAll().simplified().split(' ')) {
            if (!child.isEmpty())
                out.append(child.toLongLong());
        }
    }
    return out;
}

} // namespace

bool StartupProbe::enabled()
{
    return qEnvironmentVariableIntValue("PARLANCE_STARTUP_PROBE") == 1;
}

StartupProbe::StartupProbe(const QElapsedTimer &sinceMain, QAbstractItemModel *conversations,
                           QObject *parent)
    : QObject(parent)
    , m_sinceMain(sinceMain)
    , m_conversations(conversations)
{ }

void StartupProbe::watch(QQuickWindow *window)
{
    m_window = window;
    connect(window, &QQuickWindow::frameSwapped, this, &StartupProbe::onFrame);
}

void StartupProbe::onFrame()
{
    // The first frame that shows the list; the row count is read on the GUI
    // thread after the swap, so the rows were in the scene graph.
    if (m_done || !m_conversations || m_conversations->rowCount() == 0)
        return;
    m_done = true;
    const qint64 ms = m_sinceMain.elapsed();
    const int rows = m_conversations->rowCount();
    QMetaObject::invokeMethod(
        this,
        [ms, rows] {
            std::printf("startup-probe: first_frame_ms=%lld rows=%d peak_rss_kib=%lld "
                        "tree_rss_kib=%lld\n",
                        static_cast<long long>(ms), rows, static_cast<long long>(peakRssKib()),
                        static_cast<long long>(processTreeRssKib()));
            std::fflush(stdout);
            // Let the WebEngine helpers finish starting, so the tree figure
            // of a second probe is not cut short, then leave.
            QTimer::singleShot(0, qApp, &QCoreApplication::quit);
        },
        Qt::QueuedConnection);
}

qint64 StartupProbe::peakRssKib()
{
    return statusField(u"/proc/self/status"_s, "VmHWM:");
}

qint64 StartupProbe::processTreeRssKib()
{
    qint64 total = 0;
    QList<qint64> pending { QCoreApplication::applicationPid() };
    while (!pending.isEmpty()) {
        const qint64 pid = pending.takeLast();
        total += statusField(u"/proc/%1/status"_s.arg(pid), "VmRSS:");
        pending.append(childPids(pid));
    }
    return total;
}
