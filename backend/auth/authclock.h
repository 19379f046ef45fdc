#pragma once

#include <QDateTime>

#include <chrono>
#include <functional>

namespace parlance {

// Clocks are injected so tests can move time without sleeping.

// Wall-clock time in UTC: token timestamps, stored expiry dates.
using WallClock = std::function<QDateTime()>;

[[nodiscard]] inline WallClock systemWallClock()
{
    return [] { return QDateTime::currentDateTimeUtc(); };
}

// Monotonic time for throttling windows; unaffected by the wall clock being
// set back, which would otherwise lift a lockout early.
using MonotonicClock = std::function<std::chrono::milliseconds()>;

[[nodiscard]] inline MonotonicClock systemMonotonicClock()
{
    return [] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now().time_since_epoch());
    };
}

} // namespace parlance
