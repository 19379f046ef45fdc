#pragma once

#include "auth/accountlookup.h"
#include "auth/credentialstore.h"
#include "common/result.h"
#include "domain/user.h"

#include <QString>

#include <optional>

namespace parlance {

class Database;

// Table users. Cheap to construct; every call runs on the calling thread's
// connection and blocks, so construct and use it on a worker thread. Emails
// must already be normalised (EmailAddress::normalise): the unique index on
// the stored text is the uniqueness rule.
class UserRepository final : public CredentialStore, public AccountLookup
{
public:
    explicit UserRepository(Database &database);

    struct NewUser
    {
        QString email; // normalised
        QString passwordHash; // PHC string; empty for accounts without a password
        User::Role role = User::Role::User;
        QString displayName;
        QString tier = QStringLiteral("free");
    };

    // email_taken (409) when the email is in use.
    [[nodiscard]] Result<User> create(const NewUser &user);
    [[nodiscard]] Result<User> create(const QString &email, const QString &passwordHash,
                                      User::Role role = User::Role::User);

    [[nodiscard]] Result<std::optional<User>> findById(const QString &id);
    [[nodiscard]] Result<std::optional<User>> findUserByEmail(const QString &email);

    // not_found when no user has the id.
    [[nodiscard]] Status setPasswordHash(const QString &id, const QString &passwordHash);
    [[nodiscard]] Status setDisabled(const QString &id, bool disabled);
    [[nodiscard]] Status setRole(const QString &id, User::Role role);
    [[nodiscard]] Status setTier(const QString &id, const QString &tier);
    [[nodiscard]] Status setDisplayName(const QString &id, const QString &displayName);

    [[nodiscard]] Result<qint64> count();

    // CredentialStore
    [[nodiscard]] Result<std::optional<StoredCredentials>>
    findByEmail(const QString &email) override;
    [[nodiscard]] Status updatePasswordHash(const QString &userId,
                                            const QString &passwordHash) override;

    // AccountLookup
    [[nodiscard]] Result<std::optional<AccountSnapshot>>
    findAccount(const QString &userId) override;

private:
    struct UserRow
    {
        User user;
        QString passwordHash;
    };
    // The one user row whose `column` (a fixed name, never input) equals value.
    [[nodiscard]] Result<std::optional<UserRow>> findRow(QLatin1StringView column,
                                                         const QString &value);
    [[nodiscard]] Status updateColumn(const QString &id, const QString &assignment,
                                      const QVariant &value);

    Database &m_database;
};

} // namespace parlance
