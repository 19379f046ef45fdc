#pragma once

#include "common/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QtCore/qobjectdefs.h>

namespace parlance {

class JsonText;

class JsonReader;

// A public link to a conversation. `id` is the unguessable token in the link
// (`url` ends in /s/<id>); `expiresAt` is invalid for a link that never
// expires. With `includeFutureMessages` false the link shows the conversation
// as it was when shared.
struct ShareLink
{
    Q_GADGET
    Q_PROPERTY(QString id MEMBER id)
    Q_PROPERTY(QString conversationId MEMBER conversationId)
    Q_PROPERTY(QString url MEMBER url)
    Q_PROPERTY(QDateTime createdAt MEMBER createdAt)
    Q_PROPERTY(QDateTime expiresAt MEMBER expiresAt)
    Q_PROPERTY(bool includeFutureMessages MEMBER includeFutureMessages)

public:
    QString id;
    QString conversationId;
    QString url;
    QDateTime createdAt;
    QDateTime expiresAt;
    bool includeFutureMessages = false;

    // Expired from the instant `expiresAt` is reached.
    [[nodiscard]] bool isExpiredAt(const QDateTime &now) const
    {
        return expiresAt.isValid() && now >= expiresAt;
    }

    [[nodiscard]] bool operator==(const ShareLink &) const = default;

    void writeJson(JsonText &out) const;
    [[nodiscard]] QJsonObject toJson() const;
    [[nodiscard]] static Result<ShareLink> fromJson(const QJsonObject &json);
    [[nodiscard]] static ShareLink readFrom(JsonReader &reader);
};

} // namespace parlance
