#include "models/messagelistmodel.h"
#include "models/modellistmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using parlance::ApiError;
using parlance::ContentPart;
using parlance::Message;
using parlance::client::MessageListModel;

namespace {

Message message(const QString &id, Message::Role role, const QString &text,
                Message::Status status = Message::Status::Complete)
{
    Message m;
    m.id = id;
    m.role = role;
    m.status = status;
    if (!text.isEmpty())
        m.appendText(text);
    return m;
}

QVariant roleValue(const MessageListModel &model, int row, const QByteArray &name)
{
    return model.data(model.index(row), model.roleNames().key(name));
}

} // namespace

class TestMessageListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roleNamesAreTheTranscriptContract()
    {
        // TranscriptBridge and the QML delegates look these up by name.
        const auto names = MessageListModel().roleNames().values();
        for (const char *name : { "messageId", "role", "text", "status", "errorMessage",
                                  "siblingIndex", "siblingCount" })
            QVERIFY2(names.contains(QByteArray(name)), name);
    }

    void exposesMessagesAsStrings()
    {
        MessageListModel model;
        QAbstractItemModelTester tester(&model);
        Message answer =
            message(u"m2"_s, Message::Role::Assistant, u"Hi"_s, Message::Status::Interrupted);
        answer.error = ApiError { u"upstream_error"_s, u"The provider hung up."_s, {} };
        answer.siblingIndex = 1;
        answer.siblingCount = 3;
        model.replaceAll({ message(u"m1"_s, Message::Role::User, u"Hello"_s), answer });
        QCOMPARE(roleValue(model, 0, "role").toString(), u"user"_s);
        QCOMPARE(roleValue(model, 1, "role").toString(), u"assistant"_s);
        QCOMPARE(roleValue(model, 1, "status").toString(), u"interrupted"_s);
        QCOMPARE(roleValue(model, 1, "errorMessage").toString(), u"The provider hung up."_s);
        QCOMPARE(roleValue(model, 1, "siblingIndex").toInt(), 1);
        QCOMPARE(roleValue(model, 1, "siblingCount").toInt(), 3);
        QCOMPARE(roleValue(model, 0, "text").toString(), u"Hello"_s);
    }

    void streamingChangesOnlyTheTextOfOneRow()
    {
        MessageListModel model;
        QAbstractItemModelTester tester(&model);
        model.replaceAll({ message(u"m1"_s, Message::Role::User, u"Hello"_s) });
        model.append(message(u"a1"_s, Message::Role::Assistant, {}, Message::Status::Streaming));
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        for (const auto &token : { u"The "_s, u"answer "_s, u"is 42."_s })
            QVERIFY(model.appendText(u"a1"_s, token));
        QVERIFY(!model.appendText(u"nope"_s, u"x"_s));

        QCOMPARE(roleValue(model, 1, "text").toString(), u"The answer is 42."_s);
        QCOMPARE(changed.size(), 3);
        for (const auto &args : changed) {
            QCOMPARE(args.at(0).toModelIndex().row(), 1);
            QCOMPARE(args.at(1).toModelIndex().row(), 1);
            QCOMPARE(args.at(2).value<QList<int>>(), QList<int> { MessageListModel::TextRole });
        }
        QCOMPARE(reset.size(), 0);
    }

    void storedVersionReplacesTheStreamedRow()
    {
        MessageListModel model;
        QAbstractItemModelTester tester(&model);
        model.append(message(u"a1"_s, Message::Role::Assistant, {}, Message::Status::Streaming));
        model.appendText(u"a1"_s, u"partial"_s);
        model.update(message(u"a1"_s, Message::Role::Assistant, u"partial and final"_s));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(roleValue(model, 0, "text").toString(), u"partial and final"_s);
        QCOMPARE(roleValue(model, 0, "status").toString(), u"complete"_s);
    }

    void statusAndErrorOfAStoppedAnswer()
    {
        MessageListModel model;
        model.append(
            message(u"a1"_s, Message::Role::Assistant, u"x"_s, Message::Status::Streaming));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QVERIFY(model.setStatus(u"a1"_s, Message::Status::Error,
                                ApiError { u"upstream_error"_s, u"boom"_s, {} }));
        QCOMPARE(roleValue(model, 0, "status").toString(), u"error"_s);
        QCOMPARE(roleValue(model, 0, "errorCode").toString(), u"upstream_error"_s);
        QCOMPARE(changed.size(), 1);
    }

    void olderPagesGoInFrontWithoutDuplicates()
    {
        MessageListModel model;
        QAbstractItemModelTester tester(&model);
        model.replaceAll({ message(u"m3"_s, Message::Role::User, u"3"_s),
                           message(u"m4"_s, Message::Role::Assistant, u"4"_s) });
        model.prependPage({ message(u"m1"_s, Message::Role::User, u"1"_s),
                            message(u"m2"_s, Message::Role::Assistant, u"2"_s),
                            message(u"m3"_s, Message::Role::User, u"3"_s) });
        QCOMPARE(model.rowCount(), 4);
        for (int row = 0; row < 4; ++row)
            QCOMPARE(roleValue(model, row, "text").toString(), QString::number(row + 1));
    }

    void truncateForABranchSwitch()
    {
        MessageListModel model;
        QAbstractItemModelTester tester(&model);
        model.replaceAll({ message(u"m1"_s, Message::Role::User, u"1"_s),
                           message(u"m2"_s, Message::Role::Assistant, u"2"_s),
                           message(u"m3"_s, Message::Role::User, u"3"_s) });
        model.truncateFrom(1);
        QCOMPARE(model.rowCount(), 1);
        model.truncateFrom(5); // out of range: nothing happens
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.lastWithRole(Message::Role::User)->id, u"m1"_s);
        QVERIFY(!model.lastWithRole(Message::Role::Assistant));
    }

    void modelPickerNamesAndDefault()
    {
        parlance::client::ModelListModel models;
        QAbstractItemModelTester tester(&models);
        parlance::ModelInfo demo;
        demo.id = u"demo"_s;
        demo.displayName = u"Demo (simulated)"_s;
        demo.isDemo = true;
        parlance::ModelInfo bare;
        bare.id = u"gpt-x"_s;
        models.replaceAll({ demo, bare }, u"demo"_s);
        QCOMPARE(models.defaultModel(), u"demo"_s);
        QCOMPARE(models.displayName(u"demo"_s), u"Demo (simulated)"_s);
        QCOMPARE(models.displayName(u"gpt-x"_s), u"gpt-x"_s);
        QCOMPARE(models.displayName(u"retired"_s), u"retired"_s);
        QCOMPARE(models.indexOf(u"retired"_s), -1);
    }
};

QTEST_GUILESS_MAIN(TestMessageListModel)
#include "tst_messagelistmodel.moc"
