#pragma once

#include "platform/secretstore.h"

#include <QHash>

// Secrets in a hash, for tests (and nothing else: they are lost at exit and
// readable in memory). setFailure() makes every later operation fail with
// that error, to test how the session copes with a broken keychain.
class MemorySecretStore : public SecretStore
{
    Q_OBJECT

public:
    using SecretStore::SecretStore;

    void read(const QString &key, QObject *context, ReadCallback done) override;
    void write(const QString &key, const QString &secret, QObject *context,
               StatusCallback done) override;
    void remove(const QString &key, QObject *context, StatusCallback done) override;

    void setFailure(std::optional<parlance::ApiError> failure) { m_failure = std::move(failure); }
    [[nodiscard]] const QHash<QString, QString> &entries() const { return m_entries; }

private:
    QHash<QString, QString> m_entries;
    std::optional<parlance::ApiError> m_failure;
};
