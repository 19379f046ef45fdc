#include "common/timestamp.h"
#include "contract/errorcodes.h"
#include "domain/conversation.h"
#include "domain/folder.h"
#include "domain/message.h"
#include "domain/modelinfo.h"
#include "domain/quota.h"
#include "domain/sharelink.h"
#include "domain/usage.h"
#include "domain/usagesummary.h"
#include "domain/user.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMetaEnum>
#include <QMetaProperty>
#include <QTest>
#include <QTimeZone>

#include <limits>
#include <type_traits>

using namespace Qt::StringLiterals;
using namespace parlance;

namespace {

QJsonObject fixture(const QString &name)
{
    QFile file(QStringLiteral(PARLANCE_TEST_DATA_DIR "/domain/") + name + u".json");
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        qFatal("fixture %s is not a JSON object", qPrintable(name));
    return document.object();
}

// Parses with T::fromJson and writes the value back, so rows of different types
// can share one data-driven test.
using Reserialize = Result<QJsonObject> (*)(const QJsonObject &);

template<typename T> Result<QJsonObject> reserialize(const QJsonObject &json)
{
    const Result<T> parsed = T::fromJson(json);
    if (!parsed)
        return parsed.error();
    return parsed->toJson();
}

Reserialize codecFor(const QString &type)
{
    static const QHash<QString, Reserialize> codecs {
        { u"User"_s, &reserialize<User> },
        { u"Conversation"_s, &reserialize<Conversation> },
        { u"Folder"_s, &reserialize<Folder> },
        { u"Message"_s, &reserialize<Message> },
        { u"ContentPart"_s, &reserialize<ContentPart> },
        { u"Usage"_s, &reserialize<Usage> },
        { u"ModelInfo"_s, &reserialize<ModelInfo> },
        { u"ShareLink"_s, &reserialize<ShareLink> },
        { u"Quota"_s, &reserialize<Quota> },
        { u"UsageSummary"_s, &reserialize<UsageSummary> },
    };
    const Reserialize codec = codecs.value(type);
    if (!codec)
        qFatal("no codec for %s", qPrintable(type));
    return codec;
}

// Replaces (or with an undefined value removes) the value at a slash-separated
// path such as "content/1/file_id".
QJsonValue withChange(const QJsonValue &node, QStringView path, const QJsonValue &replacement)
{
    const qsizetype slash = path.indexOf(u'/');
    const QStringView head = slash < 0 ? path : path.left(slash);
    const QStringView rest = slash < 0 ? QStringView() : path.mid(slash + 1);
    if (node.isArray()) {
        QJsonArray array = node.toArray();
        const qsizetype index = head.toInt();
        if (rest.isEmpty())
            array[index] = replacement;
        else
            array[index] = withChange(array.at(index), rest, replacement);
        return array;
    }
    QJsonObject object = node.toObject();
    const QString key = head.toString();
    if (rest.isEmpty()) {
        if (replacement.isUndefined())
            object.remove(key);
        else
            object.insert(key, replacement);
    } else {
        object.insert(key, withChange(object.value(key), rest, replacement));
    }
    return object;
}

QString compact(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QDateTime at(const char *iso)
{
    return *timestamp::fromIso(QString::fromLatin1(iso));
}

const QJsonValue Remove(QJsonValue::Undefined);
const QJsonValue Null(QJsonValue::Null);

// Sample values built in C++ (not from fixtures), with edge cases the fixtures
// do not cover: large numbers, odd text, empty lists.
Message richMessage()
{
    Message message;
    message.id = u"m-1"_s;
    message.conversationId = u"c-1"_s;
    message.parentId = u"m-0"_s;
    message.role = Message::Role::Assistant;
    message.content = {
        ContentPart::fromText(u"Quotes \" and \\ backslashes, tabs\t, emoji 🎉 and 中文\n"_s),
        ContentPart::fromFile(u"f-1"_s, u"application/pdf"_s, u"Report (final).pdf"_s),
        ContentPart::fromText(QString()),
    };
    message.status = Message::Status::Error;
    message.error = ApiError { u"quota_exceeded"_s, u"Daily tokens used up."_s, 3600 };
    message.model = u"gpt-4o"_s;
    message.deployment = u"azure-east"_s;
    message.usage = Usage { std::numeric_limits<int>::max() + qint64(1), 0, 0, true,
                            std::numeric_limits<qint64>::max() };
    message.siblingIndex = 4;
    message.siblingCount = 5;
    message.createdAt = at("1999-12-31T23:59:59.999Z");
    message.timeToFirstTokenMs = 0;
    message.totalTimeMs = qint64(1) << 53;
    return message;
}

Conversation richConversation()
{
    Conversation conversation;
    conversation.id = u"c-1"_s;
    conversation.title = u"Ünïcödé « title » with \"quotes\""_s;
    conversation.model = u"claude-sonnet"_s;
    conversation.systemPrompt = u"Line one\nLine two"_s;
    conversation.folderId = u"f-9"_s;
    conversation.tags = { u"a"_s, u"b c"_s, u"日本"_s };
    conversation.pinned = true;
    conversation.archived = true;
    conversation.createdAt = at("2026-01-01T00:00:00.000Z");
    conversation.updatedAt = at("2026-01-02T00:00:00.001Z");
    conversation.lastMessageAt = at("2026-01-02T00:00:00.001Z");
    conversation.messageCount = std::numeric_limits<int>::max();
    conversation.deletedAt = at("2026-02-01T10:00:00.000Z");
    conversation.selectedLeafId = u"m-7"_s;
    return conversation;
}

template<typename T> void checkValueRoundTrip(const QVariant &variant)
{
    const T original = variant.value<T>();
    const QJsonObject json = original.toJson();
    // Through text as well: integers above 2^53 must survive the document.
    const QJsonObject reparsed = QJsonDocument::fromJson(QJsonDocument(json).toJson()).object();
    const Result<T> back = T::fromJson(reparsed);
    QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().message));
    QVERIFY2(back.value() == original, qPrintable(compact(json)));
    QCOMPARE(compact(back->toJson()), compact(json));
}

} // namespace

