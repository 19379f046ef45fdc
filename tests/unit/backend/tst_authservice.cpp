#include "auth/authservice.h"
#include "auth/credentialstore.h"
#include "auth/inmemoryloginthrottle.h"
#include "auth/passwordhasher.h"
#include "contract/errorcodes.h"

#include <QHash>
#include <QTest>

#include <algorithm>
#include <vector>

using namespace Qt::StringLiterals;
using namespace parlance;

namespace {

// Minimal in-memory stores, enough to drive the service end to end.
class MemoryUsers final : public CredentialStore, public AccountLookup
{
public:
    Result<std::optional<StoredCredentials>> findByEmail(const QString &email) override
    {
        ++lookups;
        if (!byEmail.contains(email))
            return std::optional<StoredCredentials>();
        return std::optional<StoredCredentials>(byEmail.value(email));
    }
    Status updatePasswordHash(const QString &userId, const QString &passwordHash) override
    {
        for (StoredCredentials &stored : byEmail) {
            if (stored.account.userId == userId)
                stored.passwordHash = passwordHash;
        }
        return Done {};
    }
    Result<std::optional<AccountSnapshot>> findAccount(const QString &userId) override
    {
        for (const StoredCredentials &stored : std::as_const(byEmail)) {
            if (stored.account.userId == userId)
                return std::optional<AccountSnapshot>(stored.account);
        }
        return std::optional<AccountSnapshot>();
    }

    QHash<QString, StoredCredentials> byEmail;
    int lookups = 0;
};

class MemoryTokens final : public RefreshTokenStore
{
public:
    Result<std::optional<RefreshTokenRecord>> findByHash(const QByteArray &hash) override
    {
        for (const RefreshTokenRecord &r : std::as_const(rows)) {
            if (r.tokenHash == hash)
                return std::optional<RefreshTokenRecord>(r);
        }
        return std::optional<RefreshTokenRecord>();
    }
    Status insert(const RefreshTokenRecord &record) override
    {
        rows.insert(record.id, record);
        return Done {};
    }
    Result<bool> rotate(const QString &usedId, const RefreshTokenRecord &next,
                        const QDateTime &at) override
    {
        auto it = rows.find(usedId);
        if (it == rows.end() || it->usedAt || it->revokedAt)
            return false;
        it->usedAt = at;
        it->replacedBy = next.id;
        rows.insert(next.id, next);
        return true;
    }
    Result<int> revokeFamily(const QString &familyId, const QDateTime &at) override
    {
        int n = 0;
        for (RefreshTokenRecord &r : rows) {
            if (r.familyId == familyId && !r.revokedAt) {
                r.revokedAt = at;
                ++n;
            }
        }
        return n;
    }
    Result<int> revokeAllForUser(const QString &userId, const QDateTime &at) override
    {
        int n = 0;
        for (RefreshTokenRecord &r : rows) {
            if (r.userId == userId && !r.revokedAt) {
                r.revokedAt = at;
                ++n;
            }
        }
        return n;
    }
    QHash<QString, RefreshTokenRecord> rows;
};

constexpr Argon2Params Params { 256, 1, 1 };

PasswordHasher hasherWith(Argon2Params params)
{
    return std::move(PasswordHasher::create(params)).value();
}

JwtKeyRing keys()
{
    return std::move(JwtKeyRing::create({ u"k1"_s, QByteArray(32, 'k') })).value();
}

struct Fixture
{
    explicit Fixture(Argon2Params params = Params)
        : hasher(hasherWith(params))
    {
        addUser(u"alice@example.com"_s, u"alice"_s, u"correct horse battery"_s);
    }

    void addUser(const QString &email, const QString &id, const QString &password,
                 bool disabled = false)
    {
        users.byEmail.insert(email,
                             StoredCredentials { AccountSnapshot { id, u"user"_s, disabled },
                                                 *hasher.hash(password) });
    }

    PasswordHasher hasher;
    MemoryUsers users;
    MemoryTokens tokens;
    InMemoryLoginThrottle throttle;
    RefreshTokenService refreshTokens { tokens, users };
    AccessTokenService accessTokens { keys() };
    AuthService auth { hasher, throttle, users, refreshTokens, accessTokens };
};

} // namespace

class TestAuthService : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void signInIssuesWorkingTokens();
    void emailIsNormalisedBeforeLookup();
    void malformedEmailIsInvalidField();
    void unknownEmailAndWrongPasswordLookAlike();
    void disabledAccountIsOnlyRevealedToTheRightPassword();
    void throttleStopsGuessingBeforeAnyLookup();
    void successResetsTheAccountThrottle();
    void outdatedHashIsUpgradedOnSignIn();
    void refreshIssuesAccessTokenWithCurrentRole();
    void signOutEndsTheSession();
};

void TestAuthService::signInIssuesWorkingTokens()
{
    Fixture f;
    const auto signedIn =
        f.auth.signIn(u"alice@example.com"_s, u"correct horse battery"_s, u"192.0.2.1"_s);
    QVERIFY2(signedIn.ok(), qPrintable(signedIn.ok() ? QString() : signedIn.error().message));
    QCOMPARE(signedIn->account.userId, u"alice"_s);
    const auto claims = f.accessTokens.verify(signedIn->access.token);
    QVERIFY(claims.ok());
    QCOMPARE(claims->userId, u"alice"_s);
    QCOMPARE(claims->role, u"user"_s);
    QCOMPARE(signedIn->refresh.record.userId, u"alice"_s);
    QVERIFY(f.auth.refresh(signedIn->refresh.token).ok());
}

