// RefreshTokenRepository on SQLite and PostgreSQL: storage for rotating
// refresh tokens, including the conditional rotation that lets exactly one of
// two concurrent refreshes win.
#include "auth/refreshtokenservice.h"
#include "contract/errorcodes.h"
#include "storage/refreshtokenrepository.h"
#include "storage/sql.h"
#include "storage/userrepository.h"
#include "testdatabase.h"

#include <QCryptographicHash>
#include <QSemaphore>
#include <QThread>

using namespace Qt::StringLiterals;
using namespace parlance;
using parlance::test::TestDatabase;

namespace {

const QDateTime kT0 = QDateTime(QDate(2026, 11, 1), QTime(9, 0, 0, 250), Qt::UTC);

RefreshTokenRecord record(const QString &userId, const QString &familyId, const QByteArray &seed)
{
    RefreshTokenRecord r;
    r.id = sql::newId();
    r.familyId = familyId;
    r.userId = userId;
    r.tokenHash = QCryptographicHash::hash(seed, QCryptographicHash::Sha256);
    r.createdAt = kT0;
    r.expiresAt = kT0.addDays(30);
    r.familyExpiresAt = kT0.addDays(90);
    return r;
}

} // namespace

class TestRefreshTokenRepository : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestDatabase> m_db;
    QString m_alice;
    QString m_bob;

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
        UserRepository users(m_db->database());
        m_alice = users.create(u"alice@example.com"_s, u"h"_s).value().id;
        m_bob = users.create(u"bob@example.com"_s, u"h"_s).value().id;
    }

    void insertThenFindByHashRoundTrips()
    {
        RefreshTokenRepository tokens(m_db->database());
        const RefreshTokenRecord r = record(m_alice, sql::newId(), "a");
        PARLANCE_VERIFY_OK(tokens.insert(r));
        const auto found = tokens.findByHash(r.tokenHash);
        PARLANCE_VERIFY_OK(found);
        QVERIFY(found->has_value());
        QCOMPARE(found->value(), r);
        QVERIFY(!found->value().usedAt.has_value());
        QVERIFY(found->value().replacedBy.isEmpty());
    }

    void unknownHashIsNothing()
    {
        RefreshTokenRepository tokens(m_db->database());
        const auto found = tokens.findByHash(QByteArray(32, '\0'));
        PARLANCE_VERIFY_OK(found);
        QVERIFY(!found->has_value());
    }

    void duplicateHashIsRefused()
    {
        RefreshTokenRepository tokens(m_db->database());
        PARLANCE_VERIFY_OK(tokens.insert(record(m_alice, sql::newId(), "same")));
        const auto again = tokens.insert(record(m_bob, sql::newId(), "same"));
        QVERIFY(!again.ok());
        QCOMPARE(again.error().code, QString(errc::Internal));
    }

    void rotateSucceedsOnce()
    {
        RefreshTokenRepository tokens(m_db->database());
        const QString family = sql::newId();
        const RefreshTokenRecord first = record(m_alice, family, "1");
        PARLANCE_VERIFY_OK(tokens.insert(first));
        const RefreshTokenRecord second = record(m_alice, family, "2");
        const QDateTime at = kT0.addSecs(60);

        const auto rotated = tokens.rotate(first.id, second, at);
        PARLANCE_VERIFY_OK(rotated);
        QVERIFY(rotated.value());
        const auto used = tokens.findByHash(first.tokenHash).value();
        QCOMPARE(used->usedAt, std::optional<QDateTime>(at));
        QCOMPARE(used->replacedBy, second.id);
        QCOMPARE(tokens.findByHash(second.tokenHash).value(),
                 std::optional<RefreshTokenRecord>(second));

        // Presenting the used token again: refused, and nothing is written.
        const RefreshTokenRecord third = record(m_alice, family, "3");
        const auto reused = tokens.rotate(first.id, third, at.addSecs(1));
        PARLANCE_VERIFY_OK(reused);
        QVERIFY(!reused.value());
        QVERIFY(!tokens.findByHash(third.tokenHash).value().has_value());
        QCOMPARE(tokens.findByHash(first.tokenHash).value()->replacedBy, second.id);
    }

    void revokedTokenDoesNotRotate()
    {
        RefreshTokenRepository tokens(m_db->database());
        const QString family = sql::newId();
        const RefreshTokenRecord first = record(m_alice, family, "1");
        PARLANCE_VERIFY_OK(tokens.insert(first));
        QCOMPARE(tokens.revokeFamily(family, kT0).value(), 1);
        const RefreshTokenRecord next = record(m_alice, family, "2");
        const auto rotated = tokens.rotate(first.id, next, kT0.addSecs(5));
        PARLANCE_VERIFY_OK(rotated);
        QVERIFY(!rotated.value());
        QVERIFY(!tokens.findByHash(next.tokenHash).value().has_value());
    }

    // Two refreshes with the same token at the same moment, each on its own
    // thread and connection: exactly one wins, whatever the interleaving.
    void concurrentRotationsHaveOneWinner()
    {
        constexpr int Racers = 4;
        constexpr int Rounds = 5;
        for (int round = 0; round < Rounds; ++round) {
            RefreshTokenRepository setup(m_db->database());
            const QString family = sql::newId();
            const RefreshTokenRecord original =
                record(m_alice, family, "r" + QByteArray::number(round));
            PARLANCE_VERIFY_OK(setup.insert(original));

            QList<int> outcome(Racers, -1); // 1 won, 0 lost, 2 error
            QSemaphore ready;
            QSemaphore go;
            QList<QThread *> threads;
            Database &database = m_db->database();
            for (int i = 0; i < Racers; ++i) {
                threads.append(QThread::create([&, i] {
                    RefreshTokenRepository tokens(database);
                    (void)database.connection();
                    ready.release();
                    go.acquire();
                    const auto replacement =
                        record(m_alice, family,
                               "r" + QByteArray::number(round) + "-" + QByteArray::number(i));
                    const auto rotated = tokens.rotate(original.id, replacement, kT0.addSecs(i));
                    outcome[i] = rotated.ok() ? (rotated.value() ? 1 : 0) : 2;
                }));
                threads.last()->start();
            }
            ready.acquire(Racers);
            go.release(Racers);
            for (QThread *thread : threads) {
                QVERIFY(thread->wait(60000));
                delete thread;
            }
            QCOMPARE(outcome.count(2), 0);
            QCOMPARE(outcome.count(1), 1);
            QCOMPARE(outcome.count(0), Racers - 1);
            // The winner's successor is the one recorded.
            const auto used = setup.findByHash(original.tokenHash).value();
            QVERIFY(used->usedAt.has_value());
            const int winner = int(outcome.indexOf(1));
            const QByteArray winnerSeed =
                "r" + QByteArray::number(round) + "-" + QByteArray::number(winner);
            const auto successor =
                setup.findByHash(QCryptographicHash::hash(winnerSeed, QCryptographicHash::Sha256));
            QVERIFY(successor.value().has_value());
            QCOMPARE(successor.value()->id, used->replacedBy);
        }
    }

    void revokeFamilyTouchesOnlyThatFamily()
    {
        RefreshTokenRepository tokens(m_db->database());
        const QString family = sql::newId();
        const QString other = sql::newId();
        PARLANCE_VERIFY_OK(tokens.insert(record(m_alice, family, "f1")));
        PARLANCE_VERIFY_OK(tokens.insert(record(m_alice, family, "f2")));
        PARLANCE_VERIFY_OK(tokens.insert(record(m_alice, other, "o1")));
        const QDateTime at = kT0.addSecs(3600);
        QCOMPARE(tokens.revokeFamily(family, at).value(), 2);
        QCOMPARE(tokens.revokeFamily(family, at.addSecs(1)).value(),
                 0); // already revoked: unchanged
        const auto f1 =
            tokens.findByHash(QCryptographicHash::hash("f1", QCryptographicHash::Sha256)).value();
        QCOMPARE(f1->revokedAt, std::optional<QDateTime>(at));
        const auto o1 =
            tokens.findByHash(QCryptographicHash::hash("o1", QCryptographicHash::Sha256)).value();
        QVERIFY(!o1->revokedAt.has_value());
    }

    void revokeAllForUserTouchesOnlyThatUser()
    {
        RefreshTokenRepository tokens(m_db->database());
        PARLANCE_VERIFY_OK(tokens.insert(record(m_alice, sql::newId(), "a1")));
        PARLANCE_VERIFY_OK(tokens.insert(record(m_alice, sql::newId(), "a2")));
        PARLANCE_VERIFY_OK(tokens.insert(record(m_bob, sql::newId(), "b1")));
        QCOMPARE(tokens.revokeAllForUser(m_alice, kT0).value(), 2);
        QCOMPARE(tokens.revokeAllForUser(m_alice, kT0).value(), 0);
        const auto b1 =
            tokens.findByHash(QCryptographicHash::hash("b1", QCryptographicHash::Sha256)).value();
        QVERIFY(!b1->revokedAt.has_value());
    }

    void deletingUserDeletesTheirTokens()
    {
        RefreshTokenRepository tokens(m_db->database());
        const RefreshTokenRecord r = record(m_bob, sql::newId(), "gone");
        PARLANCE_VERIFY_OK(tokens.insert(r));
        auto db = m_db->database().connection();
        PARLANCE_VERIFY_OK(sql::exec(*db, u"DELETE FROM users WHERE id = ?"_s, { m_bob }));
        QVERIFY(!tokens.findByHash(r.tokenHash).value().has_value());
    }

    void purgeRemovesEndedFamilies()
    {
        RefreshTokenRepository tokens(m_db->database());
        const RefreshTokenRecord r = record(m_alice, sql::newId(), "old");
        PARLANCE_VERIFY_OK(tokens.insert(r));
        QCOMPARE(tokens.purgeExpired(r.familyExpiresAt).value(), 0);
        QCOMPARE(tokens.purgeExpired(r.familyExpiresAt.addMSecs(1)).value(), 1);
        QVERIFY(!tokens.findByHash(r.tokenHash).value().has_value());
    }

    // The auth module's service on the real store: sign-in, refresh, reuse.
    void refreshTokenServiceWorksOnTheRealStore()
    {
        RefreshTokenRepository tokens(m_db->database());
        UserRepository users(m_db->database());
        RefreshTokenService service(tokens, users);
        const auto session = service.startSession(m_alice);
        PARLANCE_VERIFY_OK(session);
        const auto rotated = service.rotate(session->token);
        PARLANCE_VERIFY_OK(rotated);
        QCOMPARE(rotated->account.userId, m_alice);
        const auto reused = service.rotate(session->token);
        QVERIFY(!reused.ok());
        QCOMPARE(reused.error().code, QString(errc::TokenReused));
        // Reuse revoked the family: the successor is dead too.
        const auto successor = service.rotate(rotated->next.token);
        QVERIFY(!successor.ok());
    }
};

QTEST_GUILESS_MAIN(TestRefreshTokenRepository)
#include "tst_refreshtokenrepository.moc"
