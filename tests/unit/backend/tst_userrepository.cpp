// UserRepository on SQLite and PostgreSQL: the accounts table behind sign-up,
// sign-in (CredentialStore) and token refresh (AccountLookup).
#include "contract/errorcodes.h"
#include "storage/userrepository.h"
#include "testdatabase.h"

using namespace Qt::StringLiterals;
using namespace parlance;
using parlance::test::TestDatabase;

class TestUserRepository : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestDatabase> m_db;

private Q_SLOTS:
    void initTestCase()
    {
        m_db = TestDatabase::create();
        QVERIFY(m_db);
    }
    void cleanupTestCase() { m_db.reset(); }
    void init()
    {
        QVERIFY(m_db);
        PARLANCE_VERIFY_OK(m_db->clear());
    }

    void createThenFindById()
    {
        UserRepository users(m_db->database());
        UserRepository::NewUser input;
        input.email = u"ada@example.com"_s;
        input.passwordHash = u"$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"_s;
        input.role = User::Role::Admin;
        input.displayName = u"Ada Lovelace"_s;
        input.tier = u"plus"_s;
        const auto created = users.create(input);
        PARLANCE_VERIFY_OK(created);
        QCOMPARE(created->id.size(), 36);
        QCOMPARE(created->email, input.email);
        QCOMPARE(created->role, User::Role::Admin);
        QCOMPARE(created->tier, u"plus"_s);
        QVERIFY(!created->disabled);
        QVERIFY(created->createdAt.isValid());

        const auto found = users.findById(created->id);
        PARLANCE_VERIFY_OK(found);
        QVERIFY(found->has_value());
        QCOMPARE(found->value(), created.value());
    }

    void defaultsAreUserRoleAndFreeTier()
    {
        UserRepository users(m_db->database());
        const auto created = users.create(u"bob@example.com"_s, u"hash"_s);
        PARLANCE_VERIFY_OK(created);
        QCOMPARE(created->role, User::Role::User);
        QCOMPARE(created->tier, u"free"_s);
        QVERIFY(created->displayName.isEmpty());
    }

    void duplicateEmailIsEmailTaken()
    {
        UserRepository users(m_db->database());
        PARLANCE_VERIFY_OK(users.create(u"same@example.com"_s, u"h1"_s));
        const auto again = users.create(u"same@example.com"_s, u"h2"_s, User::Role::Admin);
        QVERIFY(!again.ok());
        QCOMPARE(again.error().code, QString(errc::EmailTaken));
        QCOMPARE(errc::httpStatusFor(errc::EmailTaken), 409);
        const auto count = users.count();
        PARLANCE_VERIFY_OK(count);
        QCOMPARE(count.value(), 1);
    }

    void credentialsByEmail()
    {
        UserRepository users(m_db->database());
        const auto created = users.create(u"carol@example.com"_s, u"phc-string"_s);
        PARLANCE_VERIFY_OK(created);
        CredentialStore &store = users;
        const auto found = store.findByEmail(u"carol@example.com"_s);
        PARLANCE_VERIFY_OK(found);
        QVERIFY(found->has_value());
        QCOMPARE(found->value().passwordHash, u"phc-string"_s);
        QCOMPARE(found->value().account.userId, created->id);
        QCOMPARE(found->value().account.role, u"user"_s);
        QVERIFY(!found->value().account.disabled);

        const auto missing = store.findByEmail(u"nobody@example.com"_s);
        PARLANCE_VERIFY_OK(missing);
        QVERIFY(!missing->has_value());
        const auto byEmail = users.findUserByEmail(u"carol@example.com"_s);
        PARLANCE_VERIFY_OK(byEmail);
        QCOMPARE(byEmail->value().id, created->id);
    }

    void passwordHashUpdates()
    {
        UserRepository users(m_db->database());
        const auto created = users.create(u"dave@example.com"_s, u"old"_s);
        PARLANCE_VERIFY_OK(created);
        PARLANCE_VERIFY_OK(users.updatePasswordHash(created->id, u"rehashed"_s));
        QCOMPARE(users.findByEmail(u"dave@example.com"_s).value()->passwordHash, u"rehashed"_s);
        PARLANCE_VERIFY_OK(users.setPasswordHash(created->id, u"changed"_s));
        QCOMPARE(users.findByEmail(u"dave@example.com"_s).value()->passwordHash, u"changed"_s);
    }

    void disableAndRoleShowInAccountLookup()
    {
        UserRepository users(m_db->database());
        const auto created = users.create(u"erin@example.com"_s, u"h"_s);
        PARLANCE_VERIFY_OK(created);
        AccountLookup &lookup = users;
        auto account = lookup.findAccount(created->id);
        PARLANCE_VERIFY_OK(account);
        QCOMPARE(account->value().role, u"user"_s);
        QVERIFY(!account->value().disabled);

        PARLANCE_VERIFY_OK(users.setDisabled(created->id, true));
        PARLANCE_VERIFY_OK(users.setRole(created->id, User::Role::Admin));
        account = lookup.findAccount(created->id);
        PARLANCE_VERIFY_OK(account);
        QCOMPARE(account->value().userId, created->id);
        QCOMPARE(account->value().role, u"admin"_s);
        QVERIFY(account->value().disabled);
        const auto user = users.findById(created->id);
        QVERIFY(user.value()->disabled);
        QVERIFY(user.value()->isAdmin());

        PARLANCE_VERIFY_OK(users.setDisabled(created->id, false));
        QVERIFY(!lookup.findAccount(created->id).value()->disabled);
    }

    void tierAndDisplayName()
    {
        UserRepository users(m_db->database());
        const auto created = users.create(u"fay@example.com"_s, u"h"_s);
        PARLANCE_VERIFY_OK(users.setTier(created->id, u"enterprise"_s));
        PARLANCE_VERIFY_OK(users.setDisplayName(created->id, u"Fay ✨"_s));
        const auto user = users.findById(created->id);
        QCOMPARE(user.value()->tier, u"enterprise"_s);
        QCOMPARE(user.value()->displayName, u"Fay ✨"_s);
    }

    void unknownIdIsNotFound()
    {
        UserRepository users(m_db->database());
        const QString ghost = u"00000000-0000-7000-8000-000000000000"_s;
        const auto found = users.findById(ghost);
        PARLANCE_VERIFY_OK(found);
        QVERIFY(!found->has_value());
        const auto account = users.findAccount(ghost);
        PARLANCE_VERIFY_OK(account);
        QVERIFY(!account->has_value());
        QCOMPARE(users.setDisabled(ghost, true).error().code, QString(errc::NotFound));
        QCOMPARE(users.setRole(ghost, User::Role::Admin).error().code, QString(errc::NotFound));
        QCOMPARE(users.setPasswordHash(ghost, u"x"_s).error().code, QString(errc::NotFound));
    }

    void countsUsers()
    {
        UserRepository users(m_db->database());
        QCOMPARE(users.count().value(), 0);
        for (int i = 0; i < 5; ++i)
            PARLANCE_VERIFY_OK(users.create(u"u%1@example.com"_s.arg(i), u"h"_s));
        QCOMPARE(users.count().value(), 5);
    }
};

QTEST_GUILESS_MAIN(TestUserRepository)
#include "tst_userrepository.moc"
