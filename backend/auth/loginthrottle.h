#pragma once

#include "common/result.h"

#include <QString>

#include <chrono>

class QHostAddress;

namespace parlance {

// Slows password guessing per account and per client address. Call admit()
// before checking credentials; it refuses with too_many_attempts (HTTP 429,
// with retry_after) or counts the attempt as a failure straight away, so
// parallel guesses cannot all slip in before the first one is recorded. A
// successful login calls succeeded(), which clears the account's record and
// gives the address its attempt back. Anything else (wrong password, unknown
// email, an error) stays counted.
//
// Keys: the account key is the normalised email, whether or not such an
// account exists (so the throttle does not reveal which ones do); the address
// key comes from addressKey(). An empty key skips that check.
//
// Implementations are thread-safe: event-loop threads call them concurrently.
// InMemoryLoginThrottle serves one node; a Redis-backed one can take over for
// several nodes behind this interface.
class LoginThrottle
{
public:
    virtual ~LoginThrottle() = default;

    [[nodiscard]] virtual Status admit(const QString &accountKey, const QString &addressKey) = 0;
    virtual void succeeded(const QString &accountKey, const QString &addressKey) = 0;

    // IPv4 addresses as themselves; IPv6 by their /64 prefix, since one
    // subscriber usually holds a whole /64; IPv4-mapped IPv6 as IPv4.
    [[nodiscard]] static QString addressKey(const QHostAddress &address);

protected:
    LoginThrottle() = default;
    LoginThrottle(const LoginThrottle &) = default;
    LoginThrottle &operator=(const LoginThrottle &) = default;

    enum class Scope { Account, Address };
    // The shared refusal, with retry_after rounded up to whole seconds.
    [[nodiscard]] static ApiError tooManyAttempts(Scope scope,
                                                  std::chrono::milliseconds retryAfter);
};

} // namespace parlance
