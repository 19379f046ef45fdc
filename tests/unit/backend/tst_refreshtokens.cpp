#include "auth/refreshtokenpolicy.h"
#include "auth/refreshtokenservice.h"
#include "contract/errorcodes.h"

#include <QCryptographicHash>
#include <QHash>
#include <QTest>

#include <functional>
#include <memory>

using namespace Qt::StringLiterals;
using namespace parlance;

namespace {

// The store contract in memory: what the SQL repository must also do.
class MemoryRefreshTokenStore final : public RefreshTokenStore
{
public:
    Result<std::optional<RefreshTokenRecord>> findByHash(const QByteArray &tokenHash) override
    {
        if (failing)
            return failure();
        for (const RefreshTokenRecord &record : std::as_const(rows)) {
            if (record.tokenHash == tokenHash)
                return std::optional<RefreshTokenRecord>(record);
        }
        return std::optional<RefreshTokenRecord>();
    }

    Status insert(const RefreshTokenRecord &record) override
    {
        if (failing)
            return failure();
        rows.insert(record.id, record);
        return Done {};
    }

    Result<bool> rotate(const QString &usedId, const RefreshTokenRecord &replacement,
                        const QDateTime &at) override
    {
        if (failing)
            return failure();
        // Lets a test slip a concurrent request in between read and write.
        if (beforeRotate)
            std::exchange(beforeRotate, nullptr)();
        auto it = rows.find(usedId);
        if (it == rows.end() || it->usedAt || it->revokedAt)
            return false;
        it->usedAt = at;
        it->replacedBy = replacement.id;
        rows.insert(replacement.id, replacement);
        return true;
    }

    Result<int> revokeFamily(const QString &familyId, const QDateTime &at) override
    {
        return revokeWhere([&](const RefreshTokenRecord &r) { return r.familyId == familyId; }, at);
    }

    Result<int> revokeAllForUser(const QString &userId, const QDateTime &at) override
    {
        return revokeWhere([&](const RefreshTokenRecord &r) { return r.userId == userId; }, at);
    }

    [[nodiscard]] RefreshTokenRecord byToken(const QString &token) const
    {
        const auto hash = RefreshTokenService::hashToken(token);
        for (const RefreshTokenRecord &record : rows) {
            if (hash && record.tokenHash == *hash)
                return record;
        }
        qFatal("token not stored");
    }

    QHash<QString, RefreshTokenRecord> rows;
    bool failing = false;
    std::function<void()> beforeRotate;

private:
    static ApiError failure()
    {
        return ApiError { QString(errc::Unavailable), u"database down"_s, {} };
    }

    Result<int> revokeWhere(const std::function<bool(const RefreshTokenRecord &)> &match,
                            const QDateTime &at)
    {
        if (failing)
            return failure();
        int count = 0;
        for (RefreshTokenRecord &record : rows) {
            if (match(record) && !record.revokedAt) {
                record.revokedAt = at;
                ++count;
            }
        }
        return count;
    }
};

class MemoryAccounts final : public AccountLookup
{
public:
    Result<std::optional<AccountSnapshot>> findAccount(const QString &userId) override
    {
        if (!accounts.contains(userId))
            return std::optional<AccountSnapshot>();
        return std::optional<AccountSnapshot>(accounts.value(userId));
    }

    QHash<QString, AccountSnapshot> accounts;
};

const QDateTime T0 = QDateTime(QDate(2025, 3, 1), QTime(12, 0), Qt::UTC);
constexpr qint64 Day = 24 * 60 * 60;

struct Fixture
{
    Fixture()
    {
        accounts.accounts.insert(u"alice"_s, AccountSnapshot { u"alice"_s, u"user"_s, false });
        accounts.accounts.insert(u"bob"_s, AccountSnapshot { u"bob"_s, u"user"_s, false });
    }

    std::shared_ptr<QDateTime> now = std::make_shared<QDateTime>(T0);
    MemoryRefreshTokenStore store;
    MemoryAccounts accounts;
    RefreshTokenService service { store, accounts, RefreshTokenSettings {},
                                  [now = now] { return *now; } };

