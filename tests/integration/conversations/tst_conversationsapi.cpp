// The conversation, folder and message routes over HTTP against a real
// parlanced, on SQLite and on PostgreSQL (parlance_add_server_test). Users
// sign up through the real /api/v1/auth/register route.
#include "contract/apipaths.h"
#include "parlancedprocess.h"
#include "testhttpclient.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace parlance;
using namespace parlance::test;

namespace {

QJsonArray textContent(const QString &text)
{
    return QJsonArray { QJsonObject { { u"type"_s, u"text"_s }, { u"text"_s, text } } };
}

} // namespace

class TestConversationsApi : public QObject
{
    Q_OBJECT

private:
    ParlancedProcess m_server;
    std::unique_ptr<TestHttpClient> m_http;
    QByteArray m_alice;
    QByteArray m_bob;

    TestHttpClient::Reply as(const QByteArray &token, const QByteArray &method, const QString &path,
                             const QJsonObject &body = {})
    {
        const TestHttpClient::Headers auth { { "Authorization", "Bearer " + token } };
        if (method == "GET" || method == "DELETE" || (method == "POST" && body.isEmpty()))
            return m_http->request(method, path, QByteArray(), auth);
        return m_http->request(method, path, body, auth);
    }

    // Posts a message and waits for its answer to end (the stream closes).
    TestHttpClient::Reply postAndWait(const QByteArray &token, const QString &path,
                                      const QJsonObject &body)
    {
        const auto reply = as(token, "POST", path, body);
        const QString answer = reply.json.value(u"assistant_message_id"_s).toString();
        if (!answer.isEmpty())
            (void)as(token, "GET", api::path(api::Stream, answer));
        return reply;
    }

    static void verifyError(const TestHttpClient::Reply &reply, int status, const QString &code)
    {
        QCOMPARE(reply.status, status);
        const QJsonObject error = reply.json.value(u"error"_s).toObject();
        QCOMPARE(reply.json.keys(), QStringList { u"error"_s });
        QCOMPARE(error.value(u"code"_s).toString(), code);
        QVERIFY(!error.value(u"message"_s).toString().isEmpty());
    }

private Q_SLOTS:
    void initTestCase()
    {
        qInfo() << "database:" << ParlancedProcess::databaseKind();
        // Argon2 at its minimum cost: hashing is not what this suite tests.
        // Posting a message starts an answer; the demo model's provider is a
        // closed port here, so each answer ends at once as an error message.
        QVERIFY2(m_server.start({ u"--argon2-memory-kib"_s, u"64"_s, u"--argon2-iterations"_s,
                                  u"1"_s, u"--demo-provider"_s, u"http://127.0.0.1:9"_s }),
                 qPrintable(m_server.errorText()));
        m_http = std::make_unique<TestHttpClient>(m_server.baseUrl());
        const auto signUp = [this](const QString &email) {
            const auto reply = m_http->request(
                "POST", QString(api::AuthRegister),
                QJsonObject { { u"email"_s, email }, { u"password"_s, u"a long passphrase"_s } });
            if (reply.status != 201)
                qWarning() << "register" << email << reply.status << reply.body;
            return reply.json.value(u"access_token"_s).toString().toLatin1();
        };
        m_alice = signUp(u"alice@example.com"_s);
        m_bob = signUp(u"bob@example.com"_s);
        QVERIFY(!m_alice.isEmpty());
        QVERIFY(!m_bob.isEmpty());
    }

    void cleanupTestCase()
    {
        m_http.reset();
        m_server.stop();
    }