class TestDomainJson : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void canonicalFixtureRoundTripsExactly_data();
    void canonicalFixtureRoundTripsExactly();
    void valueRoundTripsThroughJsonText_data();
    void valueRoundTripsThroughJsonText();
    void missingOrInvalidFieldIsNamed_data();
    void missingOrInvalidFieldIsNamed();
    void nullOrAbsentOptionalMeansNone_data();
    void nullOrAbsentOptionalMeansNone();
    void unknownFieldsAreIgnored_data();
    void unknownFieldsAreIgnored();
    void fixtureFieldsReadIntoMembers();
    void timestampsAreWrittenInUtcWithMilliseconds();
    void timestampWithOffsetIsReadAsUtc();
    void firstErrorWins();
    void enumSpellingsCoverEveryValue();
    void unknownEnumSpellingsAreRejected();
    void plainTextJoinsTextPartsOnly();
    void appendTextExtendsLastTextPart();
    void modelCostOfUsageRoundsOnce();
    void gadgetPropertiesAreReadable();
};

void TestDomainJson::canonicalFixtureRoundTripsExactly_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("fixture");

    QTest::newRow("user") << u"User"_s << u"user"_s;
    QTest::newRow("conversation") << u"Conversation"_s << u"conversation"_s;
    QTest::newRow("conversation, new") << u"Conversation"_s << u"conversation_new"_s;
    QTest::newRow("conversation, deleted") << u"Conversation"_s << u"conversation_deleted"_s;
    QTest::newRow("folder") << u"Folder"_s << u"folder"_s;
    QTest::newRow("folder, top level") << u"Folder"_s << u"folder_top"_s;
    QTest::newRow("message, user with file") << u"Message"_s << u"message_user"_s;
    QTest::newRow("message, assistant") << u"Message"_s << u"message_assistant"_s;
    QTest::newRow("message, interrupted") << u"Message"_s << u"message_interrupted"_s;
    QTest::newRow("message, streaming") << u"Message"_s << u"message_streaming"_s;
    QTest::newRow("usage") << u"Usage"_s << u"usage"_s;
    QTest::newRow("model info") << u"ModelInfo"_s << u"model_info"_s;
    QTest::newRow("share link") << u"ShareLink"_s << u"share_link"_s;
    QTest::newRow("share link, no expiry") << u"ShareLink"_s << u"share_link_forever"_s;
    QTest::newRow("quota") << u"Quota"_s << u"quota"_s;
    QTest::newRow("quota, unlimited") << u"Quota"_s << u"quota_unlimited"_s;
    QTest::newRow("usage summary") << u"UsageSummary"_s << u"usage_summary"_s;
}

// The fixtures are the documented wire shape: writing back what was read must
// give the same object, key for key, nulls included.
void TestDomainJson::canonicalFixtureRoundTripsExactly()
{
    QFETCH(QString, type);
    QFETCH(QString, fixture);
    const QJsonObject json = ::fixture(fixture);
    const Result<QJsonObject> written = codecFor(type)(json);
    QVERIFY2(written.ok(), qPrintable(written.ok() ? QString() : written.error().message));
    QCOMPARE(written->keys(), json.keys());
    QCOMPARE(compact(*written), compact(json));
    QVERIFY(*written == json);
}

