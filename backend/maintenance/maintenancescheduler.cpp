#include "maintenance/maintenancescheduler.h"

#include "common/workerpool.h"
#include "maintenance/maintenancelog.h"

namespace parlance {

MaintenanceScheduler::MaintenanceScheduler(WorkerPool &workers, QList<MaintenanceTask> tasks,
                                           Settings settings, QObject *parent)
    : QObject(parent)
    , m_workers(workers)
    , m_tasks(std::make_shared<const QList<MaintenanceTask>>(std::move(tasks)))
    , m_running(std::make_shared<std::atomic<bool>>(false))
    , m_settings(settings)
{
    m_timer.setTimerType(Qt::VeryCoarseTimer);
    connect(&m_timer, &QTimer::timeout, this, &MaintenanceScheduler::runNow);
}

void MaintenanceScheduler::start()
{
    if (m_settings.interval.count() <= 0)
        return;
    m_timer.setSingleShot(true);
    m_timer.start(std::min(m_settings.firstDelay, m_settings.interval));
}

void MaintenanceScheduler::stop()
{
    m_timer.stop();
}

void MaintenanceScheduler::runNow()
{
    if (m_timer.isSingleShot()) {
        m_timer.setSingleShot(false);
        m_timer.start(m_settings.interval);
    }
    if (m_running->exchange(true)) {
        qCInfo(lcMaintenance) << "maintenance: previous run still going; skipped";
        return;
    }
    ++m_runsStarted;
    const bool queued = m_workers.submit([tasks = m_tasks, running = m_running] {
        (void)runMaintenanceTasks(*tasks);
        running->store(false);
    });
    if (!queued) {
        // Queue full or stopping: try again at the next tick.
        m_running->store(false);
        qCWarning(lcMaintenance) << "maintenance: worker queue full; run skipped";
    }
}

} // namespace parlance