    void ownerWalksThroughEveryRoute()
    {
        const auto folder =
            as(m_alice, "POST", QString(api::Folders), { { u"name"_s, u"Work"_s } });
        QCOMPARE(folder.status, 201);
        const QString folderId = folder.json.value(u"id"_s).toString();
        const auto created = as(m_alice, "POST", QString(api::Conversations),
                                { { u"title"_s, u"Plan"_s },
                                  { u"folder_id"_s, folderId },
                                  { u"tags"_s, QJsonArray { u"Red"_s } },
                                  { u"unknown"_s, 1 } });
        QCOMPARE(created.status, 201);
        const QString conv = created.json.value(u"id"_s).toString();
        QCOMPARE(created.json.value(u"model"_s).toString(), u"demo"_s);
        QCOMPARE(created.json.value(u"tags"_s).toArray(), QJsonArray { u"red"_s });
        QCOMPARE(created.header("location"), api::path(api::Conversation, conv).toUtf8());

        const QString messages = api::path(api::ConversationMessages, conv);
        const auto first =
            postAndWait(m_alice, messages, { { u"content"_s, textContent(u"hi"_s) } });
        QCOMPARE(first.status, 201);
        const QString firstId = first.json.value(u"message"_s).toObject().value(u"id"_s).toString();
        const QString firstAnswer = first.json.value(u"assistant_message_id"_s).toString();
        // The design's names: message_id is the answer stream_url streams.
        QVERIFY(!firstAnswer.isEmpty());
        QCOMPARE(first.json.value(u"message_id"_s).toString(), firstAnswer);
        QCOMPARE(first.json.value(u"stream_url"_s).toString(), api::path(api::Stream, firstAnswer));
        // Edit the first message: a new root sibling.
        const auto edit = postAndWait(
            m_alice, messages,
            { { u"parent_id"_s, QJsonValue::Null }, { u"content"_s, textContent(u"hello"_s) } });
        QCOMPARE(edit.status, 201);
        const QJsonObject edited = edit.json.value(u"message"_s).toObject();
        QCOMPARE(edited.value(u"sibling_index"_s).toInt(), 1);
        QCOMPARE(edited.value(u"sibling_count"_s).toInt(), 2);

        // The edit and its (failed) answer.
        const auto path = as(m_alice, "GET", messages + u"?limit=10"_s);
        QCOMPARE(path.status, 200);
        QCOMPARE(path.json.value(u"messages"_s).toArray().size(), 2);
        QCOMPARE(path.json.value(u"has_more_before"_s).toBool(), false);

        const auto one = as(m_alice, "GET", api::path(api::Message, firstId));
        QCOMPARE(one.status, 200);
        QCOMPARE(one.json.value(u"sibling_ids"_s).toArray().size(), 2);

        const auto select = as(m_alice, "PATCH", api::path(api::Conversation, conv),
                               { { u"selected_message_id"_s, firstId }, { u"pinned"_s, true } });
        QCOMPARE(select.status, 200);
        // The branch through the first message ends at its answer.
        QCOMPARE(select.json.value(u"selected_leaf_id"_s).toString(), firstAnswer);
        QCOMPARE(select.json.value(u"pinned"_s).toBool(), true);

        const auto list =
            as(m_alice, "GET",
               QString(api::Conversations) + u"?pinned=true&tag=RED&folder="_s + folderId);
        QCOMPARE(list.status, 200);
        QCOMPARE(list.json.value(u"conversations"_s).toArray().size(), 1);
        QVERIFY(list.json.value(u"next_cursor"_s).isNull());

        const auto tags = as(m_alice, "GET", QString(api::Tags));
        QCOMPARE(tags.json.value(u"tags"_s).toArray().at(0).toObject().value(u"count"_s).toInt(),
                 1);
        QCOMPARE(
            as(m_alice, "GET", QString(api::Folders)).json.value(u"folders"_s).toArray().size(), 1);
        QCOMPARE(as(m_alice, "PATCH", api::path(api::Folder, folderId), { { u"name"_s, u"Job"_s } })
                     .json.value(u"name"_s)
                     .toString(),
                 u"Job"_s);

        QCOMPARE(as(m_alice, "DELETE", api::path(api::Conversation, conv)).status, 204);
        const auto trash = as(m_alice, "GET", QString(api::Conversations) + u"?deleted=true"_s);
        QCOMPARE(trash.json.value(u"conversations"_s).toArray().size(), 1);
        verifyError(as(m_alice, "GET", messages), 404, u"not_found"_s);
        const auto restored = as(m_alice, "POST", api::path(api::ConversationRestore, conv));
        QCOMPARE(restored.status, 200);
        QVERIFY(restored.json.value(u"deleted_at"_s).isNull());
        QCOMPARE(as(m_alice, "DELETE", api::path(api::Folder, folderId)).status, 204);
        QVERIFY(as(m_alice, "GET", api::path(api::Conversation, conv))
                    .json.value(u"folder_id"_s)
                    .isNull());
    }

