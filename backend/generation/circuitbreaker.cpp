#include "generation/circuitbreaker.h"

#include "common/timestamp.h"
#include "contract/errorcodes.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace parlance {

Status CircuitBreakerSettings::validate() const
{
    const auto invalid = [](const QString &message) {
        return ApiError { QString(errc::InvalidField), message, std::nullopt };
    };
    if (failureThreshold < 1)
        return invalid(u"failure_threshold: must be at least 1"_s);
    if (failureWindow.count() < 0)
        return invalid(u"failure_window_ms: must not be negative"_s);
    if (cooldown.count() <= 0)
        return invalid(u"cooldown_ms: must be positive"_s);
    if (cooldownGrowth < 1)
        return invalid(u"cooldown_growth: must be at least 1"_s);
    if (maxCooldown < cooldown)
        return invalid(u"max_cooldown_ms: must not be below cooldown_ms"_s);
    if (probeTimeout.count() <= 0)
        return invalid(u"probe_timeout_ms: must be positive"_s);
    return Done {};
}

CircuitBreaker::CircuitBreaker(CircuitBreakerSettings settings, TickClock clock)
    : m_settings(settings)
    , m_clock(std::move(clock))
    , m_cooldown(settings.cooldown)
{ }

void CircuitBreaker::refreshLocked(Millis now)
{
    if (m_state == State::Open && now >= m_openedAt + m_cooldown) {
        m_state = State::HalfOpen;
        m_probeSince.reset();
        ++m_epoch;
    }
    if (m_state == State::HalfOpen && m_probeSince
        && now >= *m_probeSince + m_settings.probeTimeout) {
        m_probeSince.reset(); // lost probe: let another one go
        ++m_epoch;
    }
}

bool CircuitBreaker::availableLocked(Millis now) const
{
    if (now < m_throttledUntil)
        return false;
    switch (m_state) {
    case State::Closed:
        return true;
    case State::Open:
        return false;
    case State::HalfOpen:
        return !m_probeSince;
    }
    return false;
}

std::optional<CircuitBreaker::Permit> CircuitBreaker::tryAcquire()
{
    std::lock_guard guard(m_mutex);
    const Millis now = m_clock();
    refreshLocked(now);
    if (!availableLocked(now))
        return std::nullopt;
    if (m_state == State::HalfOpen) {
        m_probeSince = now;
        return Permit { m_epoch, true };
    }
    return Permit { m_epoch, false };
}

bool CircuitBreaker::isAvailable() const
{
    std::lock_guard guard(m_mutex);
    const Millis now = m_clock();
    // Evaluate the lazy transitions on a copy of the facts, without mutating.
    if (now < m_throttledUntil)
        return false;
    switch (m_state) {
    case State::Closed:
        return true;
    case State::Open:
        return now >= m_openedAt + m_cooldown;
    case State::HalfOpen:
        return !m_probeSince || now >= *m_probeSince + m_settings.probeTimeout;
    }
    return false;
}

std::chrono::milliseconds CircuitBreaker::availableAt() const
{
    std::lock_guard guard(m_mutex);
    const Millis now = m_clock();
    Millis at = now;
    if (m_state == State::Open)
        at = std::max(at, m_openedAt + m_cooldown);
    else if (m_state == State::HalfOpen && m_probeSince)
        at = std::max(at, *m_probeSince + m_settings.probeTimeout);
    return std::max(at, m_throttledUntil);
}

void CircuitBreaker::openLocked(Millis now, Millis cooldown)
{
    m_state = State::Open;
    m_openedAt = now;
    m_cooldown = std::min(cooldown, m_settings.maxCooldown);
    m_probeSince.reset();
    ++m_epoch;
}

void CircuitBreaker::recordSuccess(const Permit &permit)
{
    std::lock_guard guard(m_mutex);
    if (permit.epoch != m_epoch)
        return;
    if (m_state == State::HalfOpen) {
        m_state = State::Closed;
        m_cooldown = m_settings.cooldown;
        m_failureTimes.clear();
        m_probeSince.reset();
        ++m_epoch;
    }
    m_consecutiveFailures = 0;
}