void TestDomainJson::valueRoundTripsThroughJsonText_data()
{
    QTest::addColumn<QVariant>("value");

    QTest::newRow("default user") << QVariant::fromValue(User { u"u"_s, u"e@x"_s, QString(),
                                                                User::Role::User, u"free"_s, true,
                                                                at("2026-11-25T12:00:00.000Z") });
    QTest::newRow("rich conversation") << QVariant::fromValue(richConversation());
    QTest::newRow("folder") << QVariant::fromValue(
        Folder { u"f"_s, u"Ünïcödé"_s, u"p"_s, at("2026-11-25T12:00:00.007Z") });
    QTest::newRow("rich message") << QVariant::fromValue(richMessage());
    QTest::newRow("message without content")
        << QVariant::fromValue(Message { u"m"_s,
                                         u"c"_s,
                                         QString(),
                                         Message::Role::System,
                                         {},
                                         Message::Status::Stopped,
                                         std::nullopt,
                                         QString(),
                                         QString(),
                                         std::nullopt,
                                         0,
                                         1,
                                         at("2026-11-25T12:00:00.000Z"),
                                         std::nullopt,
                                         std::nullopt });
    QTest::newRow("usage at int64 limit") << QVariant::fromValue(
        Usage { std::numeric_limits<qint64>::max(), std::numeric_limits<qint64>::max(),
                std::numeric_limits<qint64>::max(), false, std::numeric_limits<qint64>::max() });
    QTest::newRow("model info") << QVariant::fromValue(ModelInfo {
        u"local-llama"_s, u"Llama (local)"_s, u"ollama"_s, 8192, 0, 0, 0, false, true });
    QTest::newRow("share link") << QVariant::fromValue(
        ShareLink { u"t"_s, u"c"_s, u"http://localhost:8080/s/t"_s, at("2026-11-25T12:00:00.000Z"),
                    QDateTime(), false });
    QTest::newRow("quota, zero limits") << QVariant::fromValue(Quota { u"blocked"_s, 0, 0, 0, 0 });
    QTest::newRow("usage summary, unlimited") << QVariant::fromValue(
        UsageSummary { Quota { u"enterprise"_s, std::nullopt, std::nullopt, std::nullopt, 1 }, 1, 2,
                       3, 4, 5, std::nullopt, std::nullopt, std::nullopt,
                       at("2026-11-26T00:00:00.000Z"), at("2026-12-01T00:00:00.000Z") });
}

void TestDomainJson::valueRoundTripsThroughJsonText()
{
    QFETCH(QVariant, value);
    const QMetaType type = value.metaType();
    if (type == QMetaType::fromType<User>())
        checkValueRoundTrip<User>(value);
    else if (type == QMetaType::fromType<Conversation>())
        checkValueRoundTrip<Conversation>(value);
    else if (type == QMetaType::fromType<Folder>())
        checkValueRoundTrip<Folder>(value);
    else if (type == QMetaType::fromType<Message>())
        checkValueRoundTrip<Message>(value);
    else if (type == QMetaType::fromType<Usage>())
        checkValueRoundTrip<Usage>(value);
    else if (type == QMetaType::fromType<ModelInfo>())
        checkValueRoundTrip<ModelInfo>(value);
    else if (type == QMetaType::fromType<ShareLink>())
        checkValueRoundTrip<ShareLink>(value);
    else if (type == QMetaType::fromType<Quota>())
        checkValueRoundTrip<Quota>(value);
    else if (type == QMetaType::fromType<UsageSummary>())
        checkValueRoundTrip<UsageSummary>(value);
    else
        QFAIL(type.name());
}

