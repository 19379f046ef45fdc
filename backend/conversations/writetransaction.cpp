#include "conversations/writetransaction.h"

#include "storage/sql.h"

using namespace Qt::StringLiterals;

namespace parlance {

WriteTransaction::WriteTransaction(QSqlDatabase db)
    : m_db(std::move(db))
{ }

WriteTransaction::~WriteTransaction()
{
    if (m_open)
        (void)sql::execRaw(m_db, u"ROLLBACK"_s);
}

Status WriteTransaction::begin()
{
    Status started = sql::execRaw(m_db, sql::dialectOf(m_db).beginTransaction());
    m_open = started.ok();
    return started;
}

Status WriteTransaction::commit()
{
    Status committed = sql::execRaw(m_db, u"COMMIT"_s);
    if (committed.ok())
        m_open = false;
    return committed;
}

} // namespace parlance