void CircuitBreaker::recordFailure(const Permit &permit, const QString &error)
{
    std::lock_guard guard(m_mutex);
    m_lastError = error.left(200);
    if (permit.epoch != m_epoch)
        return;
    const Millis now = m_clock();
    if (m_state == State::HalfOpen) {
        const qint64 grown = qint64(m_cooldown.count()) * m_settings.cooldownGrowth;
        openLocked(now, Millis(grown));
        return;
    }
    if (m_state != State::Closed)
        return;
    ++m_consecutiveFailures;
    bool trip = false;
    if (m_settings.failureWindow.count() == 0) {
        trip = m_consecutiveFailures >= m_settings.failureThreshold;
    } else {
        m_failureTimes.push_back(now);
        while (!m_failureTimes.empty() && now - m_failureTimes.front() >= m_settings.failureWindow)
            m_failureTimes.pop_front();
        while (m_failureTimes.size() > size_t(m_settings.failureThreshold))
            m_failureTimes.pop_front();
        trip = m_failureTimes.size() >= size_t(m_settings.failureThreshold);
    }
    if (trip)
        openLocked(now, m_settings.cooldown);
}

void CircuitBreaker::recordThrottled(const Permit &permit, std::chrono::milliseconds retryAfter)
{
    std::lock_guard guard(m_mutex);
    const Millis now = m_clock();
    m_throttledUntil = std::max(m_throttledUntil, now + std::max(retryAfter, Millis(0)));
    m_lastError = u"rate limited by the provider"_s;
    if (permit.epoch == m_epoch && permit.probe)
        m_probeSince.reset();
}

void CircuitBreaker::recordAbandoned(const Permit &permit)
{
    std::lock_guard guard(m_mutex);
    if (permit.epoch == m_epoch && permit.probe)
        m_probeSince.reset();
}

int CircuitBreaker::recentFailuresLocked(Millis now) const
{
    if (m_settings.failureWindow.count() == 0)
        return m_consecutiveFailures;
    return int(std::count_if(m_failureTimes.cbegin(), m_failureTimes.cend(),
                             [&](Millis at) { return now - at < m_settings.failureWindow; }));
}

CircuitBreaker::State CircuitBreaker::state() const
{
    return snapshot().state;
}

CircuitBreaker::Snapshot CircuitBreaker::snapshot() const
{
    std::lock_guard guard(m_mutex);
    const Millis now = m_clock();
    Snapshot snap;
    snap.state = m_state;
    // Report the lazy open -> half-open transition as it will be seen.
    if (m_state == State::Open && now >= m_openedAt + m_cooldown)
        snap.state = State::HalfOpen;
    snap.recentFailures = recentFailuresLocked(now);
    snap.lastError = m_lastError;
    snap.currentCooldown = m_cooldown;
    if (m_state != State::Closed)
        snap.openedAt = m_openedAt;
    if (m_state == State::Open)
        snap.nextProbeAt = m_openedAt + m_cooldown;
    if (now < m_throttledUntil)
        snap.throttledUntil = m_throttledUntil;
    snap.probeInFlight = m_state == State::HalfOpen && m_probeSince.has_value();
    return snap;
}

QLatin1StringView CircuitBreaker::stateName(State state)
{
    switch (state) {
    case State::Closed:
        return "closed"_L1;
    case State::Open:
        return "open"_L1;
    case State::HalfOpen:
        return "half_open"_L1;
    }
    return "closed"_L1;
}

QJsonObject CircuitBreaker::Snapshot::toJson(std::chrono::milliseconds tickNow,
                                             const QDateTime &wallNow) const
{
    const auto wall = [&](std::chrono::milliseconds tick) {
        return timestamp::toIso(wallNow.addMSecs((tick - tickNow).count()));
    };
    QJsonObject json {
        { "state"_L1, stateName(state) },
        { "recent_failures"_L1, recentFailures },
        { "cooldown_ms"_L1, qint64(currentCooldown.count()) },
        { "probe_in_flight"_L1, probeInFlight },
    };
    if (!lastError.isEmpty())
        json.insert("last_error"_L1, lastError);
    if (openedAt)
        json.insert("opened_at"_L1, wall(*openedAt));
    if (nextProbeAt)
        json.insert("next_probe_at"_L1, wall(*nextProbeAt));
    if (throttledUntil)
        json.insert("throttled_until"_L1, wall(*throttledUntil));
    return json;
}

} // namespace parlance
