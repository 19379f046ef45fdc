#pragma once

#include "common/result.h"
#include "domain/conversation.h"
#include "domain/message.h"

#include <QList>
#include <QString>

class QSqlDatabase;

namespace parlance::client {

// One account's cache on one server: a SQLite file holding the newest
// conversations of the main list and the newest messages of recently opened
// conversations, as the server's JSON. It is a copy, never the truth: each
// save replaces what was there, and it is thrown away on sign-out. Small
// synchronous writes (tens of rows in one transaction) on the GUI thread.
class LocalCache
{
public:
    static constexpr int MaxConversations = 200;
    static constexpr int MaxMessagesPerConversation = 100;
    static constexpr int MaxCachedConversationsWithMessages = 50;

    LocalCache();
    ~LocalCache();
    LocalCache(const LocalCache &) = delete;
    LocalCache &operator=(const LocalCache &) = delete;

    // Opens (creating) the file; a file that is not a usable cache (corrupt,
    // from a newer schema) is replaced by an empty one.
    [[nodiscard]] Status open(const QString &path);
    void close();
    [[nodiscard]] bool isOpen() const { return !m_connection.isEmpty(); }
    [[nodiscard]] QString path() const { return m_path; }

    // The main list (not archived, not deleted), newest first.
    [[nodiscard]] Status saveConversations(const QList<Conversation> &conversations);
    [[nodiscard]] QList<Conversation> conversations() const;
    // One conversation changed (renamed, new activity); deleted or archived
    // ones leave the list.
    [[nodiscard]] Status upsertConversation(const Conversation &conversation);

    // The selected branch's newest messages of one conversation, oldest first.
    [[nodiscard]] Status saveMessages(const QString &conversationId,
                                      const QList<Message> &messages);
    [[nodiscard]] QList<Message> messages(const QString &conversationId) const;

    // Forget everything (sign-out); the file stays, empty.
    [[nodiscard]] Status clear();

    // Where an account's cache lives: <dataDir>/cache/<hash of server + user>.sqlite.
    [[nodiscard]] static QString pathFor(const QString &dataDir, const QString &serverUrl,
                                         const QString &userId);

private:
    [[nodiscard]] Status createSchema();
    [[nodiscard]] Status fail(const QString &what) const;
    [[nodiscard]] Status rollback(QSqlDatabase &db, const QString &what) const;

    QString m_connection;
    QString m_path;
};

} // namespace parlance::client
