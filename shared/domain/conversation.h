#pragma once

#include "common/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QtCore/qobjectdefs.h>

namespace parlance {

class JsonText;

class JsonReader;

// A conversation's metadata (its messages travel separately, paged).
// Absent values: `folderId` and `selectedLeafId` are null QStrings,
// `lastMessageAt` (no message yet) and `deletedAt` (not in the trash) are
// invalid QDateTimes. `selectedLeafId` is the message at the end of the branch
// the user last looked at, so a reopened conversation shows that branch.
struct Conversation
{
    Q_GADGET
    Q_PROPERTY(QString id MEMBER id)
    Q_PROPERTY(QString title MEMBER title)
    Q_PROPERTY(QString model MEMBER model)
    Q_PROPERTY(QString systemPrompt MEMBER systemPrompt)
    Q_PROPERTY(QString folderId MEMBER folderId)
    Q_PROPERTY(QStringList tags MEMBER tags)
    Q_PROPERTY(bool pinned MEMBER pinned)
    Q_PROPERTY(bool archived MEMBER archived)
    Q_PROPERTY(QDateTime createdAt MEMBER createdAt)
    Q_PROPERTY(QDateTime updatedAt MEMBER updatedAt)
    Q_PROPERTY(QDateTime lastMessageAt MEMBER lastMessageAt)
    Q_PROPERTY(int messageCount MEMBER messageCount)
    Q_PROPERTY(QDateTime deletedAt MEMBER deletedAt)
    Q_PROPERTY(QString selectedLeafId MEMBER selectedLeafId)

public:
    QString id;
    QString title; // May be empty until the first answer names it.
    QString model;
    QString systemPrompt; // Empty: none.
    QString folderId;
    QStringList tags;
    bool pinned = false;
    bool archived = false;
    QDateTime createdAt;
    QDateTime updatedAt;
    QDateTime lastMessageAt;
    int messageCount = 0;
    QDateTime deletedAt;
    QString selectedLeafId;

    [[nodiscard]] bool isDeleted() const { return deletedAt.isValid(); }

    [[nodiscard]] bool operator==(const Conversation &) const = default;

    void writeJson(JsonText &out) const;
    [[nodiscard]] QJsonObject toJson() const;
    [[nodiscard]] static Result<Conversation> fromJson(const QJsonObject &json);
    [[nodiscard]] static Conversation readFrom(JsonReader &reader);
};

} // namespace parlance
