#include "storage/statementcache.h"

#include <QHash>
#include <QSqlDriver>

#include <list>

using namespace Qt::StringLiterals;

namespace parlance::sql {

struct StatementCache::Entry
{
    QString statement;
    QSqlQuery query;
    qsizetype placeholders = 0;
};

struct StatementCache::Data
{
    const QSqlDriver *driver = nullptr;
    std::list<Entry> entries; // most recently returned first
    QHash<QString, std::list<Entry>::iterator> index;
};

namespace {

// Keyed by connection name: Database names every connection uniquely and
// uses it on one thread only, so a per-thread map needs no lock.
using Registry = QHash<QString, std::shared_ptr<StatementCache>>;

Registry &registry()
{
    thread_local Registry caches;
    return caches;
}

} // namespace

bool forwardOnlyFor(const QSqlDatabase &db)
{
    // QSQLITE: a forward-only query keeps one row, any other caches every row
    // it has read. QPSQL: a forward-only query runs in libpq's single-row
    // mode, one PGresult per row (allocated, its column descriptions copied,
    // freed): for a 51-row list page that was a visible share of the worker's
    // CPU. Otherwise libpq receives the whole result into one PGresult and
    // next() only moves an index. Our results are pages (≤ 201 rows) or ids,
    // so holding one whole result is cheap.
    return db.driverName() != "QPSQL"_L1;
}

Query::Query(QSqlQuery query)
    : m_query(std::move(query))
{ }

Query::~Query()
{
    release();
}

Query::Query(Query &&other) noexcept
    : m_query(std::move(other.m_query))
    , m_home(std::move(other.m_home))
    , m_statement(std::move(other.m_statement))
    , m_placeholders(other.m_placeholders)
{
    other.m_home.reset();
}

Query &Query::operator=(Query &&other) noexcept
{
    if (this != &other) {
        release();
        m_query = std::move(other.m_query);
        m_home = std::move(other.m_home);
        m_statement = std::move(other.m_statement);
        m_placeholders = other.m_placeholders;
        other.m_home.reset();
    }
    return *this;
}

void Query::release()
{
    if (const auto home = m_home.lock())
        home->giveBack(*this);
    m_home.reset();
    m_query = QSqlQuery();
}

StatementCache::StatementCache()
    : d(std::make_unique<Data>())
{ }

StatementCache::~StatementCache() = default;

std::shared_ptr<StatementCache> StatementCache::forConnection(const QSqlDatabase &db)
{
    auto &cache = registry()[db.connectionName()];
    // A different driver under the same name: the connection was removed and
    // added again, so nothing cached belongs to it.
    if (!cache || cache->d->driver != db.driver()) {
        cache = std::make_shared<StatementCache>();
        cache->d->driver = db.driver();
    }
    return cache;
}

void StatementCache::drop(const QSqlDatabase &db)
{
    const auto found = registry().find(db.connectionName());
    if (found == registry().end())
        return;
    // Finalize (SQLite) or DEALLOCATE (PostgreSQL) now, while the connection
    // is still open; Queries still out see an expired cache and destroy theirs.
    const std::shared_ptr<StatementCache> cache = std::move(found.value());
    registry().erase(found);
    cache->d->index.clear();
    cache->d->entries.clear();
}

Query StatementCache::take(const QSqlDatabase &db, const QString &statement)
{
    Query out;
    if (const auto found = d->index.constFind(statement); found != d->index.cend()) {
        const auto it = found.value();
        out.m_query = std::move(it->query);
        out.m_placeholders = it->placeholders;
        d->entries.erase(it);
        d->index.erase(found);
    } else {
        out.m_query = QSqlQuery(db);
        out.m_query.setForwardOnly(forwardOnlyFor(db));
        if (!out.m_query.prepare(statement))
            return out; // not cacheable: the caller reads lastError()
        out.m_placeholders = countPlaceholders(statement);
    }
    out.m_home = weak_from_this();
    out.m_statement = statement;
    return out;
}

void StatementCache::giveBack(Query &query)
{
    // Reset now: an unfinished SQLite SELECT would keep its read transaction
    // (and so an old snapshot) open until the statement runs again.
    query.m_query.finish();
    if (d->index.contains(query.m_statement))
        return; // a second copy, prepared while the first was out
    d->entries.push_front(
        Entry { query.m_statement, std::move(query.m_query), query.m_placeholders });
    d->index.insert(query.m_statement, d->entries.begin());
    if (d->entries.size() > size_t(Capacity)) {
        d->index.remove(d->entries.back().statement);
        d->entries.pop_back();
    }
}

int StatementCache::size() const
{
    return int(d->entries.size());
}

bool isCacheableStatement(QStringView statement)
{
    statement = statement.trimmed();
    static const QLatin1StringView kinds[] = { "SELECT"_L1, "INSERT"_L1, "UPDATE"_L1, "DELETE"_L1,
                                               "WITH"_L1 };
    for (const QLatin1StringView word : kinds) {
        if (statement.size() > word.size()
            && statement.first(word.size()).compare(word, Qt::CaseInsensitive) == 0
            && !statement[word.size()].isLetterOrNumber())
            return true;
    }
    return false;
}

qsizetype countPlaceholders(QStringView statement)
{
    qsizetype count = 0;
    const qsizetype n = statement.size();
    qsizetype i = 0;
    while (i < n) {
        const QChar c = statement[i];
        qsizetype end = i + 1;
        if (c == u'\'' || c == u'"') {
            const qsizetype close = statement.indexOf(c, i + 1);
            end = close < 0 ? n : close + 1;
        } else if (c == u'-' && i + 1 < n && statement[i + 1] == u'-') {
            const qsizetype nl = statement.indexOf(u'\n', i);
            end = nl < 0 ? n : nl + 1;
        } else if (c == u'/' && i + 1 < n && statement[i + 1] == u'*') {
            const qsizetype close = statement.indexOf(u"*/", i + 2);
            end = close < 0 ? n : close + 2;
        } else if (c == u'?') {
            ++count;
        }
        i = end;
    }
    return count;
}

} // namespace parlance::sql