void TestDomainJson::missingOrInvalidFieldIsNamed_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QJsonValue>("replacement");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("field");

    const QString missing = QString(errc::MissingField);
    const QString invalid = QString(errc::InvalidField);
    const auto row = [](const char *name, const QString &type, const QString &fixture,
                        const QString &path, const QJsonValue &replacement, const QString &code,
                        const QString &field) {
        QTest::newRow(name) << type << fixture << path << replacement << code << field;
    };
    const QString u = u"User"_s, c = u"Conversation"_s, f = u"Folder"_s, m = u"Message"_s,
                  us = u"Usage"_s, mi = u"ModelInfo"_s, s = u"ShareLink"_s, q = u"Quota"_s,
                  sum = u"UsageSummary"_s;

    row("user: id absent", u, u"user"_s, u"id"_s, Remove, missing, u"id"_s);
    row("user: id null", u, u"user"_s, u"id"_s, Null, missing, u"id"_s);
    row("user: id empty", u, u"user"_s, u"id"_s, u""_s, invalid, u"id"_s);
    row("user: id a number", u, u"user"_s, u"id"_s, 42, invalid, u"id"_s);
    row("user: email absent", u, u"user"_s, u"email"_s, Remove, missing, u"email"_s);
    row("user: display_name absent", u, u"user"_s, u"display_name"_s, Remove, missing,
        u"display_name"_s);
    row("user: role unknown", u, u"user"_s, u"role"_s, u"superuser"_s, invalid, u"role"_s);
    row("user: role wrong case", u, u"user"_s, u"role"_s, u"Admin"_s, invalid, u"role"_s);
    row("user: tier absent", u, u"user"_s, u"tier"_s, Remove, missing, u"tier"_s);
    row("user: disabled a string", u, u"user"_s, u"disabled"_s, u"false"_s, invalid, u"disabled"_s);
    row("user: disabled a number", u, u"user"_s, u"disabled"_s, 0, invalid, u"disabled"_s);
    row("user: created_at not a date", u, u"user"_s, u"created_at"_s, u"yesterday"_s, invalid,
        u"created_at"_s);
    row("user: created_at without zone", u, u"user"_s, u"created_at"_s,
        u"2026-11-25T12:00:00.000"_s, invalid, u"created_at"_s);
    row("user: created_at epoch number", u, u"user"_s, u"created_at"_s, 1764072000, invalid,
        u"created_at"_s);

    row("conversation: model absent", c, u"conversation"_s, u"model"_s, Remove, missing,
        u"model"_s);
    row("conversation: title a number", c, u"conversation"_s, u"title"_s, 7, invalid, u"title"_s);
    row("conversation: system_prompt absent", c, u"conversation"_s, u"system_prompt"_s, Remove,
        missing, u"system_prompt"_s);
    row("conversation: folder_id empty", c, u"conversation"_s, u"folder_id"_s, u""_s, invalid,
        u"folder_id"_s);
    row("conversation: folder_id a number", c, u"conversation"_s, u"folder_id"_s, 3, invalid,
        u"folder_id"_s);
    row("conversation: tags absent", c, u"conversation"_s, u"tags"_s, Remove, missing, u"tags"_s);
    row("conversation: tags a string", c, u"conversation"_s, u"tags"_s, u"work"_s, invalid,
        u"tags"_s);
    row("conversation: tag a number", c, u"conversation"_s, u"tags/0"_s, 1, invalid, u"tags[0]"_s);
    row("conversation: tag empty", c, u"conversation"_s, u"tags/1"_s, u""_s, invalid, u"tags[1]"_s);
    row("conversation: pinned absent", c, u"conversation"_s, u"pinned"_s, Remove, missing,
        u"pinned"_s);
    row("conversation: updated_at absent", c, u"conversation"_s, u"updated_at"_s, Remove, missing,
        u"updated_at"_s);
    row("conversation: message_count negative", c, u"conversation"_s, u"message_count"_s, -1,
        invalid, u"message_count"_s);
    row("conversation: message_count fractional", c, u"conversation"_s, u"message_count"_s, 1.5,
        invalid, u"message_count"_s);
    row("conversation: message_count a string", c, u"conversation"_s, u"message_count"_s, u"6"_s,
        invalid, u"message_count"_s);
    row("conversation: message_count above int", c, u"conversation"_s, u"message_count"_s,
        qint64(1) << 40, invalid, u"message_count"_s);
    row("conversation: deleted_at garbage", c, u"conversation"_s, u"deleted_at"_s, u"soon"_s,
        invalid, u"deleted_at"_s);
    row("conversation: selected_leaf_id an object", c, u"conversation"_s, u"selected_leaf_id"_s,
        QJsonObject(), invalid, u"selected_leaf_id"_s);

    row("folder: name empty", f, u"folder"_s, u"name"_s, u""_s, invalid, u"name"_s);
    row("folder: parent_id a number", f, u"folder"_s, u"parent_id"_s, 1, invalid, u"parent_id"_s);
    row("folder: created_at absent", f, u"folder"_s, u"created_at"_s, Remove, missing,
        u"created_at"_s);

    row("message: conversation_id absent", m, u"message_user"_s, u"conversation_id"_s, Remove,
        missing, u"conversation_id"_s);
    row("message: role tool", m, u"message_user"_s, u"role"_s, u"tool"_s, invalid, u"role"_s);
    row("message: status done", m, u"message_user"_s, u"status"_s, u"done"_s, invalid, u"status"_s);
    row("message: content absent", m, u"message_user"_s, u"content"_s, Remove, missing,
        u"content"_s);
    row("message: content a string", m, u"message_user"_s, u"content"_s, u"hello"_s, invalid,
        u"content"_s);
    row("message: content element a string", m, u"message_user"_s, u"content/0"_s, u"hello"_s,
        invalid, u"content[0]"_s);
    row("message: content type unknown", m, u"message_user"_s, u"content/1/type"_s, u"image"_s,
        invalid, u"content[1].type"_s);
    row("message: content type absent", m, u"message_user"_s, u"content/0/type"_s, Remove, missing,
        u"content[0].type"_s);
    row("message: text part without text", m, u"message_user"_s, u"content/0/text"_s, Remove,
        missing, u"content[0].text"_s);
    row("message: file part without file_id", m, u"message_user"_s, u"content/1/file_id"_s, Remove,
        missing, u"content[1].file_id"_s);
    row("message: file part with empty mime_type", m, u"message_user"_s, u"content/1/mime_type"_s,
        u""_s, invalid, u"content[1].mime_type"_s);
    row("message: usage a string", m, u"message_assistant"_s, u"usage"_s, u"lots"_s, invalid,
        u"usage"_s);
    row("message: usage without input_tokens", m, u"message_assistant"_s, u"usage/input_tokens"_s,
        Remove, missing, u"usage.input_tokens"_s);
    row("message: usage with more cached than input", m, u"message_assistant"_s,
        u"usage/cached_tokens"_s, 1533, invalid, u"usage.cached_tokens"_s);
    row("message: error without code", m, u"message_interrupted"_s, u"error/code"_s, Remove,
        missing, u"error.code"_s);
    row("message: error retry_after negative", m, u"message_interrupted"_s, u"error/retry_after"_s,
        -1, invalid, u"error.retry_after"_s);
    row("message: error an array", m, u"message_interrupted"_s, u"error"_s, QJsonArray(), invalid,
        u"error"_s);
    row("message: model absent", m, u"message_user"_s, u"model"_s, Remove, missing, u"model"_s);
    row("message: deployment empty", m, u"message_assistant"_s, u"deployment"_s, u""_s, invalid,
        u"deployment"_s);
    row("message: sibling_count zero", m, u"message_user"_s, u"sibling_count"_s, 0, invalid,
        u"sibling_count"_s);
    row("message: sibling_index equal to count", m, u"message_user"_s, u"sibling_index"_s, 2,
        invalid, u"sibling_index"_s);
    row("message: sibling_index absent", m, u"message_user"_s, u"sibling_index"_s, Remove, missing,
        u"sibling_index"_s);
    row("message: time_to_first_token_ms negative", m, u"message_assistant"_s,
        u"time_to_first_token_ms"_s, -5, invalid, u"time_to_first_token_ms"_s);
    row("message: total_time_ms a string", m, u"message_assistant"_s, u"total_time_ms"_s, u"4870"_s,
        invalid, u"total_time_ms"_s);

    row("usage: estimated absent", us, u"usage"_s, u"estimated"_s, Remove, missing, u"estimated"_s);
    row("usage: cost_micros too large for int64", us, u"usage"_s, u"cost_micros"_s, 1e300, invalid,
        u"cost_micros"_s);
    row("usage: output_tokens negative", us, u"usage"_s, u"output_tokens"_s, -1, invalid,
        u"output_tokens"_s);

    row("model: context_window zero", mi, u"model_info"_s, u"context_window"_s, 0, invalid,
        u"context_window"_s);
    row("model: input price negative", mi, u"model_info"_s, u"input_micros_per_million"_s, -1,
        invalid, u"input_micros_per_million"_s);
    row("model: output price in dollars", mi, u"model_info"_s, u"output_micros_per_million"_s, 10.5,
        invalid, u"output_micros_per_million"_s);
    row("model: supports_images absent", mi, u"model_info"_s, u"supports_images"_s, Remove, missing,
        u"supports_images"_s);

    row("share: url absent", s, u"share_link"_s, u"url"_s, Remove, missing, u"url"_s);
    row("share: expires_at garbage", s, u"share_link"_s, u"expires_at"_s, u"2026-13-01"_s, invalid,
        u"expires_at"_s);
    row("share: include_future_messages absent", s, u"share_link"_s, u"include_future_messages"_s,
        Remove, missing, u"include_future_messages"_s);

    row("quota: tier empty", q, u"quota"_s, u"tier"_s, u""_s, invalid, u"tier"_s);
    row("quota: tokens_per_day negative", q, u"quota"_s, u"tokens_per_day"_s, -1, invalid,
        u"tokens_per_day"_s);
    row("quota: max_upload_bytes absent", q, u"quota"_s, u"max_upload_bytes"_s, Remove, missing,
        u"max_upload_bytes"_s);
    row("quota: max_upload_bytes null", q, u"quota_unlimited"_s, u"max_upload_bytes"_s, Null,
        missing, u"max_upload_bytes"_s);

    row("summary: quota absent", sum, u"usage_summary"_s, u"quota"_s, Remove, missing, u"quota"_s);
    row("summary: quota a number", sum, u"usage_summary"_s, u"quota"_s, 5, invalid, u"quota"_s);
    row("summary: quota without tier", sum, u"usage_summary"_s, u"quota/tier"_s, Remove, missing,
        u"quota.tier"_s);
    row("summary: tokens_today absent", sum, u"usage_summary"_s, u"tokens_today"_s, Remove, missing,
        u"tokens_today"_s);
    row("summary: remaining negative", sum, u"usage_summary"_s, u"tokens_remaining_today"_s, -3,
        invalid, u"tokens_remaining_today"_s);
    row("summary: month_resets_at absent", sum, u"usage_summary"_s, u"month_resets_at"_s, Remove,
        missing, u"month_resets_at"_s);
}