    QString signIn(const QString &userId)
    {
        auto issued = service.startSession(userId);
        if (!issued)
            qFatal("sign-in failed: %s", qPrintable(issued.error().message));
        return issued->token;
    }
    void advance(qint64 seconds) { *now = now->addSecs(seconds); }
};

RefreshTokenRecord freshRecord()
{
    RefreshTokenRecord record;
    record.id = u"r1"_s;
    record.familyId = u"f1"_s;
    record.userId = u"alice"_s;
    record.tokenHash = QByteArray(32, 'h');
    record.createdAt = T0;
    record.expiresAt = T0.addSecs(30 * Day);
    record.familyExpiresAt = T0.addSecs(90 * Day);
    return record;
}

} // namespace

Q_DECLARE_METATYPE(RefreshVerdict)

class TestRefreshTokens : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void policyVerdicts_data();
    void policyVerdicts();
    void verdictErrors_data();
    void verdictErrors();
    void settingsValidation();
    void tokenIsRandomAndOnlyItsHashIsStored();
    void rotationReplacesTokenWithinFamily();
    void rotationCarriesCurrentRole();
    void refreshTokenReuseRevokesFamily();
    void reuseOfOlderAncestorAlsoRevokesFamily();
    void concurrentRotationLoserIsTreatedAsReuse();
    void expiredTokenIsRefused();
    void rotationExtendsSessionUpToFamilyLimit();
    void loggedOutTokenIsRefused();
    void logoutIsIdempotent();
    void disabledUserIsRefusedAndFamilyRevoked();
    void deletedUserIsRefused();
    void signOutEverywhereRevokesOnlyThatUser();
    void unknownOrMalformedTokens_data();
    void unknownOrMalformedTokens();
    void storeFailurePropagates();
};

void TestRefreshTokens::policyVerdicts_data()
{
    QTest::addColumn<RefreshTokenRecord>("record");
    QTest::addColumn<bool>("accountExists");
    QTest::addColumn<bool>("disabled");
    QTest::addColumn<QDateTime>("now");
    QTest::addColumn<RefreshVerdict>("verdict");

    const RefreshTokenRecord fresh = freshRecord();
    RefreshTokenRecord used = fresh;
    used.usedAt = T0.addSecs(10);
    used.replacedBy = u"r2"_s;
    RefreshTokenRecord revoked = fresh;
    revoked.revokedAt = T0.addSecs(10);
    RefreshTokenRecord usedAndRevoked = used;
    usedAndRevoked.revokedAt = T0.addSecs(20);
    RefreshTokenRecord familyEnded = fresh;
    familyEnded.familyExpiresAt = T0.addSecs(60);

    const QDateTime soon = T0.addSecs(60);
    QTest::newRow("fresh") << fresh << true << false << soon << RefreshVerdict::Rotate;
    QTest::newRow("used") << used << true << false << soon << RefreshVerdict::Reused;
    QTest::newRow("revoked") << revoked << true << false << soon << RefreshVerdict::Revoked;
    QTest::newRow("used then revoked")
        << usedAndRevoked << true << false << soon << RefreshVerdict::Revoked;
    QTest::newRow("one second before expiry")
        << fresh << true << false << fresh.expiresAt.addSecs(-1) << RefreshVerdict::Rotate;
    QTest::newRow("at expiry") << fresh << true << false << fresh.expiresAt
                               << RefreshVerdict::Expired;
    QTest::newRow("family ended") << familyEnded << true << false << soon
                                  << RefreshVerdict::Expired;
    QTest::newRow("used and expired is still reuse")
        << used << true << false << fresh.expiresAt.addSecs(Day) << RefreshVerdict::Reused;
    QTest::newRow("expired beats disabled")
        << fresh << true << true << fresh.expiresAt << RefreshVerdict::Expired;
    QTest::newRow("account gone") << fresh << false << false << soon << RefreshVerdict::AccountGone;
    QTest::newRow("account disabled")
        << fresh << true << true << soon << RefreshVerdict::AccountDisabled;
    QTest::newRow("disabled and used") << used << true << true << soon << RefreshVerdict::Reused;
}

void TestRefreshTokens::policyVerdicts()
{
    QFETCH(RefreshTokenRecord, record);
    QFETCH(bool, accountExists);
    QFETCH(bool, disabled);
    QFETCH(QDateTime, now);
    QFETCH(RefreshVerdict, verdict);
    std::optional<AccountSnapshot> account;
    if (accountExists)
        account = AccountSnapshot { record.userId, u"user"_s, disabled };
    QCOMPARE(RefreshTokenPolicy().judge(record, account, now), verdict);
}

