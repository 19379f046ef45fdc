#include "localcache.h"

#include "contract/errorcodes.h"
#include "domain/jsonwriter.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace parlance::client {

namespace {

constexpr int SchemaVersion = 1;

QJsonObject fromBlob(const QVariant &value)
{
    return QJsonDocument::fromJson(value.toByteArray()).object();
}

bool inMainList(const Conversation &c)
{
    return !c.archived && !c.isDeleted();
}

} // namespace

LocalCache::LocalCache() = default;

LocalCache::~LocalCache()
{
    close();
}

QString LocalCache::pathFor(const QString &dataDir, const QString &serverUrl, const QString &userId)
{
    const QByteArray key = serverUrl.toUtf8() + '\n' + userId.toUtf8();
    const QString name = QString::fromLatin1(
        QCryptographicHash::hash(key, QCryptographicHash::Sha256).toHex().left(32));
    return QDir(dataDir).filePath(u"cache/"_s + name + u".sqlite"_s);
}

Status LocalCache::open(const QString &path)
{
    close();
    QDir().mkpath(QFileInfo(path).absolutePath());
    for (int attempt = 0; attempt < 2; ++attempt) {
        m_connection = u"parlance-cache-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
        m_path = path;
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connection);
        db.setDatabaseName(path);
        if (db.open()) {
            if (createSchema())
                return Done {};
        }
        // Not a usable cache: it is only a copy, so start over once.
        close();
        QFile::remove(path);
        QFile::remove(path + u"-wal"_s);
        QFile::remove(path + u"-shm"_s);
    }
    return ApiError { QString(errc::CacheError),
                      u"Cannot open the local cache at %1."_s.arg(path),
                      {} };
}

void LocalCache::close()
{
    if (m_connection.isEmpty())
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
    m_connection.clear();
}

Status LocalCache::fail(const QString &what) const
{
    return ApiError { QString(errc::CacheError), u"Local cache: %1"_s.arg(what), {} };
}

Status LocalCache::rollback(QSqlDatabase &db, const QString &what) const
{
    db.rollback();
    return fail(what);
}

Status LocalCache::createSchema()
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    if (!q.exec(u"PRAGMA user_version"_s) || !q.next())
        return fail(q.lastError().text());
    const int version = q.value(0).toInt();
    if (version == SchemaVersion)
        return Done {};
    if (version != 0)
        return fail(u"unknown schema version %1"_s.arg(version));
    const QStringList statements {
        u"PRAGMA journal_mode=WAL"_s,
        u"CREATE TABLE IF NOT EXISTS conversations (id TEXT PRIMARY KEY, position INTEGER NOT NULL, json BLOB NOT NULL)"_s,
        u"CREATE TABLE IF NOT EXISTS messages (conversation_id TEXT NOT NULL, position INTEGER NOT NULL, json BLOB NOT NULL, PRIMARY KEY (conversation_id, position))"_s,
        u"CREATE TABLE IF NOT EXISTS opened (conversation_id TEXT PRIMARY KEY, opened_at INTEGER NOT NULL)"_s,
        u"PRAGMA user_version = %1"_s.arg(SchemaVersion),
    };
    for (const QString &sql : statements) {
        if (!q.exec(sql))
            return fail(q.lastError().text());
    }
    return Done {};
}

Status LocalCache::saveConversations(const QList<Conversation> &conversations)
{
    if (!isOpen())
        return Done {};
    QSqlDatabase db = QSqlDatabase::database(m_connection);
    db.transaction();
    QSqlQuery q(db);
    if (!q.exec(u"DELETE FROM conversations"_s))
        return rollback(db, q.lastError().text());
    q.prepare(u"INSERT OR REPLACE INTO conversations (id, position, json) VALUES (?, ?, ?)"_s);
    int position = 0;
    for (const Conversation &c : conversations) {
        if (!inMainList(c))
            continue;
        if (position >= MaxConversations)
            break;
        q.addBindValue(c.id);
        q.addBindValue(position++);
        q.addBindValue(toJsonText(c));
        if (!q.exec())
            return rollback(db, q.lastError().text());
    }
    return db.commit() ? Done {} : fail(db.lastError().text());
}

