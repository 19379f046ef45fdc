#include "generation/turngate.h"

namespace parlance {

TurnGate::State TurnGate::runWhenStored(std::function<void()> job)
{
    std::lock_guard guard(m_mutex);
    if (m_state == State::Pending)
        m_job = std::move(job);
    return m_state;
}

void TurnGate::stored()
{
    std::function<void()> job;
    {
        std::lock_guard guard(m_mutex);
        if (m_state != State::Pending)
            return;
        m_state = State::Stored;
        job = std::exchange(m_job, nullptr);
    }
    if (job)
        job();
}

void TurnGate::failed()
{
    std::lock_guard guard(m_mutex);
    if (m_state != State::Pending)
        return;
    m_state = State::Failed;
    m_job = nullptr;
}

TurnGate::State TurnGate::state() const
{
    std::lock_guard guard(m_mutex);
    return m_state;
}

} // namespace parlance
