// Folders through ConversationService on SQLite and PostgreSQL: one level of
// nesting, renames and moves, what deleting a folder does to its
// conversations and subfolders, and isolation between users.
#include "contract/errorcodes.h"
#include "conversations/conversationservice.h"
#include "storage/sql.h"
#include "testdatabase.h"
#include "tst_conversationfixture.h"

using namespace Qt::StringLiterals;
using namespace parlance;
using parlance::test::ConversationFixture;

class TestFolderRepository : public QObject
{
    Q_OBJECT

private:
    ConversationFixture f;
    std::unique_ptr<ConversationService> svc;

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
    }

    void createListAndRename()
    {
        const auto work = svc->createFolder(f.alice(), u"  Work  "_s);
        PARLANCE_VERIFY_OK(work);
        QCOMPARE(work->name, u"Work"_s);
        QCOMPARE(work->createdAt, f.now());
        const auto sub = svc->createFolder(f.alice(), u"Alpha"_s, work->id);
        PARLANCE_VERIFY_OK(sub);
        QCOMPARE(sub->parentId, work->id);
        const auto renamed =
            svc->updateFolder(f.alice(), work->id, FolderPatch { .name = u"Job"_s });
        PARLANCE_VERIFY_OK(renamed);
        QCOMPARE(renamed->name, u"Job"_s);
        const auto all = svc->listFolders(f.alice());
        PARLANCE_VERIFY_OK(all);
        QCOMPARE(all->size(), 2);
        QCOMPARE(all->at(0).name, u"Alpha"_s);
        QCOMPARE(all->at(1), renamed.value());
        QCOMPARE(svc->createFolder(f.alice(), u" "_s).error().code, QString(errc::InvalidField));
    }

    void nestingIsOneLevelDeep()
    {
        const auto top = svc->createFolder(f.alice(), u"Top"_s);
        const auto child = svc->createFolder(f.alice(), u"Child"_s, top->id);
        PARLANCE_VERIFY_OK(child);
        const auto grandchild = svc->createFolder(f.alice(), u"Grandchild"_s, child->id);
        QCOMPARE(grandchild.error().code, QString(errc::InvalidField));
        QVERIFY(grandchild.error().message.contains(u"\"parent_id\""_s));

        const auto other = svc->createFolder(f.alice(), u"Other"_s);
        // A folder with children cannot itself move under another.
        const auto moveParent =
            svc->updateFolder(f.alice(), top->id, FolderPatch { .parentId = other->id });
        QCOMPARE(moveParent.error().code, QString(errc::InvalidField));
        // Nor under itself.
        const auto self =
            svc->updateFolder(f.alice(), other->id, FolderPatch { .parentId = other->id });
        QCOMPARE(self.error().code, QString(errc::InvalidField));
        // A leaf may move between top-level folders and up to the top.
        const auto moved =
            svc->updateFolder(f.alice(), child->id, FolderPatch { .parentId = other->id });
        PARLANCE_VERIFY_OK(moved);
        QCOMPARE(moved->parentId, other->id);
        const auto lifted =
            svc->updateFolder(f.alice(), child->id, FolderPatch { .parentId = QString() });
        PARLANCE_VERIFY_OK(lifted);
        QVERIFY(lifted->parentId.isEmpty());
    }

    void deletingAFolderKeepsItsContents()
    {
        const auto top = svc->createFolder(f.alice(), u"Top"_s);
        const auto child = svc->createFolder(f.alice(), u"Child"_s, top->id);
        const auto inTop = svc->createConversation(
            f.alice(), ConversationDraft { .title = u"in top"_s, .folderId = top->id });
        const auto inChild = svc->createConversation(
            f.alice(), ConversationDraft { .title = u"in child"_s, .folderId = child->id });
        PARLANCE_VERIFY_OK(inTop);
        PARLANCE_VERIFY_OK(inChild);
        PARLANCE_VERIFY_OK(svc->deleteConversation(f.alice(), inTop->id)); // trashed ones too
        PARLANCE_VERIFY_OK(svc->deleteFolder(f.alice(), top->id));

        QCOMPARE(svc->getFolder(f.alice(), top->id).error().code, QString(errc::NotFound));
        const auto survivor = svc->getFolder(f.alice(), child->id);
        PARLANCE_VERIFY_OK(survivor);
        QVERIFY(survivor->parentId.isEmpty()); // moved to the top level
        QVERIFY(svc->getConversation(f.alice(), inTop->id)->folderId.isEmpty());
        QCOMPARE(svc->getConversation(f.alice(), inChild->id)->folderId, child->id);
        QCOMPARE(svc->deleteFolder(f.alice(), top->id).error().code, QString(errc::NotFound));
    }

    void anotherUsersFolderIsIndistinguishableFromMissing_data()
    {
        QTest::addColumn<QString>("operation");
        for (const char *op : { "get", "rename", "delete", "createUnder", "moveUnder",
                                "conversationInto", "patchConversationInto" })
            QTest::newRow(op) << QString::fromLatin1(op);
    }

    void anotherUsersFolderIsIndistinguishableFromMissing()
    {
        QFETCH(QString, operation);
        const auto alices = svc->createFolder(f.alice(), u"Alice's"_s);
        PARLANCE_VERIFY_OK(alices);
        const auto bobsFolder = svc->createFolder(f.bob(), u"Bob's"_s);
        const auto bobsConv =
            svc->createConversation(f.bob(), ConversationDraft { .title = u"b"_s });
        const QString bob = f.bob();
        const auto run = [&](const QString &id) -> ApiError {
            if (operation == u"get"_s)
                return svc->getFolder(bob, id).error();
            if (operation == u"rename"_s)
                return svc->updateFolder(bob, id, FolderPatch { .name = u"mine"_s }).error();
            if (operation == u"delete"_s)
                return svc->deleteFolder(bob, id).error();
            if (operation == u"createUnder"_s)
                return svc->createFolder(bob, u"sub"_s, id).error();
            if (operation == u"moveUnder"_s)
                return svc->updateFolder(bob, bobsFolder->id, FolderPatch { .parentId = id })
                    .error();
            if (operation == u"conversationInto"_s)
                return svc
                    ->createConversation(bob, ConversationDraft { .title = u"x"_s, .folderId = id })
                    .error();
            ConversationChanges changes;
            changes.patch.folderId = id;
            return svc->updateConversation(bob, bobsConv->id, changes).error();
        };
        const ApiError foreign = run(alices->id);
        const ApiError missing = run(sql::newId());
        QCOMPARE(foreign.code, QString(errc::NotFound));
        QCOMPARE(foreign, missing);
        QCOMPARE(svc->getFolder(f.alice(), alices->id).value(), alices.value());
        QCOMPARE(svc->listFolders(bob)->size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestFolderRepository)
#include "tst_folderrepository.moc"
