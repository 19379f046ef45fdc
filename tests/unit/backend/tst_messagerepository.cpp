// Message trees through ConversationService and MessageRepository on SQLite
// and PostgreSQL: appends continue the selected branch, edits and
// regenerations add siblings, the selected path with sibling annotations and
// before/after windows, branch selection, concurrent appends, trash, and
// isolation between users.
#include "contract/errorcodes.h"
#include "conversations/conversationservice.h"
#include "storage/sql.h"
#include "testdatabase.h"
#include "tst_conversationfixture.h"

#include <QThread>

using namespace Qt::StringLiterals;
using namespace parlance;
using parlance::test::ConversationFixture;

namespace {

QList<ContentPart> text(const QString &t)
{
    return { ContentPart::fromText(t) };
}

MessageDraft say(const QString &t)
{
    MessageDraft d;
    d.content = text(t);
    return d;
}

NewMessage answer(const QString &t)
{
    NewMessage m;
    m.role = Message::Role::Assistant;
    m.content = text(t);
    m.model = u"gpt-4o"_s;
    return m;
}

// "text index/count" per message of the path, for compact comparisons.
QStringList shape(const QList<Message> &path)
{
    QStringList out;
    for (const Message &m : path)
        out.append(u"%1 %2/%3"_s.arg(m.plainText()).arg(m.siblingIndex + 1).arg(m.siblingCount));
    return out;
}

} // namespace

class TestMessageRepository : public QObject
{
    Q_OBJECT

private:
    ConversationFixture f;
    std::unique_ptr<ConversationService> svc;
    QString conv;

    QStringList path(const QString &user = {})
    {
        const auto page =
            svc->listMessages(user.isEmpty() ? f.alice() : user, conv, PathQuery { .limit = 200 });
        return page ? shape(page->items) : QStringList { page.error().code };
    }
    QString post(const QString &t)
    {
        f.advanceMs(1);
        const auto m = svc->postUserMessage(f.alice(), conv, say(t));
        return m ? m->id : QString();
    }
    QString reply(const QString &t)
    {
        f.advanceMs(1);
        const auto m = svc->appendMessage(f.alice(), conv, answer(t));
        return m ? m->id : QString();
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(f.open()); }
    void cleanupTestCase()
    {
        svc.reset();
        f.close();
    }
    void init()
    {
        PARLANCE_VERIFY_OK(f.reset());
        svc = std::make_unique<ConversationService>(
            f.database(), ConversationServiceOptions { .defaultModel = u"gpt-4o"_s }, f.clock());
        const auto c = svc->createConversation(f.alice(), ConversationDraft { .title = u"Chat"_s });
        PARLANCE_VERIFY_OK(c);
        conv = c->id;
    }

    void appendsContinueTheSelectedBranch()
    {
        const QString q1 = post(u"q1"_s);
        reply(u"a1"_s);
        const QString q2 = post(u"q2"_s);
        QVERIFY(!q1.isEmpty() && !q2.isEmpty());
        QCOMPARE(path(), (QStringList { u"q1 1/1"_s, u"a1 1/1"_s, u"q2 1/1"_s }));
        const auto c = svc->getConversation(f.alice(), conv);
        QCOMPARE(c->messageCount, 3);
        QCOMPARE(c->selectedLeafId, q2);
        QCOMPARE(c->lastMessageAt, f.now());
        const auto first = svc->getMessage(f.alice(), q1);
        QVERIFY(first->parentId.isEmpty());
        QCOMPARE(first->role, Message::Role::User);
    }