    // History pages are cached by the conversation's head (HistoryPageCache):
    // every change must show in the next read, and going back to an earlier
    // branch must show exactly that branch again.
    void historyFollowsEveryChange()
    {
        const auto created =
            as(m_alice, "POST", QString(api::Conversations), { { u"title"_s, u"Cache"_s } });
        QCOMPARE(created.status, 201);
        const QString conv = created.json.value(u"id"_s).toString();
        const QString messages = api::path(api::ConversationMessages, conv);
        const auto ids = [](const TestHttpClient::Reply &page) {
            QStringList out;
            for (const QJsonValue &m : page.json.value(u"messages"_s).toArray())
                out.append(m.toObject().value(u"id"_s).toString());
            return out;
        };

        QVERIFY(ids(as(m_alice, "GET", messages)).isEmpty());
        const auto first =
            postAndWait(m_alice, messages, { { u"content"_s, textContent(u"one"_s) } });
        const QString firstId = first.json.value(u"message"_s).toObject().value(u"id"_s).toString();
        const QString firstAnswer = first.json.value(u"assistant_message_id"_s).toString();
        const auto onFirst = as(m_alice, "GET", messages);
        QCOMPARE(ids(onFirst), (QStringList { firstId, firstAnswer }));
        // The same read again, and a different window of it.
        QCOMPARE(as(m_alice, "GET", messages).body, onFirst.body);
        QCOMPARE(ids(as(m_alice, "GET", messages + u"?limit=1"_s)), QStringList { firstAnswer });

        const auto edit = postAndWait(
            m_alice, messages,
            { { u"parent_id"_s, QJsonValue::Null }, { u"content"_s, textContent(u"two"_s) } });
        const QString editId = edit.json.value(u"message"_s).toObject().value(u"id"_s).toString();
        const QString editAnswer = edit.json.value(u"assistant_message_id"_s).toString();
        const auto onEdit = as(m_alice, "GET", messages);
        QCOMPARE(ids(onEdit), (QStringList { editId, editAnswer }));
        QCOMPARE(onEdit.json.value(u"messages"_s)
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(u"sibling_count"_s)
                     .toInt(),
                 2);

        // Back to the first branch: same leaf as before, but the first
        // message now has a sibling, so the old page must not come back.
        QCOMPARE(as(m_alice, "PATCH", api::path(api::Conversation, conv),
                    { { u"selected_message_id"_s, firstId } })
                     .status,
                 200);
        const auto backOnFirst = as(m_alice, "GET", messages);
        QCOMPARE(ids(backOnFirst), (QStringList { firstId, firstAnswer }));
        QVERIFY(backOnFirst.body != onFirst.body);
        const QJsonObject firstNow =
            backOnFirst.json.value(u"messages"_s).toArray().at(0).toObject();
        QCOMPARE(firstNow.value(u"sibling_index"_s).toInt(), 0);
        QCOMPARE(firstNow.value(u"sibling_count"_s).toInt(), 2);

        // And forward again: exactly the page seen on that branch before.
        QCOMPARE(as(m_alice, "PATCH", api::path(api::Conversation, conv),
                    { { u"selected_message_id"_s, editId } })
                     .status,
                 200);
        QCOMPARE(as(m_alice, "GET", messages).body, onEdit.body);

        // Someone else never gets the cached page; the trash hides it.
        verifyError(as(m_bob, "GET", messages), 404, u"not_found"_s);
        QCOMPARE(as(m_alice, "DELETE", api::path(api::Conversation, conv)).status, 204);
        verifyError(as(m_alice, "GET", messages), 404, u"not_found"_s);
        QCOMPARE(as(m_alice, "POST", api::path(api::ConversationRestore, conv)).status, 200);
        QCOMPARE(as(m_alice, "GET", messages).body, onEdit.body);
    }

