#include "auth/inmemoryloginthrottle.h"

#include "contract/errorcodes.h"

#include <algorithm>
#include <vector>

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

using Millis = std::chrono::milliseconds;

// Evicting a tenth at a time keeps eviction's O(n) scan rare.
template<typename State, typename IsIdle, typename IsLocked>
void evictFrom(QHash<QString, State> &map, qsizetype capacity, IsIdle isIdle, IsLocked isLocked)
{
    if (map.size() < capacity)
        return;
    map.removeIf([&](const auto &entry) { return isIdle(entry.value()); });
    if (map.size() < capacity)
        return;

    struct Candidate
    {
        bool locked;
        Millis lastSeen;
        QString key;
    };
    std::vector<Candidate> candidates;
    candidates.reserve(static_cast<size_t>(map.size()));
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        candidates.push_back({ isLocked(it.value()), it.value().lastSeen, it.key() });
    const auto victims =
        static_cast<qsizetype>(std::max<qsizetype>(map.size() - capacity + 1, capacity / 10));
    const auto end = candidates.begin() + std::min<qsizetype>(victims, map.size());
    std::nth_element(candidates.begin(), end - 1, candidates.end(),
                     [](const Candidate &a, const Candidate &b) {
                         return a.locked != b.locked ? !a.locked : a.lastSeen < b.lastSeen;
                     });
    for (auto it = candidates.begin(); it != end; ++it)
        map.remove(it->key);
}

} // namespace

Status LoginThrottleSettings::validate() const
{
    using std::chrono::seconds;
    if (accountMaxFailures < 1 || addressMaxFailures < 1 || maxTrackedAccounts < 1
        || maxTrackedAddresses < 1 || accountWindow < seconds(1) || accountLockout < seconds(1)
        || accountMaxLockout < accountLockout || accountStrikeMemory < seconds(0)
        || addressWindow < seconds(1)) {
        return ApiError { QString(errc::InvalidField),
                          u"Login throttle limits and durations must be positive, and the longest "
                          u"lockout at least the first."_s,
                          {} };
    }
    return Done {};
}

InMemoryLoginThrottle::InMemoryLoginThrottle(LoginThrottleSettings settings, MonotonicClock clock)
    : m_settings(settings)
    , m_clock(std::move(clock))
    , m_addressInterval(std::max<Millis>(Millis(1),
                                         std::chrono::duration_cast<Millis>(settings.addressWindow)
                                             / std::max(1, settings.addressMaxFailures)))
{ }

void InMemoryLoginThrottle::forgetStale(AccountState &state, Millis now) const
{
    const Millis windowStart = now - m_settings.accountWindow;
    while (!state.failures.isEmpty() && state.failures.front() <= windowStart)
        state.failures.removeFirst();
    if (state.strikes > 0 && state.lockedUntil <= now
        && now - state.lastLockAt >= m_settings.accountStrikeMemory)
        state.strikes = 0;
}

bool InMemoryLoginThrottle::isIdle(const AccountState &state, Millis now) const
{
    AccountState copy = state;
    forgetStale(copy, now);
    return copy.lockedUntil <= now && copy.failures.isEmpty() && copy.strikes == 0;
}

void InMemoryLoginThrottle::makeRoomForAccount(Millis now)
{
    evictFrom(
        m_accounts, m_settings.maxTrackedAccounts,
        [&](const AccountState &s) { return isIdle(s, now); },
        [&](const AccountState &s) { return s.lockedUntil > now; });
}

void InMemoryLoginThrottle::makeRoomForAddress(Millis now)
{
    evictFrom(
        m_addresses, m_settings.maxTrackedAddresses,
        [&](const AddressState &s) { return s.theoreticalArrival <= now; },
        [](const AddressState &) { return false; });
}

Status InMemoryLoginThrottle::admit(const QString &accountKey, const QString &addressKey)
{
    const Millis now = m_clock();
    std::lock_guard lock(m_mutex);

    AccountState *account = nullptr;
    if (!accountKey.isEmpty()) {
        if (auto it = m_accounts.find(accountKey); it != m_accounts.end()) {
            account = &it.value();
            forgetStale(*account, now);
            if (account->lockedUntil > now)
                return tooManyAttempts(Scope::Account, account->lockedUntil - now);
        }
    }

    // Token bucket as GCRA: one timestamp per address instead of a log.
    const Millis window = m_settings.addressWindow;
    Millis nextArrival { 0 };
    if (!addressKey.isEmpty()) {
        const auto it = m_addresses.constFind(addressKey);
        const Millis arrival =
            it == m_addresses.cend() ? now : std::max(it->theoreticalArrival, now);
        nextArrival = arrival + m_addressInterval;
        if (nextArrival - now > window)
            return tooManyAttempts(Scope::Address, nextArrival - window - now);
    }

    // Admitted: count the attempt as a failure until succeeded() says otherwise.
    if (!addressKey.isEmpty()) {
        if (!m_addresses.contains(addressKey))
            makeRoomForAddress(now);
        AddressState &state = m_addresses[addressKey];
        state.theoreticalArrival = nextArrival;
        state.lastSeen = now;
    }
    if (!accountKey.isEmpty()) {
        if (!account) {
            makeRoomForAccount(now);
            account = &m_accounts[accountKey];
        }
        account->lastSeen = now;
        account->failures.append(now);
        if (account->failures.size() >= m_settings.accountMaxFailures) {
            const int doublings = std::min(account->strikes, 20);
            const Millis lockout = std::min<Millis>(
                m_settings.accountLockout * (qint64(1) << doublings), m_settings.accountMaxLockout);
            account->lockedUntil = now + lockout;
            account->lastLockAt = now;
            account->strikes += 1;
            account->failures.clear();
        }
    }
    return Done {};
}

void InMemoryLoginThrottle::succeeded(const QString &accountKey, const QString &addressKey)
{
    const Millis now = m_clock();
    std::lock_guard lock(m_mutex);
    if (!accountKey.isEmpty())
        m_accounts.remove(accountKey);
    if (!addressKey.isEmpty()) {
        if (auto it = m_addresses.find(addressKey); it != m_addresses.end()) {
            it->theoreticalArrival -= m_addressInterval;
            if (it->theoreticalArrival <= now)
                m_addresses.erase(it);
        }
    }
}

qsizetype InMemoryLoginThrottle::trackedAccounts() const
{
    std::lock_guard lock(m_mutex);
    return m_accounts.size();
}

qsizetype InMemoryLoginThrottle::trackedAddresses() const
{
    std::lock_guard lock(m_mutex);
    return m_addresses.size();
}

} // namespace parlance