void TestDomainJson::missingOrInvalidFieldIsNamed()
{
    QFETCH(QString, type);
    QFETCH(QString, fixture);
    QFETCH(QString, path);
    QFETCH(QJsonValue, replacement);
    QFETCH(QString, code);
    QFETCH(QString, field);

    const QJsonObject broken = withChange(::fixture(fixture), path, replacement).toObject();
    const Result<QJsonObject> result = codecFor(type)(broken);
    QVERIFY2(!result.ok(), qPrintable(compact(broken)));
    QCOMPARE(result.error().code, code);
    const QString quoted = u'"' + field + u'"';
    QVERIFY2(result.error().message.contains(quoted),
             qPrintable(result.error().message + u" does not name "_s + quoted));
    QVERIFY(!result.error().retryAfterSeconds.has_value());
}

void TestDomainJson::nullOrAbsentOptionalMeansNone_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<QString>("key");

    const auto rows = [](const QString &type, const QString &fixture,
                         std::initializer_list<QString> keys) {
        for (const QString &key : keys) {
            const QString name = fixture + u'.' + key;
            QTest::newRow(qPrintable(name)) << type << fixture << key;
        }
    };
    rows(u"Conversation"_s, u"conversation"_s,
         { u"folder_id"_s, u"last_message_at"_s, u"selected_leaf_id"_s });
    rows(u"Conversation"_s, u"conversation_deleted"_s, { u"deleted_at"_s });
    rows(u"Folder"_s, u"folder"_s, { u"parent_id"_s });
    rows(u"Message"_s, u"message_assistant"_s,
         { u"parent_id"_s, u"deployment"_s, u"usage"_s, u"time_to_first_token_ms"_s,
           u"total_time_ms"_s });
    rows(u"Message"_s, u"message_interrupted"_s, { u"error"_s });
    rows(u"ShareLink"_s, u"share_link"_s, { u"expires_at"_s });
    rows(u"Quota"_s, u"quota"_s,
         { u"requests_per_minute"_s, u"tokens_per_day"_s, u"tokens_per_month"_s });
    rows(u"UsageSummary"_s, u"usage_summary"_s,
         { u"tokens_remaining_today"_s, u"tokens_remaining_this_month"_s,
           u"requests_remaining_this_minute"_s });
}

