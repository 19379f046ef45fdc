#pragma once

#include <QList>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>

QT_BEGIN_NAMESPACE
class QThread;
QT_END_NAMESPACE

namespace parlance {

// A small fixed set of threads that run blocking work (database queries,
// Argon2, PDF text) so event-loop threads never wait. Jobs come from one shared
// queue, so a slow job occupies one worker and never holds up the jobs queued
// behind it while another worker is free. Each worker is a QThread, so
// per-thread resources keyed on QThread::currentThread() (one database
// connection per thread) work unchanged.
//
// The queue is bounded: when it is full, submit() refuses the job and the
// caller answers 503 `overloaded` instead of queueing without limit.
class WorkerPool
{
public:
    struct Settings
    {
        int threads = 2;
        qsizetype maxQueued = 1024;
    };

    explicit WorkerPool(Settings settings);
    ~WorkerPool(); // stop()
    WorkerPool(const WorkerPool &) = delete;
    WorkerPool &operator=(const WorkerPool &) = delete;

    // Runs on each worker thread just before it ends, e.g. to close that
    // thread's database connection. Set before start().
    void setThreadExitHook(std::function<void()> hook);

    void start();
    // Refuses new jobs, runs the ones already queued, joins the threads.
    void stop();

    // false when the queue is full or the pool is stopping: the job is dropped.
    [[nodiscard]] bool submit(std::function<void()> job);

    [[nodiscard]] int threadCount() const { return m_settings.threads; }
    [[nodiscard]] qsizetype queuedJobs() const;
    // True on one of this pool's threads: lets code assert where it runs.
    [[nodiscard]] bool isWorkerThread() const;

private:
    void run();

    Settings m_settings;
    std::function<void()> m_exitHook;
    QList<QThread *> m_threads;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::function<void()>> m_queue;
    bool m_stopping = false;
};

} // namespace parlance
