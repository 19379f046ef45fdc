#include "domain/message.h"

#include "domain/jsonreader.h"
#include "domain/jsonwriter.h"

#include <QJsonArray>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

constexpr EnumTable<Message::Role, 3> roleTable { { {
    { Message::Role::System, "system"_L1 },
    { Message::Role::User, "user"_L1 },
    { Message::Role::Assistant, "assistant"_L1 },
} } };

constexpr EnumTable<Message::Status, 5> statusTable { { {
    { Message::Status::Complete, "complete"_L1 },
    { Message::Status::Streaming, "streaming"_L1 },
    { Message::Status::Stopped, "stopped"_L1 },
    { Message::Status::Interrupted, "interrupted"_L1 },
    { Message::Status::Error, "error"_L1 },
} } };

constexpr qint64 IntMax = std::numeric_limits<int>::max();

// ApiError::fromJson is lenient by design (it reads whatever a failing server
// sent); inside a message the error is our own data and is read strictly.
ApiError readError(JsonReader &reader)
{
    ApiError error;
    error.code = reader.nonEmptyString("code"_L1);
    error.message = reader.string("message"_L1);
    if (const auto retry = reader.optionalInteger("retry_after"_L1, 0, IntMax))
        error.retryAfterSeconds = static_cast<int>(*retry);
    return error;
}

QVariant optionalValue(const std::optional<qint64> &value)
{
    return value ? QVariant::fromValue(*value) : QVariant();
}

} // namespace

QLatin1StringView Message::roleName(Role role)
{
    return roleTable.name(role);
}

std::optional<Message::Role> Message::roleFromName(QStringView name)
{
    return roleTable.value(name);
}

QLatin1StringView Message::statusName(Status status)
{
    return statusTable.name(status);
}

std::optional<Message::Status> Message::statusFromName(QStringView name)
{
    return statusTable.value(name);
}

QString Message::plainText() const
{
    QString out;
    bool first = true;
    for (const ContentPart &part : content) {
        if (!part.isText())
            continue;
        if (!first)
            out += "\n\n"_L1;
        out += part.text;
        first = false;
    }
    return out;
}

QStringList Message::fileIds() const
{
    QStringList out;
    for (const ContentPart &part : content) {
        if (part.isFile())
            out.append(part.fileId);
    }
    return out;
}

bool Message::hasFiles() const
{
    return std::any_of(content.cbegin(), content.cend(),
                       [](const ContentPart &part) { return part.isFile(); });
}

void Message::appendText(QStringView delta)
{
    if (content.isEmpty() || !content.last().isText())
        content.append(ContentPart::fromText(QString()));
    content.last().text += delta;
}

QVariant Message::usageValue() const
{
    return usage ? QVariant::fromValue(*usage) : QVariant();
}

QVariant Message::timeToFirstTokenValue() const
{
    return optionalValue(timeToFirstTokenMs);
}

QVariant Message::totalTimeValue() const
{
    return optionalValue(totalTimeMs);
}

void Message::writeJson(JsonText &out) const
{
    JsonWriter(out)
        .string("id"_L1, id)
        .string("conversation_id"_L1, conversationId)
        .nullableString("parent_id"_L1, parentId)
        .enumeration("role"_L1, role, roleTable)
        .objectList("content"_L1, content)
        .enumeration("status"_L1, status, statusTable)
        .nullableObject("error"_L1, error)
        .string("model"_L1, model)
        .nullableString("deployment"_L1, deployment)
        .nullableObject("usage"_L1, usage)
        .integer("sibling_index"_L1, siblingIndex)
        .integer("sibling_count"_L1, siblingCount)
        .timestamp("created_at"_L1, createdAt)
        .nullableInteger("time_to_first_token_ms"_L1, timeToFirstTokenMs)
        .nullableInteger("total_time_ms"_L1, totalTimeMs);
}

QJsonObject Message::toJson() const
{
    return toJsonObject(*this);
}

Message Message::readFrom(JsonReader &reader)
{
    Message message;
    message.id = reader.nonEmptyString("id"_L1);
    message.conversationId = reader.nonEmptyString("conversation_id"_L1);
    message.parentId = reader.optionalNonEmptyString("parent_id"_L1);
    message.role = reader.enumeration("role"_L1, roleTable);
    message.content = reader.objectList("content"_L1, &ContentPart::readFrom);
    message.status = reader.enumeration("status"_L1, statusTable);
    message.error = reader.optionalObject("error"_L1, &readError);
    message.model = reader.string("model"_L1);
    message.deployment = reader.optionalNonEmptyString("deployment"_L1);
    message.usage = reader.optionalObject("usage"_L1, &Usage::readFrom);
    message.siblingCount = static_cast<int>(reader.integer("sibling_count"_L1, 1, IntMax));
    message.siblingIndex =
        static_cast<int>(reader.integer("sibling_index"_L1, 0, qMax(0, message.siblingCount - 1)));
    message.createdAt = reader.timestamp("created_at"_L1);
    message.timeToFirstTokenMs = reader.optionalInteger("time_to_first_token_ms"_L1);
    message.totalTimeMs = reader.optionalInteger("total_time_ms"_L1);
    return message;
}

Result<Message> Message::fromJson(const QJsonObject &json)
{
    return readJson<Message>(json);
}

} // namespace parlance
