#pragma once

#include <functional>
#include <mutex>
#include <utility>

namespace parlance {

// A new message's answer is launched before its user message is stored, so
// the provider request does not wait for that write (docs/streaming.md,
// "Time to first token"). The answer must still be stored after the user
// message it answers, and never if that message could not be stored: the
// generation hands its "store the answer" job to the gate, which runs it when
// the user message is stored, or drops it when storing failed. Thread-safe.
class TurnGate
{
public:
    enum class State { Pending, Stored, Failed };

    // Generation side. Stored: the user message is there, run `job` yourself
    // (nothing kept). Pending: kept; stored() runs it on the writer's thread
    // (a worker). Failed: the user message never will be; `job` is dropped.
    [[nodiscard]] State runWhenStored(std::function<void()> job);

    // Writer side, once: the user message is stored (runs a kept job here,
    // outside the lock) or could not be (drops it).
    void stored();
    void failed();

    [[nodiscard]] State state() const;

private:
    mutable std::mutex m_mutex;
    State m_state = State::Pending;
    std::function<void()> m_job;
};

} // namespace parlance
