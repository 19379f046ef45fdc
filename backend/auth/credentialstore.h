#pragma once

#include "auth/accountlookup.h"
#include "common/result.h"

#include <QString>

#include <optional>

namespace parlance {

struct StoredCredentials
{
    AccountSnapshot account;
    QString passwordHash; // PHC string; empty for accounts without a password
};

// Password credentials by email, for sign-in. The users repository in
// storage/ implements it; calls block, so they run on a worker thread.
class CredentialStore
{
public:
    virtual ~CredentialStore() = default;

    // `email` is already normalised (EmailAddress::normalise); nullopt when
    // no account has it.
    [[nodiscard]] virtual Result<std::optional<StoredCredentials>>
    findByEmail(const QString &email) = 0;

    // Stores a re-hash made with the current Argon2 parameters.
    [[nodiscard]] virtual Status updatePasswordHash(const QString &userId,
                                                    const QString &passwordHash) = 0;

protected:
    CredentialStore() = default;
    CredentialStore(const CredentialStore &) = default;
    CredentialStore &operator=(const CredentialStore &) = default;
};

} // namespace parlance
