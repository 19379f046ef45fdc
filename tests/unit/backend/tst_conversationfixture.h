#pragma once

// Shared set-up of the conversation tests (tst_conversation*, tst_message*,
// tst_folder*): one migrated database per suite, emptied before each test,
// two users, and a clock the test moves by hand.
#include "auth/authclock.h"
#include "storage/userrepository.h"
#include "testdatabase.h"

#include <QDateTime>

#include <memory>

namespace parlance::test {

class ConversationFixture
{
public:
    [[nodiscard]] bool open()
    {
        m_db = TestDatabase::create();
        return m_db != nullptr;
    }
    void close() { m_db.reset(); }

    // Empties the database, makes Alice and Bob, and sets the clock back.
    [[nodiscard]] Status reset()
    {
        if (auto cleared = m_db->clear(); !cleared)
            return cleared;
        *m_now = QDateTime::fromMSecsSinceEpoch(1'767'225'600'000, Qt::UTC); // 2026-01-01
        UserRepository users(m_db->database());
        auto alice = users.create(QStringLiteral("alice@example.com"), QStringLiteral("x"));
        if (!alice)
            return alice.error();
        auto bob = users.create(QStringLiteral("bob@example.com"), QStringLiteral("x"));
        if (!bob)
            return bob.error();
        m_alice = alice->id;
        m_bob = bob->id;
        return Done {};
    }

    [[nodiscard]] Database &database() { return m_db->database(); }
    [[nodiscard]] bool isPostgreSql() const { return m_db->isPostgreSql(); }
    [[nodiscard]] const QString &alice() const { return m_alice; }
    [[nodiscard]] const QString &bob() const { return m_bob; }

    [[nodiscard]] WallClock clock() const
    {
        return [now = m_now] { return *now; };
    }
    [[nodiscard]] QDateTime now() const { return *m_now; }
    void advanceMs(qint64 ms) { *m_now = m_now->addMSecs(ms); }
    void advanceDays(int days) { *m_now = m_now->addDays(days); }

private:
    std::unique_ptr<TestDatabase> m_db;
    std::shared_ptr<QDateTime> m_now = std::make_shared<QDateTime>();
    QString m_alice;
    QString m_bob;
};

} // namespace parlance::test