    // Every conversation, folder and message route, called by Bob on
    // Alice's ids: 404 not_found with the error shape, and nothing changes.
    void wrongUserGetsNotFoundOnEveryRoute()
    {
        const QString folder =
            as(m_alice, "POST", QString(api::Folders), { { u"name"_s, u"Mine"_s } })
                .json.value(u"id"_s)
                .toString();
        const QString conv =
            as(m_alice, "POST", QString(api::Conversations), { { u"title"_s, u"Secret"_s } })
                .json.value(u"id"_s)
                .toString();
        const QJsonObject posted = postAndWait(m_alice, api::path(api::ConversationMessages, conv),
                                               { { u"content"_s, textContent(u"secret"_s) } })
                                       .json;
        const QString message = posted.value(u"message"_s).toObject().value(u"id"_s).toString();
        const QString answer = posted.value(u"assistant_message_id"_s).toString();
        const QString bobsConv =
            as(m_bob, "POST", QString(api::Conversations), { { u"title"_s, u"Bob"_s } })
                .json.value(u"id"_s)
                .toString();
        QVERIFY(!folder.isEmpty() && !conv.isEmpty() && !message.isEmpty() && !answer.isEmpty()
                && !bobsConv.isEmpty());
        const QJsonObject before = as(m_alice, "GET", api::path(api::Conversation, conv)).json;

        struct Row
        {
            const char *name;
            QByteArray method;
            QString path;
            QJsonObject body;
        };
        const QList<Row> rows {
            { "GET conversation", "GET", api::path(api::Conversation, conv), {} },
            { "PATCH conversation",
              "PATCH",
              api::path(api::Conversation, conv),
              { { u"title"_s, u"x"_s } } },
            { "DELETE conversation", "DELETE", api::path(api::Conversation, conv), {} },
            { "POST restore", "POST", api::path(api::ConversationRestore, conv), {} },
            { "GET messages", "GET", api::path(api::ConversationMessages, conv), {} },
            { "POST message",
              "POST",
              api::path(api::ConversationMessages, conv),
              { { u"content"_s, textContent(u"x"_s) } } },
            { "GET message", "GET", api::path(api::Message, message), {} },
            { "PATCH message (edit)",
              "PATCH",
              api::path(api::Message, message),
              { { u"content"_s, textContent(u"x"_s) } } },
            { "POST regenerate", "POST", api::path(api::MessageRegenerate, answer), {} },
            { "POST stop", "POST", api::path(api::MessageStop, answer), {} },
            { "GET stream", "GET", api::path(api::Stream, answer), {} },
            { "GET folder", "GET", api::path(api::Folder, folder), {} },
            { "PATCH folder", "PATCH", api::path(api::Folder, folder), { { u"name"_s, u"x"_s } } },
            { "DELETE folder", "DELETE", api::path(api::Folder, folder), {} },
            { "POST folder under hers",
              "POST",
              QString(api::Folders),
              { { u"name"_s, u"x"_s }, { u"parent_id"_s, folder } } },
            { "POST conversation into her folder",
              "POST",
              QString(api::Conversations),
              { { u"folder_id"_s, folder } } },
            { "PATCH own conversation into her folder",
              "PATCH",
              api::path(api::Conversation, bobsConv),
              { { u"folder_id"_s, folder } } },
            { "PATCH own selection to her message",
              "PATCH",
              api::path(api::Conversation, bobsConv),
              { { u"selected_message_id"_s, message } } },
            { "POST own message under hers",
              "POST",
              api::path(api::ConversationMessages, bobsConv),
              { { u"parent_id"_s, message }, { u"content"_s, textContent(u"x"_s) } } },
        };
        // Every route of the served document that names a user's object
        // (a path parameter) has a row: a new route cannot escape this test.
        // Admin routes answer 403 to a user (tst_adminapi); /s/{token} is
        // public by design.
        const QJsonObject paths =
            m_http->get(QString(api::OpenApi)).json.value(u"paths"_s).toObject();
        QVERIFY(!paths.isEmpty());
        for (auto path = paths.begin(); path != paths.end(); ++path) {
            if (!path.key().contains(u'{') || path.key().startsWith(u"/api/v1/admin/"_s)
                || path.key().startsWith(u"/s/"_s))
                continue;
            QStringList segments = path.key().split(u'/');
            for (QString &segment : segments) {
                segment =
                    segment.startsWith(u'{') ? u"[^/]+"_s : QRegularExpression::escape(segment);
            }
            const QString pattern = segments.join(u'/');
            const QRegularExpression template_(u'^' + pattern + u'$');
            for (const QString &method : path.value().toObject().keys()) {
                const bool covered = std::any_of(rows.begin(), rows.end(), [&](const Row &row) {
                    return row.method == method.toUpper().toLatin1()
                        && template_.match(row.path).hasMatch();
                });
                QVERIFY2(
                    covered,
                    qPrintable(method.toUpper() + u' ' + path.key() + u" has no wrong-user row"_s));
            }
        }

        for (const Row &row : rows) {
            const auto reply = as(m_bob, row.method, row.path, row.body);
            QVERIFY2(reply.status == 404,
                     qPrintable(QString::fromLatin1(row.name) + u": "_s
                                + QString::number(reply.status)));
            verifyError(reply, 404, u"not_found"_s);
        }
        QCOMPARE(as(m_alice, "GET", api::path(api::Conversation, conv)).json, before);
        QCOMPARE(as(m_alice, "GET", api::path(api::Folder, folder)).status, 200);
        QCOMPARE(as(m_bob, "GET", QString(api::Conversations))
                     .json.value(u"conversations"_s)
                     .toArray()
                     .size(),
                 1);
    }

