#pragma once

#include "common/result.h"
#include "generation/tickclock.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <chrono>
#include <deque>
#include <mutex>
#include <optional>

namespace parlance {

struct CircuitBreakerSettings
{
    // Opens after this many failures: in a row when `failureWindow` is zero,
    // otherwise within the sliding window (successes in between do not
    // reset it then, so a flapping deployment still opens).
    int failureThreshold = 5;
    std::chrono::milliseconds failureWindow { 0 };
    // Open for `cooldown`, then one probe. A failed probe reopens for the
    // previous cooldown times `cooldownGrowth`, up to `maxCooldown`; closing
    // resets it.
    std::chrono::milliseconds cooldown { 10'000 };
    int cooldownGrowth = 2;
    std::chrono::milliseconds maxCooldown { 300'000 };
    // A probe that never reports (lost request) frees the slot after this.
    std::chrono::milliseconds probeTimeout { 60'000 };

    [[nodiscard]] Status validate() const;
};

// Health of one deployment: closed (calls flow) -> open after failures (calls
// refused) -> half-open after the cooldown (exactly one probe call) -> closed
// on its success, open again (longer) on its failure. Thread-safe; every call
// is a few comparisons under one mutex.
//
// Callers take a Permit before a call and report its outcome with it. An
// outcome from a permit issued before the last state change is ignored, so a
// slow call that started while closed cannot close a circuit that opened
// meanwhile.
class CircuitBreaker
{
public:
    enum class State { Closed, Open, HalfOpen };

    struct Permit
    {
        quint64 epoch = 0;
        bool probe = false;
    };

    struct Snapshot
    {
        State state = State::Closed;
        int recentFailures = 0; // in a row, or in the window
        QString lastError;
        std::optional<std::chrono::milliseconds> openedAt; // tick time
        std::optional<std::chrono::milliseconds> nextProbeAt; // when open
        std::optional<std::chrono::milliseconds> throttledUntil; // 429 Retry-After
        std::chrono::milliseconds currentCooldown { 0 };
        bool probeInFlight = false;

        // For the admin API: tick times turned into wall-clock ISO strings
        // with the two "now"s given.
        [[nodiscard]] QJsonObject toJson(std::chrono::milliseconds tickNow,
                                         const QDateTime &wallNow) const;
    };

    explicit CircuitBreaker(CircuitBreakerSettings settings = {},
                            TickClock clock = systemTickClock());

    // A permit to call, or nothing while open, throttled, or while the one
    // half-open probe is out.
    [[nodiscard]] std::optional<Permit> tryAcquire();
    // Whether tryAcquire() would give a permit now (no side effect).
    [[nodiscard]] bool isAvailable() const;
    // Tick time at which a call may be admitted again (now when available).
    [[nodiscard]] std::chrono::milliseconds availableAt() const;

    void recordSuccess(const Permit &permit);
    // `error` is a short description for admins; never a key or a body.
    void recordFailure(const Permit &permit, const QString &error);
    // The deployment said 429 with Retry-After: not a health failure, but no
    // call until then. Frees a probe slot without a verdict.
    void recordThrottled(const Permit &permit, std::chrono::milliseconds retryAfter);
    // The call ended with no verdict on the deployment (user stop, bad
    // request): frees a probe slot.
    void recordAbandoned(const Permit &permit);

    [[nodiscard]] State state() const;
    [[nodiscard]] Snapshot snapshot() const;

    [[nodiscard]] static QLatin1StringView stateName(State state);

private:
    using Millis = std::chrono::milliseconds;
    void refreshLocked(Millis now); // open -> half-open once the cooldown is over
    void openLocked(Millis now, Millis cooldown);
    [[nodiscard]] bool availableLocked(Millis now) const;
    [[nodiscard]] int recentFailuresLocked(Millis now) const;

    const CircuitBreakerSettings m_settings;
    const TickClock m_clock;

    mutable std::mutex m_mutex;
    State m_state = State::Closed;
    quint64 m_epoch = 1;
    int m_consecutiveFailures = 0;
    std::deque<Millis> m_failureTimes; // windowed mode, at most threshold entries
    QString m_lastError;
    Millis m_openedAt { 0 };
    Millis m_cooldown { 0 };
    Millis m_throttledUntil { 0 };
    std::optional<Millis> m_probeSince;
};

} // namespace parlance
