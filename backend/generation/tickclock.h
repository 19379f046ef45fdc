#pragma once

#include <chrono>
#include <functional>

namespace parlance {

// Monotonic milliseconds, injected so tests move time without sleeping. The
// same shape as auth's MonotonicClock (std::function<milliseconds()>), so one
// fake clock serves both; kept here so generation/streaming do not depend on
// auth/.
using TickClock = std::function<std::chrono::milliseconds()>;

[[nodiscard]] inline TickClock systemTickClock()
{
    return [] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now().time_since_epoch());
    };
}

} // namespace parlance