QList<Conversation> LocalCache::conversations() const
{
    QList<Conversation> out;
    if (!isOpen())
        return out;
    QSqlQuery q(QSqlDatabase::database(m_connection));
    if (!q.exec(u"SELECT json FROM conversations ORDER BY position"_s))
        return out;
    while (q.next()) {
        if (auto c = Conversation::fromJson(fromBlob(q.value(0))))
            out.append(*c);
    }
    return out;
}

Status LocalCache::upsertConversation(const Conversation &conversation)
{
    if (!isOpen())
        return Done {};
    QSqlQuery q(QSqlDatabase::database(m_connection));
    if (!inMainList(conversation)) {
        q.prepare(u"DELETE FROM conversations WHERE id = ?"_s);
        q.addBindValue(conversation.id);
        return q.exec() ? Done {} : fail(q.lastError().text());
    }
    // Order is re-derived by the list model; new rows go first.
    q.prepare(u"INSERT INTO conversations (id, position, json) "
              "VALUES (?, (SELECT COALESCE(MIN(position), 0) - 1 FROM conversations), ?) "
              "ON CONFLICT (id) DO UPDATE SET json = excluded.json"_s);
    q.addBindValue(conversation.id);
    q.addBindValue(toJsonText(conversation));
    return q.exec() ? Done {} : fail(q.lastError().text());
}

Status LocalCache::saveMessages(const QString &conversationId, const QList<Message> &messages)
{
    if (!isOpen())
        return Done {};
    QSqlDatabase db = QSqlDatabase::database(m_connection);
    db.transaction();
    QSqlQuery q(db);
    q.prepare(u"DELETE FROM messages WHERE conversation_id = ?"_s);
    q.addBindValue(conversationId);
    if (!q.exec())
        return rollback(db, q.lastError().text());
    q.prepare(u"INSERT INTO messages (conversation_id, position, json) VALUES (?, ?, ?)"_s);
    const auto first = std::max<qsizetype>(0, messages.size() - MaxMessagesPerConversation);
    for (auto i = first; i < messages.size(); ++i) {
        const Message &m = messages.at(i);
        if (!m.isFinal() || m.id.startsWith(u"local:"_s))
            continue; // half-streamed or not yet stored: the server has the truth
        q.addBindValue(conversationId);
        q.addBindValue(int(i - first));
        q.addBindValue(toJsonText(m));
        if (!q.exec())
            return rollback(db, q.lastError().text());
    }
    q.prepare(u"INSERT OR REPLACE INTO opened (conversation_id, opened_at) VALUES (?, ?)"_s);
    q.addBindValue(conversationId);
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    if (!q.exec())
        return rollback(db, q.lastError().text());
    // Keep the messages of the most recently opened conversations only.
    q.prepare(u"DELETE FROM messages WHERE conversation_id IN (SELECT conversation_id FROM opened "
              "ORDER BY opened_at DESC LIMIT -1 OFFSET ?)"_s);
    q.addBindValue(MaxCachedConversationsWithMessages);
    if (!q.exec())
        return rollback(db, q.lastError().text());
    q.prepare(u"DELETE FROM opened WHERE conversation_id NOT IN (SELECT DISTINCT conversation_id "
              "FROM messages)"_s);
    if (!q.exec())
        return rollback(db, q.lastError().text());
    return db.commit() ? Done {} : fail(db.lastError().text());
}

QList<Message> LocalCache::messages(const QString &conversationId) const
{
    QList<Message> out;
    if (!isOpen())
        return out;
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(u"SELECT json FROM messages WHERE conversation_id = ? ORDER BY position"_s);
    q.addBindValue(conversationId);
    if (!q.exec())
        return out;
    while (q.next()) {
        if (auto m = Message::fromJson(fromBlob(q.value(0))))
            out.append(*m);
    }
    return out;
}

Status LocalCache::clear()
{
    if (!isOpen())
        return Done {};
    QSqlQuery q(QSqlDatabase::database(m_connection));
    for (const auto &table : { u"messages"_s, u"conversations"_s, u"opened"_s }) {
        if (!q.exec(u"DELETE FROM "_s + table))
            return fail(q.lastError().text());
    }
    return Done {};
}

} // namespace parlance::client
