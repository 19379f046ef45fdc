#pragma once

#include "common/result.h"

#include <QLatin1StringView>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

// Where the client keeps secrets (the refresh token): the OS keychain on the
// desktop (KeychainSecretStore), memory in tests (MemorySecretStore).
// Asynchronous, because a keychain may ask the user or talk D-Bus; callbacks
// run later, never inside the call, and never after `context` is destroyed.
// Implementations must fail loudly: a store that cannot keep a secret safely
// reports an error, it never falls back to a plain-text file.
class SecretStore : public QObject
{
    Q_OBJECT

public:
    // Error codes of the ApiError values a store reports.
    static constexpr QLatin1StringView Unavailable { "keychain_unavailable" };
    static constexpr QLatin1StringView AccessDenied { "keychain_access_denied" };
    static constexpr QLatin1StringView Failed { "keychain_error" };

    // A missing entry is not an error: the value is std::nullopt.
    using ReadCallback = std::function<void(parlance::Result<std::optional<QString>>)>;
    using StatusCallback = std::function<void(parlance::Status)>;

    using QObject::QObject;

    virtual void read(const QString &key, QObject *context, ReadCallback done) = 0;
    virtual void write(const QString &key, const QString &secret, QObject *context,
                       StatusCallback done) = 0;
    // Removing an entry that does not exist succeeds.
    virtual void remove(const QString &key, QObject *context, StatusCallback done) = 0;
};