void TestRefreshTokens::verdictErrors_data()
{
    QTest::addColumn<RefreshVerdict>("verdict");
    QTest::addColumn<QString>("code");
    QTest::addColumn<bool>("revokesFamily");
    QTest::newRow("revoked") << RefreshVerdict::Revoked << QString(errc::InvalidToken) << false;
    QTest::newRow("reused") << RefreshVerdict::Reused << QString(errc::TokenReused) << true;
    QTest::newRow("expired") << RefreshVerdict::Expired << QString(errc::TokenExpired) << false;
    QTest::newRow("account gone") << RefreshVerdict::AccountGone << QString(errc::InvalidToken)
                                  << true;
    QTest::newRow("disabled") << RefreshVerdict::AccountDisabled << QString(errc::AccountDisabled)
                              << true;
}

void TestRefreshTokens::verdictErrors()
{
    QFETCH(RefreshVerdict, verdict);
    QFETCH(QString, code);
    QFETCH(bool, revokesFamily);
    QCOMPARE(RefreshTokenPolicy::errorFor(verdict).code, code);
    QCOMPARE(RefreshTokenPolicy::revokesFamily(verdict), revokesFamily);
    QVERIFY(!RefreshTokenPolicy::errorFor(verdict).message.isEmpty());
}

void TestRefreshTokens::settingsValidation()
{
    using namespace std::chrono;
    QVERIFY(RefreshTokenSettings {}.validate().ok());
    QVERIFY(!(RefreshTokenSettings { seconds(30), hours(24) }.validate().ok()));
    QVERIFY(!(RefreshTokenSettings { hours(48), hours(24) }.validate().ok()));
    QVERIFY(!(RefreshTokenSettings { hours(24), hours(24 * 401) }.validate().ok()));
    QVERIFY((RefreshTokenSettings { hours(24), hours(24) }.validate().ok()));
}

void TestRefreshTokens::tokenIsRandomAndOnlyItsHashIsStored()
{
    Fixture fixture;
    const QString first = fixture.signIn(u"alice"_s);
    const QString second = fixture.signIn(u"alice"_s);
    QCOMPARE(first.size(), 43);
    QVERIFY(first != second);

    const RefreshTokenRecord record = fixture.store.byToken(first);
    const QByteArray raw = QByteArray::fromBase64(first.toLatin1(), QByteArray::Base64UrlEncoding);
    QCOMPARE(raw.size(), 32);
    QCOMPARE(record.tokenHash, QCryptographicHash::hash(raw, QCryptographicHash::Sha256));
    QVERIFY(!record.tokenHash.contains(raw));
    QCOMPARE(record.userId, u"alice"_s);
    QCOMPARE(record.createdAt, T0);
    QCOMPARE(record.expiresAt, T0.addSecs(30 * Day));
    QCOMPARE(record.familyExpiresAt, T0.addSecs(90 * Day));
    QVERIFY(!record.usedAt && !record.revokedAt && record.replacedBy.isEmpty());
    QVERIFY(record.familyId != fixture.store.byToken(second).familyId);
}

void TestRefreshTokens::rotationReplacesTokenWithinFamily()
{
    Fixture fixture;
    const QString first = fixture.signIn(u"alice"_s);
    fixture.advance(60);
    const auto rotated = fixture.service.rotate(first);
    QVERIFY2(rotated.ok(), qPrintable(rotated.ok() ? QString() : rotated.error().message));
    const QString second = rotated->next.token;
    QVERIFY(second != first);
    QCOMPARE(rotated->account.userId, u"alice"_s);

    const RefreshTokenRecord old = fixture.store.byToken(first);
    const RefreshTokenRecord next = fixture.store.byToken(second);
    QCOMPARE(next, rotated->next.record);
    QCOMPARE(old.usedAt, std::optional<QDateTime>(T0.addSecs(60)));
    QCOMPARE(old.replacedBy, next.id);
    QCOMPARE(next.familyId, old.familyId);
    QCOMPARE(next.userId, old.userId);
    QVERIFY(!next.usedAt && !next.revokedAt);

    fixture.advance(60);
    QVERIFY(fixture.service.rotate(second).ok());
}