    void wrongFieldTypesNameTheField_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QJsonObject>("body");
        QTest::newRow("pinned as string")
            << QByteArray("PATCH") << u"pinned"_s << QJsonObject { { u"pinned"_s, u"yes"_s } };
        QTest::newRow("tags as string")
            << QByteArray("PATCH") << u"tags"_s << QJsonObject { { u"tags"_s, u"a"_s } };
        QTest::newRow("title too long") << QByteArray("PATCH") << u"title"_s
                                        << QJsonObject { { u"title"_s, QString(400, u'x') } };
        QTest::newRow("limit") << QByteArray("GET") << u"limit"_s << QJsonObject {};
    }

    void wrongFieldTypesNameTheField()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, field);
        QFETCH(QJsonObject, body);
        const QString conv =
            as(m_alice, "POST", QString(api::Conversations), { { u"title"_s, u"t"_s } })
                .json.value(u"id"_s)
                .toString();
        QVERIFY(!conv.isEmpty());
        const auto reply = method == "GET"
            ? as(m_alice, "GET", QString(api::Conversations) + u"?limit=500"_s)
            : as(m_alice, method, api::path(api::Conversation, conv), body);
        verifyError(reply, 400, u"invalid_field"_s);
        QVERIFY(reply.json.value(u"error"_s)
                    .toObject()
                    .value(u"message"_s)
                    .toString()
                    .contains(u'"' + field + u'"'));
    }
};

QTEST_GUILESS_MAIN(TestConversationsApi)
#include "tst_conversationsapi.moc"
