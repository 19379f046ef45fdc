#include "auth/refreshtokenservice.h"

#include "auth/authlog.h"
#include "auth/base64url.h"
#include "auth/securerandom.h"
#include "contract/errorcodes.h"

#include <QCryptographicHash>

using namespace Qt::StringLiterals;

namespace parlance {

RefreshTokenService::RefreshTokenService(RefreshTokenStore &store, AccountLookup &accounts,
                                         RefreshTokenSettings settings, WallClock clock)
    : m_store(store)
    , m_accounts(accounts)
    , m_policy(settings)
    , m_clock(std::move(clock))
{ }

std::optional<QByteArray> RefreshTokenService::hashToken(QStringView token)
{
    // 32 bytes are 43 base64url characters; anything else is not ours.
    if (token.size() != 43)
        return std::nullopt;
    for (QChar c : token) {
        if (c.unicode() > 0x7f)
            return std::nullopt;
    }
    const auto raw = base64::decodeUrl(token.toLatin1());
    if (!raw || raw->size() != TokenBytes)
        return std::nullopt;
    return QCryptographicHash::hash(*raw, QCryptographicHash::Sha256);
}

Result<IssuedRefreshToken> RefreshTokenService::mint()
{
    auto token = SecureRandom::token(TokenBytes);
    if (!token)
        return token.error();
    // Our own output always hashes; checked anyway rather than assumed.
    auto hash = hashToken(*token);
    if (!hash)
        return ApiError { QString(errc::Internal), u"The server could not create a token."_s, {} };
    RefreshTokenRecord record;
    record.tokenHash = *hash;
    return IssuedRefreshToken { std::move(token).value(), std::move(record) };
}

Result<IssuedRefreshToken> RefreshTokenService::startSession(const QString &userId)
{
    auto issued = mint();
    if (!issued)
        return issued.error();
    issued.value().record = m_policy.firstOfFamily(userId, issued->record.tokenHash, m_clock());
    if (auto stored = m_store.insert(issued->record); !stored)
        return stored.error();
    return issued;
}

Result<RefreshRotation> RefreshTokenService::rotate(QStringView presentedToken)
{
    const auto hash = hashToken(presentedToken);
    if (!hash)
        return RefreshTokenPolicy::errorFor(RefreshVerdict::Revoked);
    auto found = m_store.findByHash(*hash);
    if (!found)
        return found.error();
    if (!found->has_value())
        return RefreshTokenPolicy::errorFor(RefreshVerdict::Revoked);
    const RefreshTokenRecord &presented = **found;

    auto account = m_accounts.findAccount(presented.userId);
    if (!account)
        return account.error();

    const QDateTime now = m_clock();
    RefreshVerdict verdict = m_policy.judge(presented, *account, now);
    if (verdict == RefreshVerdict::Rotate) {
        auto next = mint();
        if (!next)
            return next.error();
        next.value().record = m_policy.successorOf(presented, next->record.tokenHash, now);
        auto rotated = m_store.rotate(presented.id, next->record, now);
        if (!rotated)
            return rotated.error();
        if (*rotated)
            return RefreshRotation { std::move(next).value(), **account };
        // Someone presented the same token between our read and our write.
        verdict = RefreshVerdict::Reused;
    }

    if (RefreshTokenPolicy::revokesFamily(verdict)) {
        if (verdict == RefreshVerdict::Reused) {
            qCWarning(lcAuth) << "Refresh token reuse: revoking session family"
                              << presented.familyId << "of user" << presented.userId;
        }
        auto revoked = m_store.revokeFamily(presented.familyId, now);
        if (!revoked)
            return revoked.error();
    }
    return RefreshTokenPolicy::errorFor(verdict);
}

Status RefreshTokenService::endSession(QStringView presentedToken)
{
    const auto hash = hashToken(presentedToken);
    if (!hash)
        return Done {};
    auto found = m_store.findByHash(*hash);
    if (!found)
        return found.error();
    if (!found->has_value() || (*found)->revokedAt)
        return Done {};
    auto revoked = m_store.revokeFamily((*found)->familyId, m_clock());
    if (!revoked)
        return revoked.error();
    return Done {};
}

Status RefreshTokenService::endAllSessions(const QString &userId)
{
    auto revoked = m_store.revokeAllForUser(userId, m_clock());
    if (!revoked)
        return revoked.error();
    return Done {};
}

} // namespace parlance
