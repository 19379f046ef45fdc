#include "common/workerpool.h"

#include <QThread>

namespace parlance {

WorkerPool::WorkerPool(Settings settings)
    : m_settings(settings)
{
    if (m_settings.threads < 1)
        m_settings.threads = 1;
}

WorkerPool::~WorkerPool()
{
    stop();
}

void WorkerPool::setThreadExitHook(std::function<void()> hook)
{
    m_exitHook = std::move(hook);
}

void WorkerPool::start()
{
    if (!m_threads.isEmpty())
        return;
    for (int i = 0; i < m_settings.threads; ++i) {
        QThread *thread = QThread::create([this] { run(); });
        thread->setObjectName(QStringLiteral("worker-%1").arg(i));
        m_threads.append(thread);
        thread->start();
    }
}

void WorkerPool::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    for (QThread *thread : std::as_const(m_threads)) {
        thread->wait();
        delete thread;
    }
    m_threads.clear();
}

bool WorkerPool::submit(std::function<void()> job)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping || qsizetype(m_queue.size()) >= m_settings.maxQueued)
            return false;
        m_queue.push_back(std::move(job));
    }
    m_wake.notify_one();
    return true;
}

qsizetype WorkerPool::queuedJobs() const
{
    std::lock_guard lock(m_mutex);
    return qsizetype(m_queue.size());
}

bool WorkerPool::isWorkerThread() const
{
    return m_threads.contains(QThread::currentThread());
}

void WorkerPool::run()
{
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            // Drain what was accepted before stopping: those requests are in
            // flight and their clients are waiting for an answer.
            if (m_queue.empty())
                break;
            job = std::move(m_queue.front());
            m_queue.pop_front();
        }
        job();
    }
    if (m_exitHook)
        m_exitHook();
}

} // namespace parlance
