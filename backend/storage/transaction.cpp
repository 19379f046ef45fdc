#include "storage/transaction.h"

#include "storage/sql.h"
#include "storage/sqlitewritelock.h"
#include "storage/storagelog.h"

using namespace Qt::StringLiterals;

namespace parlance {

Transaction::Transaction(QSqlDatabase db)
    : m_db(std::move(db))
    , m_dialect(sql::dialectOf(m_db))
{ }

Transaction::~Transaction()
{
    if (m_active)
        rollback();
}

Status Transaction::begin()
{
    Q_ASSERT(!m_active);
    m_writeLock = SqliteWriteLock::forConnection(m_db);
    if (m_writeLock)
        m_writeLock->lock();
    auto status = sql::execRaw(m_db, m_dialect.beginTransaction());
    if (status.ok()) {
        m_active = true;
    } else if (m_writeLock) {
        m_writeLock->unlock();
        m_writeLock = nullptr;
    }
    return status;
}

Status Transaction::commit()
{
    Q_ASSERT(m_active);
    auto status = sql::execRaw(m_db, u"COMMIT"_s);
    if (status.ok()) {
        m_active = false;
        releaseWriteLock();
        return status;
    }
    // A failed COMMIT leaves SQLite inside the transaction (e.g. "SQL
    // statements in progress"); roll back so the connection is usable again.
    rollback();
    return status;
}

void Transaction::rollback()
{
    if (!m_active)
        return;
    m_active = false;
    // A lost connection was rolled back by the server already.
    if (m_db.isOpen() && !sql::execRaw(m_db, u"ROLLBACK"_s).ok())
        qCWarning(lcStorage) << "rollback failed";
    releaseWriteLock();
}

void Transaction::releaseWriteLock()
{
    if (m_writeLock) {
        m_writeLock->unlock();
        m_writeLock = nullptr;
    }
}

} // namespace parlance
