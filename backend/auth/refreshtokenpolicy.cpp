#include "auth/refreshtokenpolicy.h"

#include "auth/securerandom.h"
#include "contract/errorcodes.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace parlance {

Status RefreshTokenSettings::validate() const
{
    using namespace std::chrono;
    if (lifetime < minutes(1) || familyLifetime < lifetime || familyLifetime > hours(24 * 400)) {
        return ApiError {
            QString(errc::InvalidField),
            u"Refresh tokens need 1 minute <= lifetime <= session lifetime <= 400 days."_s,
            {}
        };
    }
    return Done {};
}

RefreshTokenPolicy::RefreshTokenPolicy(RefreshTokenSettings settings)
    : m_settings(settings)
{ }

RefreshVerdict RefreshTokenPolicy::judge(const RefreshTokenRecord &presented,
                                         const std::optional<AccountSnapshot> &account,
                                         const QDateTime &now) const
{
    // Revocation first: a revoked family stays quiet, whatever else is true.
    if (presented.revokedAt)
        return RefreshVerdict::Revoked;
    // Reuse before expiry: an old token turning up late is still a copy.
    if (presented.usedAt || !presented.replacedBy.isEmpty())
        return RefreshVerdict::Reused;
    if (now >= presented.expiresAt || now >= presented.familyExpiresAt)
        return RefreshVerdict::Expired;
    if (!account || account->userId != presented.userId)
        return RefreshVerdict::AccountGone;
    if (account->disabled)
        return RefreshVerdict::AccountDisabled;
    return RefreshVerdict::Rotate;
}

bool RefreshTokenPolicy::revokesFamily(RefreshVerdict verdict)
{
    switch (verdict) {
    case RefreshVerdict::Reused:
    case RefreshVerdict::AccountGone:
    case RefreshVerdict::AccountDisabled:
        return true;
    case RefreshVerdict::Rotate:
    case RefreshVerdict::Revoked:
    case RefreshVerdict::Expired:
        return false;
    }
    return false;
}

ApiError RefreshTokenPolicy::errorFor(RefreshVerdict verdict)
{
    switch (verdict) {
    case RefreshVerdict::Reused:
        return ApiError { QString(errc::TokenReused),
                          u"This sign-in was used from somewhere else, so it has been ended for "
                          u"safety. Please sign in again."_s,
                          {} };
    case RefreshVerdict::Expired:
        return ApiError { QString(errc::TokenExpired),
                          u"The session has expired. Please sign in again."_s,
                          {} };
    case RefreshVerdict::AccountDisabled:
        return ApiError { QString(errc::AccountDisabled),
                          u"This account has been disabled."_s,
                          {} };
    case RefreshVerdict::Rotate:
    case RefreshVerdict::Revoked:
    case RefreshVerdict::AccountGone:
        break;
    }
    return ApiError { QString(errc::InvalidToken),
                      u"The session has ended. Please sign in again."_s,
                      {} };
}

RefreshTokenRecord RefreshTokenPolicy::firstOfFamily(const QString &userId,
                                                     const QByteArray &tokenHash,
                                                     const QDateTime &now) const
{
    RefreshTokenRecord record;
    record.id = SecureRandom::uuid();
    record.familyId = SecureRandom::uuid();
    record.userId = userId;
    record.tokenHash = tokenHash;
    record.createdAt = now;
    record.familyExpiresAt = now.addSecs(m_settings.familyLifetime.count());
    record.expiresAt = std::min(now.addSecs(m_settings.lifetime.count()), record.familyExpiresAt);
    return record;
}

RefreshTokenRecord RefreshTokenPolicy::successorOf(const RefreshTokenRecord &used,
                                                   const QByteArray &tokenHash,
                                                   const QDateTime &now) const
{
    RefreshTokenRecord record;
    record.id = SecureRandom::uuid();
    record.familyId = used.familyId;
    record.userId = used.userId;
    record.tokenHash = tokenHash;
    record.createdAt = now;
    record.familyExpiresAt = used.familyExpiresAt;
    record.expiresAt = std::min(now.addSecs(m_settings.lifetime.count()), used.familyExpiresAt);
    return record;
}

} // namespace parlance