    void storedFieldsRoundTrip()
    {
        post(u"q"_s);
        NewMessage m = answer(u"partial"_s);
        m.status = Message::Status::Interrupted;
        m.error = ApiError { u"upstream_error"_s, u"cut"_s, {} };
        m.deployment = u"openai-east"_s;
        m.usage = Usage { .inputTokens = 12,
                          .outputTokens = 7,
                          .cachedTokens = 4,
                          .estimated = true,
                          .costMicros = 9'000'000'000 };
        m.timeToFirstTokenMs = 210;
        m.totalTimeMs = 1500;
        m.content.append(ContentPart::fromFile(u"f1"_s, u"image/png"_s, u"a.png"_s));
        const auto stored = svc->appendMessage(f.alice(), conv, m);
        PARLANCE_VERIFY_OK(stored);
        const auto read = svc->getMessage(f.alice(), stored->id);
        PARLANCE_VERIFY_OK(read);
        QCOMPARE(read.value(), stored.value());
        QCOMPARE(read->status, Message::Status::Interrupted);
        QCOMPARE(read->error, m.error);
        QCOMPARE(read->usage, m.usage);
        QCOMPARE(read->content, m.content);
        QCOMPARE(read->timeToFirstTokenMs, std::optional<qint64>(210));
        QCOMPARE(read->deployment, u"openai-east"_s);
        QCOMPARE(read->createdAt, f.now());
    }

    void editingAddsASiblingAndSelectsIt()
    {
        post(u"q1"_s);
        reply(u"a1"_s);
        const QString q2 = post(u"q2"_s);
        reply(u"a2"_s);
        const auto edited = svc->editUserMessage(f.alice(), q2, text(u"q2 edited"_s));
        PARLANCE_VERIFY_OK(edited);
        QCOMPARE(edited->siblingIndex, 1);
        QCOMPARE(edited->siblingCount, 2);
        QCOMPARE(path(), (QStringList { u"q1 1/1"_s, u"a1 1/1"_s, u"q2 edited 2/2"_s }));
        const auto original = svc->getMessage(f.alice(), q2);
        QCOMPARE(original->siblingIndex, 0);
        QCOMPARE(original->siblingCount, 2);
        QCOMPARE(svc->messageSiblings(f.alice(), q2).value(), (QStringList { q2, edited->id }));
        QCOMPARE(svc->getConversation(f.alice(), conv)->messageCount, 5);
    }

    void editingTheFirstMessageAddsARootSibling()
    {
        const QString q1 = post(u"q1"_s);
        reply(u"a1"_s);
        const auto edited = svc->editUserMessage(f.alice(), q1, text(u"q1b"_s));
        PARLANCE_VERIFY_OK(edited);
        QVERIFY(edited->parentId.isEmpty());
        QCOMPARE(path(), (QStringList { u"q1b 2/2"_s }));
    }

    void onlyUserMessagesCanBeEdited()
    {
        post(u"q"_s);
        const QString a = reply(u"a"_s);
        const auto edited = svc->editUserMessage(f.alice(), a, text(u"x"_s));
        QVERIFY(!edited.ok());
        QCOMPARE(edited.error().code, QString(errc::InvalidField));
        const auto empty = svc->postUserMessage(f.alice(), conv, say(u"  "_s));
        QCOMPARE(empty.error().code, QString(errc::InvalidField));
        QCOMPARE(svc->getConversation(f.alice(), conv)->messageCount, 2);
    }

    void regeneratingAddsAnAssistantSibling()
    {
        post(u"q"_s);
        const QString a = reply(u"a"_s);
        const auto again = svc->createSibling(f.alice(), a, answer(u"a again"_s));
        PARLANCE_VERIFY_OK(again);
        QCOMPARE(path(), (QStringList { u"q 1/1"_s, u"a again 2/2"_s }));
    }

    void selectingABranchFollowsTheMostRecentChildren()
    {
        post(u"q1"_s);
        const QString a1 = reply(u"a1"_s);
        const QString q2 = post(u"q2"_s);
        reply(u"a2"_s);
        post(u"q3 old"_s);
        const auto newer = svc->editUserMessage(
            f.alice(), svc->listMessages(f.alice(), conv, {})->items.last().id, text(u"q3 new"_s));
        PARLANCE_VERIFY_OK(newer);
        const auto q2b = svc->editUserMessage(f.alice(), q2, text(u"q2b"_s));
        PARLANCE_VERIFY_OK(q2b);
        QCOMPARE(path(), (QStringList { u"q1 1/1"_s, u"a1 1/1"_s, u"q2b 2/2"_s }));

        // Back to the first q2: its newest descendants are a2, then "q3 new".
        const auto selected = svc->selectBranch(f.alice(), q2);
        PARLANCE_VERIFY_OK(selected);
        QCOMPARE(selected->selectedLeafId, newer->id);
        QCOMPARE(
            path(),
            (QStringList { u"q1 1/1"_s, u"a1 1/1"_s, u"q2 1/2"_s, u"a2 1/1"_s, u"q3 new 2/2"_s }));

        // Through PATCH: a1's most recent child is q2b (a leaf).
        const auto viaPatch = svc->updateConversation(
            f.alice(), conv, ConversationChanges { .selectedMessageId = a1 });
        PARLANCE_VERIFY_OK(viaPatch);
        QCOMPARE(viaPatch->selectedLeafId, q2b->id);
        // A new message continues the selected branch.
        post(u"q3 after q2b"_s);
        QCOMPARE(path().last(), u"q3 after q2b 1/1"_s);
        QCOMPARE(path().size(), 4);
    }

    // select = false: the branch on screen stays, and the selected leaf
    // gains children, so the next message under it is not its first child.
    void appendsWithoutSelectingKeepTheBranchAndCountSiblings()
    {
        const QString q = post(u"q"_s);
        NewMessage hidden = answer(u"h1"_s);
        hidden.select = false;
        f.advanceMs(1);
        const auto h1 = svc->appendMessage(f.alice(), conv, hidden);
        PARLANCE_VERIFY_OK(h1);
        QCOMPARE(h1->parentId, q);
        QCOMPARE(h1->siblingIndex, 0);
        QCOMPARE(h1->siblingCount, 1);
        hidden.content = text(u"h2"_s);
        f.advanceMs(1);
        const auto h2 = svc->appendMessage(f.alice(), conv, hidden);
        PARLANCE_VERIFY_OK(h2);
        QCOMPARE(h2->siblingIndex, 1);
        QCOMPARE(h2->siblingCount, 2);
        auto c = svc->getConversation(f.alice(), conv);
        QCOMPARE(c->selectedLeafId, q);
        QCOMPARE(c->messageCount, 3);
        QCOMPARE(path(), QStringList { u"q 1/1"_s });

        const QString a = reply(u"a"_s); // Selects.
        const auto shown = svc->getMessage(f.alice(), a);
        QCOMPARE(shown->siblingIndex, 2);
        QCOMPARE(shown->siblingCount, 3);
        QCOMPARE(path(), (QStringList { u"q 1/1"_s, u"a 3/3"_s }));
        c = svc->getConversation(f.alice(), conv);
        QCOMPARE(c->selectedLeafId, a);
        QCOMPARE(c->messageCount, 4);
    }

    void appendsToMissingConversationsOrParentsStoreNothing()
    {
        const QString q = post(u"q"_s);
        const auto missing =
            svc->postUserMessage(f.alice(), u"no-such-conversation"_s, say(u"x"_s));
        QCOMPARE(missing.error().code, QString(errc::NotFound));
        QVERIFY(missing.error().message.contains(u"Conversation"_s));
        MessageDraft d = say(u"x"_s);
        d.parent = NewMessage::Parent::Id;
        d.parentId = u"no-such-message"_s;
        const auto orphan = svc->postUserMessage(f.alice(), conv, d);
        QCOMPARE(orphan.error().code, QString(errc::NotFound));
        QVERIFY(orphan.error().message.contains(u"parent_id"_s));
        PARLANCE_VERIFY_OK(svc->deleteConversation(f.alice(), conv));
        const auto trashed = svc->postUserMessage(f.alice(), conv, say(u"x"_s));
        QCOMPARE(trashed.error().code, QString(errc::NotFound));
        PARLANCE_VERIFY_OK(svc->restoreConversation(f.alice(), conv));
        const auto c = svc->getConversation(f.alice(), conv);
        QCOMPARE(c->messageCount, 1);
        QCOMPARE(c->selectedLeafId, q);
    }

    void anAlongsideWriteCommitsWithTheMessageOrNeither()
    {
        const QString q = post(u"q"_s);
        // What the generation code writes beside an answer (its usage
        // record); here a change of the conversation's title.
        int runs = 0;
        QString seenId;
        const auto retitle = [&](const QSqlDatabase &db, const Message &stored) -> Status {
            ++runs;
            seenId = stored.id;
            auto updated = sql::execUpdate(db, u"UPDATE conversations SET title = ? WHERE id = ?"_s,
                                           { u"Answered"_s, conv });
            if (!updated)
                return updated.error();
            return Done {};
        };
        f.advanceMs(1);
        const auto stored = svc->appendMessage(f.alice(), conv, answer(u"a"_s), retitle);
        PARLANCE_VERIFY_OK(stored);
        QCOMPARE(runs, 1);
        QCOMPARE(seenId, stored->id);
        QCOMPARE(svc->getConversation(f.alice(), conv)->title, u"Answered"_s);

        // A failing alongside write takes the message with it.
        const auto failing = [&](const QSqlDatabase &db, const Message &) -> Status {
            auto updated = sql::execUpdate(db, u"UPDATE conversations SET title = ? WHERE id = ?"_s,
                                           { u"Half"_s, conv });
            if (!updated)
                return updated.error();
            return ApiError { u"internal"_s, u"the record could not be written"_s, {} };
        };
        f.advanceMs(1);
        const auto refused = svc->appendMessage(f.alice(), conv, answer(u"lost"_s), failing);
        QVERIFY(!refused);
        QCOMPARE(refused.error().message, u"the record could not be written"_s);
        const auto c = svc->getConversation(f.alice(), conv);
        QCOMPARE(c->messageCount, 2);
        QCOMPARE(c->selectedLeafId, stored->id);
        QCOMPARE(c->title, u"Answered"_s);
        QCOMPARE(path(), (QStringList { u"q 1/1"_s, u"a 1/1"_s }));
        Q_UNUSED(q);
    }

    void explicitParentsMustBelongToTheConversation()
    {
        const QString q = post(u"q"_s);
        const auto other =
            svc->createConversation(f.alice(), ConversationDraft { .title = u"Other"_s });
        MessageDraft d = say(u"x"_s);
        d.parent = NewMessage::Parent::Id;
        d.parentId = q;
        const auto misplaced = svc->postUserMessage(f.alice(), other->id, d);
        QCOMPARE(misplaced.error().code, QString(errc::NotFound));
        QCOMPARE(svc->getConversation(f.alice(), other->id)->messageCount, 0); // rolled back
        const auto wrongSelection = svc->updateConversation(
            f.alice(), other->id, ConversationChanges { .selectedMessageId = q });
        QCOMPARE(wrongSelection.error().code, QString(errc::NotFound));
    }

    void pathWindowsWalkTheBranchWithoutGapsOrOverlap()
    {
        QStringList ids;
        for (int i = 0; i < 10; ++i)
            ids.append(i % 2 ? reply(u"m%1"_s.arg(i)) : post(u"m%1"_s.arg(i)));
        // Backwards from the end, as a chat scrolls up.
        QStringList seen;
        PathQuery q { .limit = 3 };
        for (int pages = 0;; ++pages) {
            QVERIFY(pages < 5);
            const auto page = svc->listMessages(f.alice(), conv, q);
            PARLANCE_VERIFY_OK(page);
            QStringList pageIds;
            for (const Message &m : page->items)
                pageIds.append(m.id);
            seen = pageIds + seen;
            QCOMPARE(page->hasMoreAfter, pages > 0);
            if (!page->hasMoreBefore)
                break;
            q.before = pageIds.first();
        }
        QCOMPARE(seen, ids);
        // Forwards from the start.
        const auto after =
            svc->listMessages(f.alice(), conv, PathQuery { .after = ids.at(2), .limit = 4 });
        PARLANCE_VERIFY_OK(after);
        QCOMPARE(after->items.size(), 4);
        QCOMPARE(after->items.first().id, ids.at(3));
        QVERIFY(after->hasMoreBefore);
        QVERIFY(after->hasMoreAfter);
        const auto tail =
            svc->listMessages(f.alice(), conv, PathQuery { .after = ids.at(7), .limit = 4 });
        QCOMPARE(tail->items.size(), 2);
        QVERIFY(!tail->hasMoreAfter);
    }

    void pathWindowErrors_data()
    {
        QTest::addColumn<QString>("before");
        QTest::addColumn<QString>("after");
        QTest::addColumn<int>("limit");
        QTest::addColumn<QString>("field");
        QTest::newRow("before not on the path") << u"nope"_s << QString() << 10 << u"\"before\""_s;
        QTest::newRow("after not on the path") << QString() << u"nope"_s << 10 << u"\"after\""_s;
        QTest::newRow("both") << u"a"_s << u"b"_s << 10 << u"\"before\""_s;
        QTest::newRow("limit zero") << QString() << QString() << 0 << u"\"limit\""_s;
        QTest::newRow("limit above 200") << QString() << QString() << 201 << u"\"limit\""_s;
    }

    void pathWindowErrors()
    {
        QFETCH(QString, before);
        QFETCH(QString, after);
        QFETCH(int, limit);
        QFETCH(QString, field);
        post(u"q"_s);
        const auto page = svc->listMessages(f.alice(), conv, PathQuery { before, after, limit });
        QVERIFY(!page.ok());
        QCOMPARE(page.error().code, QString(errc::InvalidField));
        QVERIFY2(page.error().message.contains(field), qPrintable(page.error().message));
    }

    void emptyConversationHasAnEmptyPath()
    {
        const auto page = svc->listMessages(f.alice(), conv, {});
        PARLANCE_VERIFY_OK(page);
        QVERIFY(page->items.isEmpty());
        QVERIFY(!page->hasMoreBefore && !page->hasMoreAfter);
    }

    void concurrentAppendsGetDistinctPlaces()
    {
        constexpr int PerThread = 15;
        QList<QThread *> threads;
        std::atomic<int> failures = 0;
        for (int t = 0; t < 3; ++t) {
            threads.append(QThread::create([&, t] {
                for (int i = 0; i < PerThread; ++i) {
                    MessageDraft d = say(u"t%1 m%2"_s.arg(t).arg(i));
                    d.parent = NewMessage::Parent::Root; // All siblings: the order must stay total.
                    if (!svc->postUserMessage(f.alice(), conv, d))
                        ++failures;
                }
                f.database().closeThreadConnection();
            }));
            threads.last()->start();
        }
        for (QThread *thread : threads) {
            QVERIFY(thread->wait(120'000));
            delete thread;
        }
        QCOMPARE(failures.load(), 0);
        QCOMPARE(svc->getConversation(f.alice(), conv)->messageCount, 3 * PerThread);
        const auto leaf =
            svc->getMessage(f.alice(), svc->getConversation(f.alice(), conv)->selectedLeafId);
        PARLANCE_VERIFY_OK(leaf);
        QCOMPARE(leaf->siblingCount, 3 * PerThread);
        QCOMPARE(leaf->siblingIndex, 3 * PerThread - 1); // The last append is the newest sibling.
    }

    // A branch read up from any message (what edit and regenerate build a
    // model's context from): that message's ancestors only, oldest first,
    // never the other branch, capped to the newest maxDepth.
    void branchToWalksUpFromAnyMessage()
    {
        post(u"q1"_s);
        const QString a1 = reply(u"a1"_s);
        const QString q2 = post(u"q2"_s);
        reply(u"a2"_s);
        const auto edited = svc->editUserMessage(f.alice(), q2, text(u"q2 edited"_s));
        PARLANCE_VERIFY_OK(edited);
        const auto texts = [](const Result<QList<Message>> &branch) {
            QStringList out;
            if (!branch)
                return QStringList { branch.error().code };
            for (const Message &m : *branch)
                out.append(m.plainText());
            return out;
        };
        QCOMPARE(texts(svc->branchTo(f.alice(), q2, 1000)),
                 (QStringList { u"q1"_s, u"a1"_s, u"q2"_s }));
        QCOMPARE(texts(svc->branchTo(f.alice(), edited->id, 1000)),
                 (QStringList { u"q1"_s, u"a1"_s, u"q2 edited"_s }));
        QCOMPARE(texts(svc->branchTo(f.alice(), edited->id, 2)),
                 (QStringList { u"a1"_s, u"q2 edited"_s }));
        QCOMPARE(texts(svc->branchTo(f.alice(), a1, 1000)), (QStringList { u"q1"_s, u"a1"_s }));
        QCOMPARE(texts(svc->branchTo(f.bob(), q2, 1000)), QStringList { QString(errc::NotFound) });
        PARLANCE_VERIFY_OK(svc->deleteConversation(f.alice(), conv));
        QCOMPARE(texts(svc->branchTo(f.alice(), q2, 1000)),
                 QStringList { QString(errc::NotFound) });
    }

    void trashedConversationsHideTheirMessages()
    {
        const QString q = post(u"q"_s);
        PARLANCE_VERIFY_OK(svc->deleteConversation(f.alice(), conv));
        QCOMPARE(svc->getMessage(f.alice(), q).error().code, QString(errc::NotFound));
        QCOMPARE(svc->listMessages(f.alice(), conv, {}).error().code, QString(errc::NotFound));
        QCOMPARE(svc->postUserMessage(f.alice(), conv, say(u"x"_s)).error().code,
                 QString(errc::NotFound));
        QCOMPARE(svc->selectBranch(f.alice(), q).error().code, QString(errc::NotFound));
        PARLANCE_VERIFY_OK(svc->restoreConversation(f.alice(), conv));
        QCOMPARE(path(), QStringList { u"q 1/1"_s });
    }

    void anotherUsersMessagesAreIndistinguishableFromMissing_data()
    {
        QTest::addColumn<QString>("operation");
        for (const char *op : { "getMessage", "messageSiblings", "listMessages", "postUserMessage",
                                "postUnderForeignParent", "editUserMessage", "createSibling",
                                "selectBranch", "patchSelection" })
            QTest::newRow(op) << QString::fromLatin1(op);
    }

    void anotherUsersMessagesAreIndistinguishableFromMissing()
    {
        QFETCH(QString, operation);
        const QString q = post(u"q"_s);
        reply(u"a"_s);
        const auto bobsConv =
            svc->createConversation(f.bob(), ConversationDraft { .title = u"Bob"_s });
        PARLANCE_VERIFY_OK(bobsConv);
        const QStringList before = path();
        const QString bob = f.bob();
        const auto run = [&](const QString &messageId, const QString &conversationId) -> ApiError {
            if (operation == u"getMessage"_s)
                return svc->getMessage(bob, messageId).error();
            if (operation == u"messageSiblings"_s)
                return svc->messageSiblings(bob, messageId).error();
            if (operation == u"listMessages"_s)
                return svc->listMessages(bob, conversationId, {}).error();
            if (operation == u"postUserMessage"_s)
                return svc->postUserMessage(bob, conversationId, say(u"x"_s)).error();
            if (operation == u"postUnderForeignParent"_s) {
                MessageDraft d = say(u"x"_s);
                d.parent = NewMessage::Parent::Id;
                d.parentId = messageId;
                return svc->postUserMessage(bob, bobsConv->id, d).error();
            }
            if (operation == u"editUserMessage"_s)
                return svc->editUserMessage(bob, messageId, text(u"x"_s)).error();
            if (operation == u"createSibling"_s)
                return svc->createSibling(bob, messageId, answer(u"x"_s)).error();
            if (operation == u"selectBranch"_s)
                return svc->selectBranch(bob, messageId).error();
            return svc
                ->updateConversation(bob, bobsConv->id,
                                     ConversationChanges { .selectedMessageId = messageId })
                .error();
        };
        const ApiError foreign = run(q, conv);
        const ApiError missing = run(sql::newId(), sql::newId());
        QCOMPARE(foreign.code, QString(errc::NotFound));
        QCOMPARE(foreign, missing);
        QCOMPARE(path(), before);
        QCOMPARE(svc->getConversation(f.alice(), conv)->messageCount, 2);
        QCOMPARE(svc->getConversation(f.bob(), bobsConv->id)->messageCount, 0);
    }
};

QTEST_GUILESS_MAIN(TestMessageRepository)
#include "tst_messagerepository.moc"