// Absent and null read the same, and both are written back as null so the
// shape stays stable.
void TestDomainJson::nullOrAbsentOptionalMeansNone()
{
    QFETCH(QString, type);
    QFETCH(QString, fixture);
    QFETCH(QString, key);

    const QJsonObject original = ::fixture(fixture);
    QVERIFY2(!original.value(key).isNull(), "the fixture should have a value to take away");
    QJsonObject expected = original;
    expected.insert(key, Null);

    for (const QJsonValue &none : { Null, Remove }) {
        const QJsonObject input = withChange(original, key, none).toObject();
        const Result<QJsonObject> written = codecFor(type)(input);
        QVERIFY2(written.ok(), qPrintable(written.ok() ? QString() : written.error().message));
        QCOMPARE(compact(*written), compact(expected));
        QVERIFY(*written == expected);
    }
}

void TestDomainJson::unknownFieldsAreIgnored_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<QString>("path");

    QTest::newRow("user, top level") << u"User"_s << u"user"_s << u"future_field"_s;
    QTest::newRow("conversation, top level")
        << u"Conversation"_s << u"conversation"_s << u"share_count"_s;
    QTest::newRow("message, top level") << u"Message"_s << u"message_user"_s << u"reactions"_s;
    QTest::newRow("message, in a content part")
        << u"Message"_s << u"message_user"_s << u"content/1/width"_s;
    QTest::newRow("message, in usage")
        << u"Message"_s << u"message_assistant"_s << u"usage/reasoning_tokens"_s;
    QTest::newRow("message, in error")
        << u"Message"_s << u"message_interrupted"_s << u"error/details"_s;
    QTest::newRow("model info") << u"ModelInfo"_s << u"model_info"_s << u"max_output"_s;
    QTest::newRow("summary, in quota")
        << u"UsageSummary"_s << u"usage_summary"_s << u"quota/burst"_s;
}

void TestDomainJson::unknownFieldsAreIgnored()
{
    QFETCH(QString, type);
    QFETCH(QString, fixture);
    QFETCH(QString, path);

    const QJsonObject original = ::fixture(fixture);
    const QJsonValue extra = QJsonObject { { u"nested"_s, QJsonArray { 1, u"two"_s, Null } } };
    const QJsonObject input = withChange(original, path, extra).toObject();
    QVERIFY(input != original);
    const Result<QJsonObject> written = codecFor(type)(input);
    QVERIFY2(written.ok(), qPrintable(written.ok() ? QString() : written.error().message));
    QCOMPARE(compact(*written), compact(original));
    QVERIFY(*written == original);
}