void TestRefreshTokens::rotationCarriesCurrentRole()
{
    Fixture fixture;
    const QString token = fixture.signIn(u"alice"_s);
    fixture.accounts.accounts[u"alice"_s].role = u"admin"_s;
    const auto rotated = fixture.service.rotate(token);
    QVERIFY(rotated.ok());
    QCOMPARE(rotated->account.role, u"admin"_s);
}

void TestRefreshTokens::refreshTokenReuseRevokesFamily()
{
    Fixture fixture;
    const QString stolen = fixture.signIn(u"alice"_s);
    const QString otherDevice = fixture.signIn(u"alice"_s);
    // The thief refreshes first; then the real client presents the old token.
    const auto thief = fixture.service.rotate(stolen);
    QVERIFY(thief.ok());
    fixture.advance(5);

    const auto reuse = fixture.service.rotate(stolen);
    QVERIFY(!reuse.ok());
    QCOMPARE(reuse.error().code, QString(errc::TokenReused));

    // The whole family is gone, including the thief's fresh token…
    const RefreshTokenRecord thiefRecord = fixture.store.byToken(thief->next.token);
    QCOMPARE(thiefRecord.revokedAt, std::optional<QDateTime>(T0.addSecs(5)));
    const auto thiefAgain = fixture.service.rotate(thief->next.token);
    QVERIFY(!thiefAgain.ok());
    QCOMPARE(thiefAgain.error().code, QString(errc::InvalidToken));
    // …while the user's other sign-in is untouched.
    QVERIFY(!fixture.store.byToken(otherDevice).revokedAt);
    QVERIFY(fixture.service.rotate(otherDevice).ok());
}

void TestRefreshTokens::reuseOfOlderAncestorAlsoRevokesFamily()
{
    Fixture fixture;
    const QString first = fixture.signIn(u"alice"_s);
    const QString second = fixture.service.rotate(first)->next.token;
    const QString third = fixture.service.rotate(second)->next.token;
    QCOMPARE(fixture.service.rotate(first).error().code, QString(errc::TokenReused));
    QVERIFY(fixture.store.byToken(third).revokedAt);
}

void TestRefreshTokens::concurrentRotationLoserIsTreatedAsReuse()
{
    Fixture fixture;
    const QString token = fixture.signIn(u"alice"_s);
    // Between our read and our conditional write another request wins.
    std::optional<QString> winner;
    fixture.store.beforeRotate = [&] {
        auto other = fixture.service.rotate(token);
        QVERIFY(other.ok());
        winner = other->next.token;
    };
    const auto loser = fixture.service.rotate(token);
    QVERIFY(!loser.ok());
    QCOMPARE(loser.error().code, QString(errc::TokenReused));
    QVERIFY(winner);
    QVERIFY(fixture.store.byToken(*winner).revokedAt);
}

void TestRefreshTokens::expiredTokenIsRefused()
{
    Fixture fixture;
    const QString token = fixture.signIn(u"alice"_s);
    fixture.advance(30 * Day);
    const auto result = fixture.service.rotate(token);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, QString(errc::TokenExpired));
    QVERIFY(!fixture.store.byToken(token).usedAt);
}

void TestRefreshTokens::rotationExtendsSessionUpToFamilyLimit()
{
    Fixture fixture;
    QString token = fixture.signIn(u"alice"_s);
    // Used every 20 days, the session lives on, but never past 90 days.
    for (int i = 0; i < 4; ++i) {
        fixture.advance(20 * Day);
        auto rotated = fixture.service.rotate(token);
        QVERIFY2(rotated.ok(), qPrintable(u"rotation "_s + QString::number(i)));
        token = rotated->next.token;
    }
    QCOMPARE(fixture.store.byToken(token).expiresAt, T0.addSecs(90 * Day));
    fixture.advance(10 * Day);
    QCOMPARE(fixture.service.rotate(token).error().code, QString(errc::TokenExpired));
}

