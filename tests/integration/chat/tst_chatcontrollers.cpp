// ChatController and ConversationsController driving a real parlanced (with
// the provider simulator behind it) the way the QML views do: send, stream,
// stop, regenerate, switch branches, edit, rename, pin, delete and undo.
#include "api/apiclient.h"
#include "cache/localcache.h"
#include "controllers/chatcontroller.h"
#include "controllers/conversationscontroller.h"
#include "controllers/usagecontroller.h"
#include "models/conversationlistmodel.h"
#include "streamtestserver.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace parlance::client;

namespace {

constexpr int AnswerTimeoutMs = 20'000;

QString roleAt(const MessageListModel &model, int row, MessageListModel::Roles role)
{
    return model.data(model.index(row), role).toString();
}

} // namespace

class TestChatControllers : public QObject
{
    Q_OBJECT

private:
    StreamTestServer m_server;
    int m_users = 0;

    // A fresh account signed in through the ApiClient, as the session does.
    std::unique_ptr<ApiClient> signedInClient()
    {
        const QString email = u"chat%1@example.com"_s.arg(++m_users);
        if (m_server.registerUser(email).id.isEmpty())
            return nullptr;
        auto api = std::make_unique<ApiClient>();
        api->setBaseUrl(m_server.server.baseUrl());
        bool done = false;
        api->login(email, QString::fromLatin1(StreamTestServer::Password), api.get(),
                   [&done](parlance::Result<AuthSession> session) { done = bool(session); });
        if (!QTest::qWaitFor([&done] { return done; }, 10'000))
            return nullptr;
        return api;
    }

    // Sends and waits for the answer to end; its status.
    static QString sendAndWait(ChatController &chat, const QString &text)
    {
        QSignalSpy finished(&chat, &ChatController::answerFinished);
        if (!chat.send(text))
            return u"not sent: "_s + chat.errorMessage();
        if (!finished.wait(AnswerTimeoutMs))
            return u"no answer: "_s + chat.errorMessage();
        return finished.first().at(1).toString();
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_server.start(), qPrintable(m_server.error)); }
    void cleanupTestCase() { m_server.stop(); }

    void firstMessageCreatesTheConversationAndStreamsTheAnswer()
    {
        auto api = signedInClient();
        QVERIFY(api);
        ChatController chat(api.get());
        ConversationsController conversations(api.get());
        connect(&chat, &ChatController::conversationUpdated, &conversations,
                &ConversationsController::upsert);
        chat.newChat();

        QSignalSpy textChanges(chat.messages(), &QAbstractItemModel::dataChanged);
        QCOMPARE(sendAndWait(chat, u"Tell me about tides\nand the moon"_s), u"complete"_s);

        QVERIFY(!chat.conversationId().isEmpty());
        QCOMPARE(chat.title(), u"Tell me about tides"_s);
        QCOMPARE(chat.messages()->rowCount(), 2);
        QCOMPARE(roleAt(*chat.messages(), 0, MessageListModel::RoleRole), u"user"_s);
        QVERIFY(!roleAt(*chat.messages(), 0, MessageListModel::IdRole).startsWith(u"local:"_s));
        // The simulator echoes the question; it arrived in several deltas.
        QCOMPARE(roleAt(*chat.messages(), 1, MessageListModel::TextRole),
                 u"Tell me about tides\nand the moon"_s);
        QCOMPARE(roleAt(*chat.messages(), 1, MessageListModel::StatusRole), u"complete"_s);
        QVERIFY(textChanges.size() > 3);
        QVERIFY(!chat.isStreaming());

        // The sidebar got it without a reload, and a reload agrees.
        QCOMPARE(conversations.source()->rowCount(), 1);
        QCOMPARE(conversations.source()->conversations().first().title, u"Tell me about tides"_s);
        QSignalSpy loading(&conversations, &ConversationsController::loadingChanged);
        conversations.reload();
        QTRY_VERIFY(!conversations.isLoading());
        QCOMPARE(conversations.source()->rowCount(), 1);

        // Reopening shows the stored messages.
        ChatController reopened(api.get());
        QSignalSpy loaded(&reopened, &ChatController::loadingChanged);
        reopened.open(chat.conversationId());
        QTRY_COMPARE(reopened.messages()->rowCount(), 2);
        QCOMPARE(reopened.messages()->textAt(1), chat.messages()->textAt(1));
    }

    void stopEndsTheAnswerAsStopped()
    {
        auto api = signedInClient();
        QVERIFY(api);
        ChatController chat(api.get());
        QSignalSpy finished(&chat, &ChatController::answerFinished);
        QVERIFY(chat.send(u"long one [[sim: mode=lorem tokens=2000 tps=50]]"_s));
        QTRY_VERIFY_WITH_TIMEOUT(chat.messages()->rowCount() == 2
                                     && !chat.messages()->textAt(1).isEmpty(),
                                 AnswerTimeoutMs);
        QVERIFY(chat.isStreaming());
        chat.stop();
        QVERIFY(finished.wait(AnswerTimeoutMs));
        QCOMPARE(finished.first().at(1).toString(), u"stopped"_s);
        QCOMPARE(roleAt(*chat.messages(), 1, MessageListModel::StatusRole), u"stopped"_s);
        QVERIFY(!chat.messages()->textAt(1).isEmpty());
    }

    void comingBackToAStreamingChatFollowsItAgain()
    {
        auto api = signedInClient();
        QVERIFY(api);
        ChatController chat(api.get());
        QCOMPARE(sendAndWait(chat, u"another chat"_s), u"complete"_s);
        const QString other = chat.conversationId();
        chat.newChat();
        QVERIFY(chat.send(u"slow [[sim: mode=lorem tokens=60 tps=40]]"_s));
        QTRY_VERIFY_WITH_TIMEOUT(chat.messages()->rowCount() == 2
                                     && !chat.messages()->textAt(1).isEmpty(),
                                 AnswerTimeoutMs);
        const QString streaming = chat.conversationId();
        const QString answerId = roleAt(*chat.messages(), 1, MessageListModel::IdRole);

        chat.open(other); // away while it streams
        QVERIFY(!chat.isStreaming());
        QTRY_COMPARE(chat.messages()->rowCount(), 2);

        chat.open(streaming);
        // Followed again from the log (or, on a very slow machine, already
        // stored): either way it ends complete, in the same row.
        QTRY_VERIFY_WITH_TIMEOUT(chat.messages()->rowCount() == 2 && !chat.isStreaming()
                                     && roleAt(*chat.messages(), 1, MessageListModel::StatusRole)
                                         == u"complete"_s,
                                 AnswerTimeoutMs);
        QCOMPARE(roleAt(*chat.messages(), 1, MessageListModel::IdRole), answerId);
        const QString text = chat.messages()->textAt(1);
        ChatController fresh(api.get());
        fresh.open(streaming);
        QTRY_COMPARE(fresh.messages()->rowCount(), 2);
        QCOMPARE(fresh.messages()->textAt(1), text);
    }

    void providerFailureShowsAnErrorStatus()
    {
        auto api = signedInClient();
        QVERIFY(api);
        ChatController chat(api.get());
        QCOMPARE(sendAndWait(chat, u"x [[sim: fault=500]]"_s), u"error"_s);
        QVERIFY(!roleAt(*chat.messages(), 1, MessageListModel::ErrorMessageRole).isEmpty());
        // Retry (regenerate) replaces the failed answer in place; the directive
        // is still in the question, so the new answer fails the same way.
        QSignalSpy finished(&chat, &ChatController::answerFinished);
        chat.regenerate();
        QVERIFY(finished.wait(AnswerTimeoutMs));
        QCOMPARE(finished.first().at(1).toString(), u"error"_s);
        QCOMPARE(chat.messages()->rowCount(), 2);
    }

    void regenerateAddsASiblingAndSwitchingShowsEach()
    {
        auto api = signedInClient();
        QVERIFY(api);
        ChatController chat(api.get());
        QCOMPARE(sendAndWait(chat, u"pick a word [[sim: mode=lorem tokens=6]]"_s), u"complete"_s);
        const QString first = chat.messages()->textAt(1);

        QSignalSpy finished(&chat, &ChatController::answerFinished);
        chat.regenerate();
        QVERIFY(finished.wait(AnswerTimeoutMs));
        QCOMPARE(chat.messages()->rowCount(), 2);
        QCOMPARE(chat.messages()
                     ->data(chat.messages()->index(1), MessageListModel::SiblingCountRole)
                     .toInt(),
                 2);
        QCOMPARE(chat.messages()
                     ->data(chat.messages()->index(1), MessageListModel::SiblingIndexRole)
                     .toInt(),
                 1);

        const QString secondId = roleAt(*chat.messages(), 1, MessageListModel::IdRole);
        chat.switchSibling(secondId, -1);
        QTRY_COMPARE_WITH_TIMEOUT(
            chat.messages()
                ->data(chat.messages()->index(1), MessageListModel::SiblingIndexRole)
                .toInt(),
            0, 10'000);
        QCOMPARE(chat.messages()->textAt(1), first);
        chat.switchSibling(roleAt(*chat.messages(), 1, MessageListModel::IdRole), 1);
        QTRY_COMPARE_WITH_TIMEOUT(roleAt(*chat.messages(), 1, MessageListModel::IdRole), secondId,
                                  10'000);
    }

    void editResendsAsASiblingQuestion()
    {
        auto api = signedInClient();
        QVERIFY(api);
        ChatController chat(api.get());
        QCOMPARE(sendAndWait(chat, u"first question"_s), u"complete"_s);
        QCOMPARE(sendAndWait(chat, u"second question"_s), u"complete"_s);
        QCOMPARE(chat.messages()->rowCount(), 4);

        const QString lastQuestion = chat.lastUserMessageId();
        QCOMPARE(chat.messageText(lastQuestion), u"second question"_s);
        QSignalSpy finished(&chat, &ChatController::answerFinished);
        chat.edit(lastQuestion, u"second question, rephrased"_s);
        QVERIFY(finished.wait(AnswerTimeoutMs));
        QCOMPARE(chat.messages()->rowCount(), 4);
        QCOMPARE(chat.messages()->textAt(2), u"second question, rephrased"_s);
        QCOMPARE(chat.messages()->textAt(3), u"second question, rephrased"_s);
        QCOMPARE(chat.messages()
                     ->data(chat.messages()->index(2), MessageListModel::SiblingCountRole)
                     .toInt(),
                 2);
    }

    void sidebarActionsAndDeleteWithUndo()
    {
        auto api = signedInClient();
        QVERIFY(api);
        ChatController chat(api.get());
        QCOMPARE(sendAndWait(chat, u"older chat"_s), u"complete"_s);
        const QString olderId = chat.conversationId();
        chat.newChat();
        QCOMPARE(sendAndWait(chat, u"newer chat"_s), u"complete"_s);
        const QString newerId = chat.conversationId();

        ConversationsController conversations(api.get());
        conversations.reload();
        QTRY_COMPARE(conversations.source()->rowCount(), 2);
        QCOMPARE(conversations.source()->conversations().first().id, newerId);

        conversations.setPinned(olderId, true);
        QTRY_COMPARE(conversations.source()->conversations().first().id, olderId);
        conversations.rename(olderId, u"Renamed"_s);
        QTRY_COMPARE(conversations.source()->find(olderId)->title, u"Renamed"_s);

        conversations.setSearchText(u"RENAM"_s);
        QCOMPARE(conversations.model()->rowCount(), 1);
        conversations.setSearchText({});
        QCOMPARE(conversations.model()->rowCount(), 2);

        QSignalSpy deleted(&conversations, &ConversationsController::deleted);
        conversations.remove(newerId);
        QVERIFY(deleted.wait(10'000));
        QCOMPARE(conversations.source()->rowCount(), 1);
        QVERIFY(conversations.canUndoDelete());
        conversations.undoDelete();
        QTRY_COMPARE(conversations.source()->rowCount(), 2);
        QVERIFY(!conversations.canUndoDelete());

        // The trash view lists deleted ones; restore brings one back.
        conversations.remove(newerId);
        QTRY_COMPARE(conversations.source()->rowCount(), 1);
        conversations.setView(ConversationsController::View::Trash);
        QTRY_COMPARE(conversations.source()->rowCount(), 1);
        QTRY_VERIFY(!conversations.isLoading());
        QCOMPARE(conversations.source()->conversations().first().id, newerId);
        conversations.restore(newerId);
        QTRY_COMPARE(conversations.source()->rowCount(), 0);
        conversations.setView(ConversationsController::View::Chats);
        QTRY_COMPARE(conversations.source()->rowCount(), 2);

        // Archive: gone from chats, listed in the archive.
        conversations.setArchived(newerId, true);
        QTRY_COMPARE(conversations.source()->rowCount(), 1);
        conversations.setView(ConversationsController::View::Archived);
        QTRY_COMPARE(conversations.source()->rowCount(), 1);
    }

    void modelsAndTheModelPicker()
    {
        auto api = signedInClient();
        QVERIFY(api);
        ChatController chat(api.get());
        chat.refreshModels();
        QTRY_VERIFY(chat.models()->rowCount() > 1);
        QCOMPARE(chat.models()->defaultModel(), u"echo"_s);
        QCOMPARE(chat.model(), u"echo"_s);
        chat.setModel(u"after-500"_s); // picked before the chat exists
        QCOMPARE(chat.model(), u"after-500"_s);
        QCOMPARE(sendAndWait(chat, u"via failover"_s), u"complete"_s);
        QCOMPARE(chat.conversation().model, u"after-500"_s);
        chat.setModel(u"echo"_s);
        QTRY_COMPARE(chat.conversation().model, u"echo"_s);
    }

    void usageCountsWhatWasAsked()
    {
        auto api = signedInClient();
        QVERIFY(api);
        UsageController usage(api.get());
        usage.refresh();
        QTRY_VERIFY(!usage.summary().isEmpty());
        QCOMPARE(usage.summary().value(u"messagesThisMonth"_s).toLongLong(), 0);
        ChatController chat(api.get());
        QCOMPARE(sendAndWait(chat, u"count me in"_s), u"complete"_s);
        usage.refresh();
        QTRY_VERIFY(usage.summary().value(u"tokensThisMonth"_s).toLongLong() > 0);
        QVERIFY(usage.summary().value(u"messagesThisMonth"_s).toLongLong() >= 1);
        QVERIFY(usage.errorMessage().isEmpty());
    }

    void copyTheLastCodeBlock()
    {
        auto api = signedInClient();
        QVERIFY(api);
        ChatController chat(api.get());
        QCOMPARE(sendAndWait(chat, u"Here:\n\n```python\nprint(1)\n```\n\n~~~\nlast\n~~~\n"_s),
                 u"complete"_s);
        QVERIFY(chat.copyLastCodeBlock());
        QCOMPARE(QGuiApplication::clipboard()->text(), u"last"_s);
    }

    void cachedChatsReadOffline()
    {
        auto api = signedInClient();
        QVERIFY(api);
        QTemporaryDir dir;
        LocalCache cache;
        QVERIFY(cache.open(dir.filePath(u"cache.sqlite"_s)));
        QString conversationId;
        {
            ChatController chat(api.get());
            chat.setCache(&cache);
            QCOMPARE(sendAndWait(chat, u"remember me"_s), u"complete"_s);
            conversationId = chat.conversationId();
            ConversationsController conversations(api.get());
            conversations.setCache(&cache);
            conversations.reload();
            QTRY_COMPARE(conversations.source()->rowCount(), 1);
            QTRY_VERIFY(!conversations.isLoading());
        }
        QCOMPARE(cache.conversations().size(), 1);
        QCOMPARE(cache.messages(conversationId).size(), 2);

        // A server that is gone: a port nobody listens on any more.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 deadPort = probe.serverPort();
        probe.close();
        ApiClient offline;
        offline.setBaseUrl(QUrl(u"http://127.0.0.1:%1"_s.arg(deadPort)));

        ConversationsController conversations(&offline);
        conversations.setCache(&cache);
        conversations.reload();
        QCOMPARE(conversations.source()->rowCount(), 1); // at once, before the network
        QCOMPARE(conversations.source()->conversations().first().title, u"remember me"_s);
        QTRY_VERIFY(!conversations.errorMessage().isEmpty());
        QCOMPARE(conversations.source()->rowCount(), 1);

        ChatController chat(&offline);
        chat.setCache(&cache);
        chat.open(conversationId);
        QCOMPARE(chat.messages()->rowCount(), 2);
        QCOMPARE(chat.messages()->textAt(1), u"remember me"_s);
        QTRY_VERIFY(chat.errorMessage().startsWith(u"Showing the saved copy"_s));
        QCOMPARE(chat.messages()->rowCount(), 2);
    }

    void lastCodeBlockParsing_data()
    {
        QTest::addColumn<QString>("markdown");
        QTest::addColumn<QString>("expected");
        QTest::newRow("none") << u"just prose"_s << QString();
        QTest::newRow("one") << u"```\na\nb\n```"_s << u"a\nb"_s;
        QTest::newRow("two, last wins") << u"```\na\n```\ntext\n```js\nb\n```\n"_s << u"b"_s;
        QTest::newRow("longer fence holds a shorter one")
            << u"````\n```\ninner\n```\n````"_s << u"```\ninner\n```"_s;
        QTest::newRow("unclosed while streaming") << u"```\npartial"_s << u"partial"_s;
        QTest::newRow("tilde fences") << u"~~~\nt\n~~~"_s << u"t"_s;
    }

    void lastCodeBlockParsing()
    {
        QFETCH(QString, markdown);
        QFETCH(QString, expected);
        QCOMPARE(ChatController::lastCodeBlock(markdown), expected);
    }

    void titleFromTheFirstMessage()
    {
        QCOMPARE(ChatController::titleFrom(u"  Hello\nworld"_s), u"Hello"_s);
        const QString longText = u"word "_s.repeated(40);
        const QString title = ChatController::titleFrom(longText);
        QVERIFY(title.size() <= 60);
        QVERIFY(title.endsWith(u'…'));
    }
};

QTEST_MAIN(TestChatControllers)
#include "tst_chatcontrollers.moc"