void TestDomainJson::fixtureFieldsReadIntoMembers()
{
    const Result<Message> message = Message::fromJson(fixture(u"message_interrupted"_s));
    QVERIFY(message.ok());
    QCOMPARE(message->id, u"0b9e6f7a-3c41-4d8e-9a52-7f1c2d3e4b5b"_s);
    QCOMPARE(message->parentId, u"c0ffee00-1111-4222-8333-444455556666"_s);
    QCOMPARE(message->role, Message::Role::Assistant);
    QCOMPARE(message->status, Message::Status::Interrupted);
    QVERIFY(message->isFinal());
    QVERIFY(message->error.has_value());
    QCOMPARE(message->error->code, u"upstream_error"_s);
    QCOMPARE(message->error->retryAfterSeconds, std::optional<int>(5));
    QVERIFY(message->deployment.isNull());
    QCOMPARE(message->usage->inputTokens, qint64(900));
    QCOMPARE(message->usage->estimated, true);
    QCOMPARE(message->usage->cost(), Money::fromMicros(2805));
    QCOMPARE(message->siblingIndex, 2);
    QCOMPARE(message->siblingCount, 3);
    QCOMPARE(message->timeToFirstTokenMs, std::optional<qint64>(450));
    QVERIFY(!message->totalTimeMs.has_value());
    QCOMPARE(message->createdAt, QDateTime(QDate(2026, 11, 25), QTime(12, 0, 2), Qt::UTC));

    const Result<Conversation> fresh = Conversation::fromJson(fixture(u"conversation_new"_s));
    QVERIFY(fresh.ok());
    QVERIFY(fresh->folderId.isNull());
    QVERIFY(!fresh->lastMessageAt.isValid());
    QVERIFY(!fresh->isDeleted());
    QVERIFY(fresh->tags.isEmpty());

    const Result<User> user = User::fromJson(fixture(u"user"_s));
    QVERIFY(user.ok());
    QVERIFY(user->isAdmin());
    QCOMPARE(user->tier, QString(tier::Plus));

    const Result<ShareLink> link = ShareLink::fromJson(fixture(u"share_link"_s));
    QVERIFY(link.ok());
    QVERIFY(!link->isExpiredAt(at("2026-12-25T11:59:59.999Z")));
    QVERIFY(link->isExpiredAt(at("2026-12-25T12:00:00.000Z")));
    const Result<ShareLink> neverExpiring = ShareLink::fromJson(fixture(u"share_link_forever"_s));
    QVERIFY(!neverExpiring->isExpiredAt(at("2999-01-01T00:00:00.000Z")));

    const Result<UsageSummary> summary = UsageSummary::fromJson(fixture(u"usage_summary"_s));
    QVERIFY(summary.ok());
    QCOMPARE(summary->quota.tokensPerDay, std::optional<qint64>(50000));
    QVERIFY(!summary->isExhausted());
    UsageSummary exhausted = *summary;
    exhausted.tokensRemainingThisMonth = 0;
    QVERIFY(exhausted.isExhausted());
}

void TestDomainJson::timestampsAreWrittenInUtcWithMilliseconds()
{
    Folder folder { u"f"_s, u"n"_s, QString(),
                    QDateTime(QDate(2026, 11, 25), QTime(14, 0), QTimeZone(7200)) };
    QCOMPARE(folder.toJson().value(u"created_at"_s).toString(), u"2026-11-25T12:00:00.000Z"_s);
    QCOMPARE(timestamp::toIso(QDateTime()), QString());
    QVERIFY(timestamp::toIso(QDateTime()).isNull());
}

void TestDomainJson::timestampWithOffsetIsReadAsUtc()
{
    QJsonObject json = fixture(u"folder"_s);
    json.insert(u"created_at"_s, u"2026-11-25T14:00:00.250+02:00"_s);
    const Result<Folder> folder = Folder::fromJson(json);
    QVERIFY(folder.ok());
    QCOMPARE(folder->createdAt.timeSpec(), Qt::UTC);
    QCOMPARE(folder->createdAt, QDateTime(QDate(2026, 11, 25), QTime(12, 0, 0, 250), Qt::UTC));
    QCOMPARE(folder->toJson().value(u"created_at"_s).toString(), u"2026-11-25T12:00:00.250Z"_s);
    QVERIFY(!timestamp::fromIso(u"2026-11-25T12:00:00"_s));
    QVERIFY(!timestamp::fromIso(u"2026-11-25"_s));
    QVERIFY(!timestamp::fromIso(u""_s));
}

void TestDomainJson::firstErrorWins()
{
    QJsonObject json = fixture(u"message_user"_s);
    json.remove(u"conversation_id"_s);
    json.insert(u"status"_s, u"nope"_s);
    json.insert(u"created_at"_s, 5);
    const Result<Message> message = Message::fromJson(json);
    QVERIFY(!message.ok());
    QCOMPARE(message.error().code, QString(errc::MissingField));
    QVERIFY(message.error().message.contains(u"\"conversation_id\""_s));
    QVERIFY(!message.error().message.contains(u"status"_s));
}

void TestDomainJson::enumSpellingsCoverEveryValue()
{
    // Every value of every enum has a spelling that reads back to it, and
    // spellings are the documented snake_case words.
    const auto check = [](const QMetaEnum &meta, auto name, auto fromName,
                          const QStringList &expected) {
        QStringList spellings;
        for (int i = 0; i < meta.keyCount(); ++i) {
            using Enum = std::remove_cvref_t<decltype(*fromName(QStringView()))>;
            const auto value = static_cast<Enum>(meta.value(i));
            const QString spelling = QString(name(value));
            QVERIFY2(!spelling.isEmpty(), meta.key(i));
            QCOMPARE(fromName(spelling), std::optional<Enum>(value));
            spellings.append(spelling);
        }
        QCOMPARE(spellings, expected);
    };
    check(QMetaEnum::fromType<User::Role>(), &User::roleName, &User::roleFromName,
          { u"user"_s, u"admin"_s });
    check(QMetaEnum::fromType<Message::Role>(), &Message::roleName, &Message::roleFromName,
          { u"system"_s, u"user"_s, u"assistant"_s });
    check(QMetaEnum::fromType<Message::Status>(), &Message::statusName, &Message::statusFromName,
          { u"complete"_s, u"streaming"_s, u"stopped"_s, u"interrupted"_s, u"error"_s });
    check(QMetaEnum::fromType<ContentPart::Type>(), &ContentPart::typeName,
          &ContentPart::typeFromName, { u"text"_s, u"file"_s });
}

