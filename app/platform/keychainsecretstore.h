#pragma once

#include "platform/secretstore.h"

// Secrets in the operating system's keychain through QtKeychain: the macOS
// Keychain, Windows Credential Manager, the Secret Service (GNOME Keyring,
// KWallet) on Linux. The insecure plain-text fallback of QtKeychain is off:
// without a keychain every operation fails with `keychain_unavailable` and the
// user signs in each time, which is the honest outcome (DESIGN.md §4).
class KeychainSecretStore : public SecretStore
{
    Q_OBJECT

public:
    // `service` groups the entries (the application's name).
    explicit KeychainSecretStore(const QString &service, QObject *parent = nullptr);

    void read(const QString &key, QObject *context, ReadCallback done) override;
    void write(const QString &key, const QString &secret, QObject *context,
               StatusCallback done) override;
    void remove(const QString &key, QObject *context, StatusCallback done) override;

private:
    QString m_service;
};
