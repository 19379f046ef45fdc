#pragma once

#include "auth/refreshtokenstore.h"

namespace parlance {

class Database;

// Table refresh_tokens. Cheap to construct; blocks on the calling thread's
// connection, so use it on a worker thread. rotate() is the one compound
// write: a conditional UPDATE and an INSERT in one transaction, so of two
// concurrent rotations of one token exactly one succeeds.
class RefreshTokenRepository final : public RefreshTokenStore
{
public:
    explicit RefreshTokenRepository(Database &database);

    [[nodiscard]] Result<std::optional<RefreshTokenRecord>>
    findByHash(const QByteArray &tokenHash) override;
    [[nodiscard]] Status insert(const RefreshTokenRecord &record) override;
    [[nodiscard]] Result<bool> rotate(const QString &usedId, const RefreshTokenRecord &replacement,
                                      const QDateTime &at) override;
    [[nodiscard]] Result<int> revokeFamily(const QString &familyId, const QDateTime &at) override;
    [[nodiscard]] Result<int> revokeAllForUser(const QString &userId, const QDateTime &at) override;

    // Deletes tokens whose family ended before `before` (housekeeping).
    [[nodiscard]] Result<int> purgeExpired(const QDateTime &before);

private:
    Database &m_database;
};

} // namespace parlance