void TestDomainJson::unknownEnumSpellingsAreRejected()
{
    QVERIFY(!Message::roleFromName(u"Assistant"));
    QVERIFY(!Message::roleFromName(u"assistant "));
    QVERIFY(!Message::roleFromName(u""));
    QVERIFY(!Message::statusFromName(u"completed"));
    QVERIFY(!User::roleFromName(u"root"));
    QVERIFY(!ContentPart::typeFromName(u"image_url"));

    QJsonObject json = fixture(u"message_user"_s);
    json.insert(u"role"_s, u"tool"_s);
    const Result<Message> message = Message::fromJson(json);
    QVERIFY(!message.ok());
    // The message tells what would have been valid.
    QVERIFY2(message.error().message.contains(u"system, user, assistant"_s),
             qPrintable(message.error().message));
}

void TestDomainJson::plainTextJoinsTextPartsOnly()
{
    Message message;
    QCOMPARE(message.plainText(), QString());
    message.content = { ContentPart::fromText(u"First."_s),
                        ContentPart::fromFile(u"f1"_s, u"image/png"_s, u"a.png"_s),
                        ContentPart::fromText(u"Second."_s),
                        ContentPart::fromFile(u"f2"_s, u"application/pdf"_s, u"b.pdf"_s) };
    QCOMPARE(message.plainText(), u"First.\n\nSecond."_s);
    QCOMPARE(message.fileIds(), (QStringList { u"f1"_s, u"f2"_s }));
    QVERIFY(message.hasFiles());
    message.content.removeAt(3);
    message.content.removeAt(1);
    QVERIFY(!message.hasFiles());
}

void TestDomainJson::appendTextExtendsLastTextPart()
{
    Message message;
    message.status = Message::Status::Streaming;
    QVERIFY(!message.isFinal());
    message.appendText(u"Hel");
    message.appendText(u"lo");
    QCOMPARE(message.content.size(), 1);
    QCOMPARE(message.plainText(), u"Hello"_s);
    message.content.append(ContentPart::fromFile(u"f"_s, u"image/png"_s, u"x.png"_s));
    message.appendText(u"after");
    QCOMPARE(message.content.size(), 3);
    QCOMPARE(message.content.last().text, u"after"_s);
}

void TestDomainJson::modelCostOfUsageRoundsOnce()
{
    const ModelInfo model = *ModelInfo::fromJson(fixture(u"model_info"_s));
    // 508 uncached input at 2.50 $/M = 1270 micros, 1024 cached at 1.25 $/M =
    // 1280, 212 output at 10 $/M = 2120.
    const Usage usage { 1532, 212, 1024, false, 0 };
    QCOMPARE(model.costOf(usage), Money::fromMicros(1270 + 1280 + 2120));

    // Three charges of 0.4 micro each: rounded separately they would vanish,
    // rounded once they make one micro.
    ModelInfo tiny = model;
    tiny.inputMicrosPerMillion = 400'000;
    tiny.cachedMicrosPerMillion = 400'000;
    tiny.outputMicrosPerMillion = 400'000;
    QCOMPARE(tiny.costOf(Usage { 2, 1, 1, false, 0 }), Money::fromMicros(1));
}

void TestDomainJson::gadgetPropertiesAreReadable()
{
    // QML reads these types through their meta-object; optional members must
    // read as null when absent, not as a made-up zero.
    const Message message = *Message::fromJson(fixture(u"message_interrupted"_s));
    const QMetaObject &meta = Message::staticMetaObject;
    const auto read = [&](const char *name) {
        const int index = meta.indexOfProperty(name);
        if (index < 0)
            qFatal("no property %s", name);
        return meta.property(index).readOnGadget(&message);
    };
    QCOMPARE(read("plainText").toString(), u"The partial answer before the provider"_s);
    QCOMPARE(read("errorCode").toString(), u"upstream_error"_s);
    QCOMPARE(read("siblingCount").toInt(), 3);
    QCOMPARE(read("timeToFirstTokenMs").toLongLong(), 450LL);
    QVERIFY(read("totalTimeMs").isNull());
    QCOMPARE(read("usage").value<Usage>().outputTokens, qint64(7));
    QCOMPARE(read("status").value<Message::Status>(), Message::Status::Interrupted);

    const Quota unlimited = *Quota::fromJson(fixture(u"quota_unlimited"_s));
    const int index = Quota::staticMetaObject.indexOfProperty("tokensPerDay");
    QVERIFY(index >= 0);
    QVERIFY(Quota::staticMetaObject.property(index).readOnGadget(&unlimited).isNull());
}

QTEST_GUILESS_MAIN(TestDomainJson)
#include "tst_domainjson.moc"
