#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <optional>

namespace parlance {

// One refresh token as stored (table refresh_tokens). The token itself is
// never stored, only its SHA-256 (RefreshTokenService::hashToken), so a copy
// of the database cannot be replayed. All rotations of one sign-in share a
// family id; revoking a session revokes its family.
struct RefreshTokenRecord
{
    QString id; // UUID, primary key
    QString familyId; // UUID, indexed
    QString userId; // indexed
    QByteArray tokenHash; // 32 bytes, unique index: the lookup key
    QDateTime createdAt;
    QDateTime expiresAt; // this token's end: creation + lifetime, capped by the family's
    QDateTime familyExpiresAt; // no rotation outlives this (absolute session lifetime)
    std::optional<QDateTime> usedAt; // set when rotated; presenting it again is reuse
    QString replacedBy; // id of the successor once used, else empty
    std::optional<QDateTime> revokedAt;

    [[nodiscard]] bool operator==(const RefreshTokenRecord &) const = default;
};

// Storage for refresh tokens. The SQL repository in storage/ implements it;
// calls block, so they run on a worker thread. Times are UTC.
class RefreshTokenStore
{
public:
    virtual ~RefreshTokenStore() = default;

    [[nodiscard]] virtual Result<std::optional<RefreshTokenRecord>>
    findByHash(const QByteArray &tokenHash) = 0;

    [[nodiscard]] virtual Status insert(const RefreshTokenRecord &record) = 0;

    // In one transaction: mark `usedId` used at `at` with replaced_by =
    // replacement.id, but only while it is neither used nor revoked (a
    // conditional UPDATE … WHERE used_at IS NULL AND revoked_at IS NULL), and
    // insert `replacement`. Returns false and writes nothing when the condition
    // fails, i.e. a concurrent request rotated or revoked it first.
    [[nodiscard]] virtual Result<bool>
    rotate(const QString &usedId, const RefreshTokenRecord &replacement, const QDateTime &at) = 0;

    // Set revoked_at = `at` on every not yet revoked token of the family or
    // of the user; returns how many rows changed.
    [[nodiscard]] virtual Result<int> revokeFamily(const QString &familyId,
                                                   const QDateTime &at) = 0;
    [[nodiscard]] virtual Result<int> revokeAllForUser(const QString &userId,
                                                       const QDateTime &at) = 0;

protected:
    RefreshTokenStore() = default;
    RefreshTokenStore(const RefreshTokenStore &) = default;
    RefreshTokenStore &operator=(const RefreshTokenStore &) = default;
};

} // namespace parlance
