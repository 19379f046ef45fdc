#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace parlance::bench {

struct SeedPlan
{
    int users = 64;
    // More than one list page (50), so the list query has rows to skip.
    int conversationsPerUser = 60;
    // One conversation per user gets this many messages (the history row).
    int historyMessages = 50;
    QString password = QStringLiteral("bench-password-1234");
};

struct SeededUser
{
    QString id;
    QString email;
    QByteArray token; // Access token for the server's signing key.
    QString historyConversationId;
    QStringList conversationIds; // Without the history one.
};

// Users, conversations and 50-message histories written through the
// repositories and the ConversationService before the server starts (the same
// rows the API would write, without paying HTTP for set-up). Tokens are
// minted with `jwtKeySpec` (the key the server gets in PARLANCE_JWT_KEY).
[[nodiscard]] Result<QList<SeededUser>> seedDatabase(const QString &databaseUrl,
                                                     const QString &dataDir, const SeedPlan &plan,
                                                     const QString &jwtKeySpec);

// Rows in `messages`, read on a connection of our own while the server runs.
[[nodiscard]] Result<qint64> countMessages(const QString &databaseUrl, const QString &dataDir);

} // namespace parlance::bench
