#include "benchseed.h"

#include "auth/accesstokenservice.h"
#include "auth/jwtkeyring.h"
#include "auth/passwordhasher.h"
#include "conversations/conversationservice.h"
#include "storage/database.h"
#include "storage/migrator.h"
#include "storage/sql.h"
#include "storage/userrepository.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace parlance::bench {

namespace {

QList<ContentPart> text(const QString &value)
{
    ContentPart part;
    part.type = ContentPart::Type::Text;
    part.text = value;
    return { part };
}

// A user turn and an assistant answer of realistic length (~200 and ~800
// characters), so the history page is not an empty-string benchmark.
QString userText(int i)
{
    return u"Question %1: how would you structure a small C++ service that stores chat "
           u"messages, answers list and history queries quickly, and survives restarts? "
           u"Please keep it short and mention the trade-offs."_s.arg(i);
}

QString assistantText(int i)
{
    QString answer = u"Answer %1. "_s.arg(i);
    while (answer.size() < 800)
        answer += u"Keep one writer per database file, index by (user, last activity), page "
                  u"with a keyset cursor, and batch what can be batched. "_s;
    return answer;
}

} // namespace

Result<QList<SeededUser>> seedDatabase(const QString &databaseUrl, const QString &dataDir,
                                       const SeedPlan &plan, const QString &jwtKeySpec)
{
    auto url = DatabaseUrl::parse(databaseUrl, dataDir);
    if (!url)
        return url.error();
    Database database(*url);
    if (auto migrated = Migrator(database).migrate(); !migrated)
        return migrated.error();
    if (database.dialect().isPostgreSql()) {
        auto connection = database.connection();
        if (!connection)
            return connection.error();
        // Only this seeding session skips the commit flush; the server's own
        // connections keep synchronous_commit on.
        if (auto set = sql::execRaw(*connection, u"SET synchronous_commit = off"_s); !set)
            return set.error();
    }

    // One real Argon2id hash, shared by every bench user: a login then costs
    // exactly what a production login costs.
    auto hasher = PasswordHasher::create();
    if (!hasher)
        return hasher.error();
    auto passwordHash = hasher->hash(plan.password);
    if (!passwordHash)
        return passwordHash.error();

    auto secret = JwtKeyRing::secretFromSpec(jwtKeySpec);
    if (!secret)
        return secret.error();
    auto ring = JwtKeyRing::create({ u"k1"_s, *secret });
    if (!ring)
        return ring.error();
    AccessTokenSettings tokenSettings;
    tokenSettings.lifetime = std::chrono::hours(12); // Outlives the longest run.
    const AccessTokenService tokens(*ring, tokenSettings);

    UserRepository users(database);
    // The built-in `demo` model: parlanced serves it from the simulator.
    ConversationService conversations(database,
                                      ConversationServiceOptions { .defaultModel = u"demo"_s });
    QList<SeededUser> seeded;
    for (int u = 0; u < plan.users; ++u) {
        SeededUser user;
        user.email = u"bench-user-%1@example.com"_s.arg(u);
        auto created = users.create(user.email, *passwordHash);
        if (!created)
            return created.error();
        user.id = created->id;
        auto token = tokens.issue(user.id, u"user"_s);
        if (!token)
            return token.error();
        user.token = token->token.toLatin1();

        // The history conversation first, so it is the oldest and the list
        // page is made of the plain ones.
        ConversationDraft draft;
        draft.title = u"History %1"_s.arg(u);
        auto history = conversations.createConversation(user.id, draft);
        if (!history)
            return history.error();
        user.historyConversationId = history->id;
        for (int m = 0; m < plan.historyMessages; ++m) {
            NewMessage message;
            message.role = m % 2 == 0 ? Message::Role::User : Message::Role::Assistant;
            message.content = text(m % 2 == 0 ? userText(m) : assistantText(m));
            if (message.role == Message::Role::Assistant)
                message.model = u"demo"_s;
            auto appended = conversations.appendMessage(user.id, history->id, message);
            if (!appended)
                return appended.error();
        }
        for (int c = 0; c < plan.conversationsPerUser; ++c) {
            draft.title = u"Conversation %1 of user %2"_s.arg(c).arg(u);
            draft.tags = c % 3 == 0 ? QStringList { u"work"_s } : QStringList {};
            auto conversation = conversations.createConversation(user.id, draft);
            if (!conversation)
                return conversation.error();
            user.conversationIds.append(conversation->id);
        }
        seeded.append(user);
    }
    database.closeThreadConnection();
    return seeded;
}

Result<qint64> countMessages(const QString &databaseUrl, const QString &dataDir)
{
    auto url = DatabaseUrl::parse(databaseUrl, dataDir);
    if (!url)
        return url.error();
    Database database(*url);
    qint64 count = 0;
    {
        auto connection = database.connection();
        if (!connection)
            return connection.error();
        auto query = sql::exec(*connection, u"SELECT COUNT(*) FROM messages"_s);
        if (!query)
            return query.error();
        sql::Query &rows = query.value();
        if (rows.next())
            count = rows.value(0).toLongLong();
    }
    database.closeThreadConnection();
    return count;
}

} // namespace parlance::bench
