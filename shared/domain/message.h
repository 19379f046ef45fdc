#pragma once

#include "common/result.h"
#include "domain/apierror.h"
#include "domain/contentpart.h"
#include "domain/usage.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <QtCore/qobjectdefs.h>

#include <optional>

namespace parlance {

class JsonText;

class JsonReader;

// One turn of a conversation. Messages form a tree: `parentId` is the message
// this one answers or follows, so editing a user message or regenerating an
// answer adds a sibling instead of overwriting. `siblingIndex` (0-based) and
// `siblingCount` place it among the children of its parent, for the "2/3"
// switcher. A message being generated has status `streaming`; one whose
// generation failed keeps its partial text with status `interrupted` or
// `error` and the cause in `error`.
struct Message
{
    Q_GADGET
    Q_PROPERTY(QString id MEMBER id)
    Q_PROPERTY(QString conversationId MEMBER conversationId)
    Q_PROPERTY(QString parentId MEMBER parentId)
    Q_PROPERTY(Role role MEMBER role)
    Q_PROPERTY(QList<ContentPart> content MEMBER content)
    Q_PROPERTY(Status status MEMBER status)
    Q_PROPERTY(QString errorCode READ errorCode)
    Q_PROPERTY(QString errorMessage READ errorMessage)
    Q_PROPERTY(QString model MEMBER model)
    Q_PROPERTY(QString deployment MEMBER deployment)
    Q_PROPERTY(QVariant usage READ usageValue)
    Q_PROPERTY(int siblingIndex MEMBER siblingIndex)
    Q_PROPERTY(int siblingCount MEMBER siblingCount)
    Q_PROPERTY(QDateTime createdAt MEMBER createdAt)
    Q_PROPERTY(QVariant timeToFirstTokenMs READ timeToFirstTokenValue)
    Q_PROPERTY(QVariant totalTimeMs READ totalTimeValue)
    Q_PROPERTY(QString plainText READ plainText)

public:
    enum class Role { System, User, Assistant };
    Q_ENUM(Role)
    enum class Status { Complete, Streaming, Stopped, Interrupted, Error };
    Q_ENUM(Status)

    QString id;
    QString conversationId;
    QString parentId; // Null for the first message of a conversation.
    Role role = Role::User;
    QList<ContentPart> content;
    Status status = Status::Complete;
    std::optional<ApiError> error;
    QString model; // The alias asked for; empty for messages no model wrote.
    QString deployment; // The deployment that answered, when known.
    std::optional<Usage> usage;
    int siblingIndex = 0;
    int siblingCount = 1;
    QDateTime createdAt;
    std::optional<qint64> timeToFirstTokenMs;
    std::optional<qint64> totalTimeMs;

    // The text parts joined by a blank line (so each stays its own markdown
    // paragraph); file parts are left out.
    [[nodiscard]] QString plainText() const;
    [[nodiscard]] QStringList fileIds() const;
    [[nodiscard]] bool hasFiles() const;
    // Streaming: extends the last text part, or starts one after a file part.
    void appendText(QStringView delta);
    [[nodiscard]] bool isFinal() const { return status != Status::Streaming; }

    [[nodiscard]] QString errorCode() const { return error ? error->code : QString(); }
    [[nodiscard]] QString errorMessage() const { return error ? error->message : QString(); }
    [[nodiscard]] QVariant usageValue() const;
    [[nodiscard]] QVariant timeToFirstTokenValue() const;
    [[nodiscard]] QVariant totalTimeValue() const;

    [[nodiscard]] bool operator==(const Message &) const = default;

    void writeJson(JsonText &out) const;
    [[nodiscard]] QJsonObject toJson() const;
    [[nodiscard]] static Result<Message> fromJson(const QJsonObject &json);
    [[nodiscard]] static Message readFrom(JsonReader &reader);

    [[nodiscard]] static QLatin1StringView roleName(Role role);
    [[nodiscard]] static std::optional<Role> roleFromName(QStringView name);
    [[nodiscard]] static QLatin1StringView statusName(Status status);
    [[nodiscard]] static std::optional<Status> statusFromName(QStringView name);
};

} // namespace parlance