void TestAuthService::emailIsNormalisedBeforeLookup()
{
    Fixture f;
    QVERIFY(f.auth.signIn(u"  Alice@EXAMPLE.com "_s, u"correct horse battery"_s, {}).ok());
}

void TestAuthService::malformedEmailIsInvalidField()
{
    Fixture f;
    const auto result = f.auth.signIn(u"alice"_s, u"correct horse battery"_s, {});
    QCOMPARE(result.error().code, QString(errc::InvalidField));
    QCOMPARE(f.users.lookups, 0);
}

void TestAuthService::unknownEmailAndWrongPasswordLookAlike()
{
    Fixture f;
    const auto unknown = f.auth.signIn(u"mallory@example.com"_s, u"correct horse battery"_s, {});
    const auto wrong = f.auth.signIn(u"alice@example.com"_s, u"incorrect horse"_s, {});
    QVERIFY(!unknown.ok() && !wrong.ok());
    QCOMPARE(unknown.error(), wrong.error());
    QCOMPARE(wrong.error().code, QString(errc::InvalidCredentials));
}

void TestAuthService::disabledAccountIsOnlyRevealedToTheRightPassword()
{
    Fixture f;
    f.addUser(u"carol@example.com"_s, u"carol"_s, u"carol's long password"_s, true);
    QCOMPARE(f.auth.signIn(u"carol@example.com"_s, u"a guess at it"_s, {}).error().code,
             QString(errc::InvalidCredentials));
    QCOMPARE(f.auth.signIn(u"carol@example.com"_s, u"carol's long password"_s, {}).error().code,
             QString(errc::AccountDisabled));
    QVERIFY(f.tokens.rows.isEmpty());
}

void TestAuthService::throttleStopsGuessingBeforeAnyLookup()
{
    Fixture f;
    for (int i = 0; i < 5; ++i)
        (void)f.auth.signIn(u"nobody@example.com"_s, u"guess number "_s + QString::number(i), {});
    QCOMPARE(f.users.lookups, 5);
    const auto refused = f.auth.signIn(u"nobody@example.com"_s, u"another guess"_s, {});
    QCOMPARE(refused.error().code, QString(errc::TooManyAttempts));
    QCOMPARE(refused.error().retryAfterSeconds, std::optional<int>(900));
    QCOMPARE(f.users.lookups, 5);
    // Even the right password waits for the lock on a real account.
    for (int i = 0; i < 5; ++i)
        (void)f.auth.signIn(u"alice@example.com"_s, u"wrong"_s, {});
    QCOMPARE(f.auth.signIn(u"alice@example.com"_s, u"correct horse battery"_s, {}).error().code,
             QString(errc::TooManyAttempts));
}

void TestAuthService::successResetsTheAccountThrottle()
{
    Fixture f;
    for (int i = 0; i < 4; ++i)
        (void)f.auth.signIn(u"alice@example.com"_s, u"wrong"_s, {});
    QVERIFY(f.auth.signIn(u"alice@example.com"_s, u"correct horse battery"_s, {}).ok());
    for (int i = 0; i < 4; ++i)
        (void)f.auth.signIn(u"alice@example.com"_s, u"wrong"_s, {});
    QVERIFY(f.auth.signIn(u"alice@example.com"_s, u"correct horse battery"_s, {}).ok());
}

void TestAuthService::outdatedHashIsUpgradedOnSignIn()
{
    Fixture f;
    const PasswordHasher old = hasherWith(Argon2Params { 64, 1, 1 });
    f.users.byEmail[u"alice@example.com"_s].passwordHash = *old.hash(u"correct horse battery"_s);
    QVERIFY(f.hasher.needsRehash(f.users.byEmail[u"alice@example.com"_s].passwordHash));

    QVERIFY(f.auth.signIn(u"alice@example.com"_s, u"correct horse battery"_s, {}).ok());
    const QString upgraded = f.users.byEmail[u"alice@example.com"_s].passwordHash;
    QVERIFY(!f.hasher.needsRehash(upgraded));
    QVERIFY(upgraded.startsWith(u"$argon2id$v=19$m=256,t=1,p=1$"_s));
    QVERIFY(f.hasher.verify(u"correct horse battery"_s, upgraded).ok());
}

void TestAuthService::refreshIssuesAccessTokenWithCurrentRole()
{
    Fixture f;
    const auto signedIn = f.auth.signIn(u"alice@example.com"_s, u"correct horse battery"_s, {});
    QVERIFY(signedIn.ok());
    f.users.byEmail[u"alice@example.com"_s].account.role = u"admin"_s;
    const auto refreshed = f.auth.refresh(signedIn->refresh.token);
    QVERIFY(refreshed.ok());
    QCOMPARE(f.accessTokens.verify(refreshed->access.token)->role, u"admin"_s);
    QVERIFY(refreshed->refresh.token != signedIn->refresh.token);
    QCOMPARE(f.auth.refresh(signedIn->refresh.token).error().code, QString(errc::TokenReused));
}

void TestAuthService::signOutEndsTheSession()
{
    Fixture f;
    const auto signedIn = f.auth.signIn(u"alice@example.com"_s, u"correct horse battery"_s, {});
    QVERIFY(f.auth.signOut(signedIn->refresh.token).ok());
    QCOMPARE(f.auth.refresh(signedIn->refresh.token).error().code, QString(errc::InvalidToken));
}

QTEST_GUILESS_MAIN(TestAuthService)
#include "tst_authservice.moc"