void TestRefreshTokens::loggedOutTokenIsRefused()
{
    Fixture fixture;
    const QString first = fixture.signIn(u"alice"_s);
    const QString second = fixture.service.rotate(first)->next.token;
    QVERIFY(fixture.service.endSession(second).ok());
    const auto result = fixture.service.rotate(second);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, QString(errc::InvalidToken));
    // The used ancestor is revoked too, so it reads as "ended", not reuse.
    QCOMPARE(fixture.service.rotate(first).error().code, QString(errc::InvalidToken));
}

void TestRefreshTokens::logoutIsIdempotent()
{
    Fixture fixture;
    const QString token = fixture.signIn(u"alice"_s);
    QVERIFY(fixture.service.endSession(token).ok());
    QVERIFY(fixture.service.endSession(token).ok());
    QVERIFY(fixture.service.endSession(u"garbage"_s).ok());
    QVERIFY(fixture.service.endSession(QString(43, u'A')).ok());
}

void TestRefreshTokens::disabledUserIsRefusedAndFamilyRevoked()
{
    Fixture fixture;
    const QString token = fixture.signIn(u"alice"_s);
    fixture.accounts.accounts[u"alice"_s].disabled = true;
    const auto refused = fixture.service.rotate(token);
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().code, QString(errc::AccountDisabled));
    QVERIFY(fixture.store.byToken(token).revokedAt);
    // Re-enabling does not bring the old session back.
    fixture.accounts.accounts[u"alice"_s].disabled = false;
    QCOMPARE(fixture.service.rotate(token).error().code, QString(errc::InvalidToken));
}

void TestRefreshTokens::deletedUserIsRefused()
{
    Fixture fixture;
    const QString token = fixture.signIn(u"alice"_s);
    fixture.accounts.accounts.remove(u"alice"_s);
    QCOMPARE(fixture.service.rotate(token).error().code, QString(errc::InvalidToken));
    QVERIFY(fixture.store.byToken(token).revokedAt);
}

void TestRefreshTokens::signOutEverywhereRevokesOnlyThatUser()
{
    Fixture fixture;
    const QString laptop = fixture.signIn(u"alice"_s);
    const QString phone = fixture.signIn(u"alice"_s);
    const QString bobs = fixture.signIn(u"bob"_s);
    QVERIFY(fixture.service.endAllSessions(u"alice"_s).ok());
    QCOMPARE(fixture.service.rotate(laptop).error().code, QString(errc::InvalidToken));
    QCOMPARE(fixture.service.rotate(phone).error().code, QString(errc::InvalidToken));
    QVERIFY(fixture.service.rotate(bobs).ok());
}

void TestRefreshTokens::unknownOrMalformedTokens_data()
{
    QTest::addColumn<QString>("token");
    QTest::newRow("empty") << QString();
    QTest::newRow("unknown but well-formed") << QString(42, u'A') + u'A';
    QTest::newRow("42 characters") << QString(42, u'A');
    QTest::newRow("44 characters") << QString(44, u'A');
    QTest::newRow("padded") << QString(42, u'A') + u'=';
    QTest::newRow("non-canonical last character") << QString(42, u'A') + u'B';
    QTest::newRow("standard alphabet") << QString(42, u'+') + u'A';
    QTest::newRow("non-ascii") << QString(42, u'A') + u'é';
    QTest::newRow("an access token") << u"eyJhbGciOiJIUzI1NiJ9.e30.c2ln"_s;
}

void TestRefreshTokens::unknownOrMalformedTokens()
{
    QFETCH(QString, token);
    Fixture fixture;
    (void)fixture.signIn(u"alice"_s);
    const auto result = fixture.service.rotate(token);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, QString(errc::InvalidToken));
}

void TestRefreshTokens::storeFailurePropagates()
{
    Fixture fixture;
    const QString token = fixture.signIn(u"alice"_s);
    fixture.store.failing = true;
    QCOMPARE(fixture.service.rotate(token).error().code, QString(errc::Unavailable));
    QCOMPARE(fixture.service.startSession(u"alice"_s).error().code, QString(errc::Unavailable));
    QCOMPARE(fixture.service.endSession(token).error().code, QString(errc::Unavailable));
    QCOMPARE(fixture.service.endAllSessions(u"alice"_s).error().code, QString(errc::Unavailable));
}

QTEST_GUILESS_MAIN(TestRefreshTokens)
#include "tst_refreshtokens.moc"
