#pragma once

#include "maintenance/maintenancetasks.h"

#include <QObject>
#include <QTimer>

#include <atomic>
#include <chrono>
#include <memory>

namespace parlance {

class WorkerPool;

// Runs the maintenance tasks every `interval` on the worker pool (never on
// the event loop: a purge can take seconds on a large database). The first
// run comes `firstDelay` after start(), so a server that restarts often still
// gets its housekeeping done, but not in the middle of its start-up. A run
// still going when the next is due is not doubled: that tick is skipped.
class MaintenanceScheduler : public QObject
{
    Q_OBJECT

public:
    struct Settings
    {
        std::chrono::milliseconds interval { std::chrono::hours(1) };
        std::chrono::milliseconds firstDelay { std::chrono::minutes(1) };
    };

    MaintenanceScheduler(WorkerPool &workers, QList<MaintenanceTask> tasks, Settings settings,
                         QObject *parent = nullptr);

    // Timers live on the calling thread. An interval of 0 means never.
    void start();
    void stop();

    [[nodiscard]] int runsStarted() const { return m_runsStarted; }

private:
    void runNow();

    WorkerPool &m_workers;
    // Shared with the job in flight, which may outlive a stopped scheduler.
    std::shared_ptr<const QList<MaintenanceTask>> m_tasks;
    std::shared_ptr<std::atomic<bool>> m_running;
    Settings m_settings;
    QTimer m_timer;
    int m_runsStarted = 0;
};

} // namespace parlance
