#pragma once

#include "auth/authclock.h"
#include "auth/loginthrottle.h"

#include <QHash>
#include <QList>

#include <chrono>
#include <mutex>

namespace parlance {

struct LoginThrottleSettings
{
    // Per account: after `accountMaxFailures` failures within `accountWindow`
    // the account locks for `accountLockout`, doubled for each further lock
    // in a row up to `accountMaxLockout`. The first lock equals the window, so
    // an attacker never gets more than the stated failures per window; after
    // that the pace halves with each lock down to 5 per hour. Locks are
    // forgotten after `accountStrikeMemory` without one, or on success.
    int accountMaxFailures = 5;
    std::chrono::seconds accountWindow { 15 * 60 };
    std::chrono::seconds accountLockout { 15 * 60 };
    std::chrono::seconds accountMaxLockout { 60 * 60 };
    std::chrono::seconds accountStrikeMemory { 24 * 60 * 60 };

    // Per address: a token bucket of `addressMaxFailures` per
    // `addressWindow` (a burst of that many, then one every window/limit).
    int addressMaxFailures = 20;
    std::chrono::seconds addressWindow { 60 };

    // Memory bound: about 200 bytes per tracked key. When full, idle entries
    // go first, then the least recently seen unlocked ones, locked ones last.
    int maxTrackedAccounts = 100000;
    int maxTrackedAddresses = 100000;

    // invalid_field for non-positive limits or durations, or a maximum
    // lockout below the first one.
    [[nodiscard]] Status validate() const;
};

// LoginThrottle for one node: state in this process, one mutex (a check is a
// hash lookup; logins are far rarer than the lock could serve).
class InMemoryLoginThrottle final : public LoginThrottle
{
public:
    explicit InMemoryLoginThrottle(LoginThrottleSettings settings = {},
                                   MonotonicClock clock = systemMonotonicClock());

    [[nodiscard]] Status admit(const QString &accountKey, const QString &addressKey) override;
    void succeeded(const QString &accountKey, const QString &addressKey) override;

    [[nodiscard]] qsizetype trackedAccounts() const;
    [[nodiscard]] qsizetype trackedAddresses() const;

private:
    using Millis = std::chrono::milliseconds;

    struct AccountState
    {
        QList<Millis> failures; // within the window, oldest first
        Millis lockedUntil { 0 };
        Millis lastLockAt { 0 };
        int strikes = 0; // locks in a row
        Millis lastSeen { 0 };
    };
    struct AddressState
    {
        Millis theoreticalArrival { 0 }; // GCRA: when the bucket is full again
        Millis lastSeen { 0 };
    };

    void forgetStale(AccountState &state, Millis now) const;
    [[nodiscard]] bool isIdle(const AccountState &state, Millis now) const;
    void makeRoomForAccount(Millis now);
    void makeRoomForAddress(Millis now);

    const LoginThrottleSettings m_settings;
    const MonotonicClock m_clock;
    const Millis m_addressInterval; // window / limit

    mutable std::mutex m_mutex;
    QHash<QString, AccountState> m_accounts;
    QHash<QString, AddressState> m_addresses;
};

} // namespace parlance
