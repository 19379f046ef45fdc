#pragma once

#include "common/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QtCore/qobjectdefs.h>

namespace parlance {

class JsonText;

class JsonReader;

// A folder for conversations; folders nest, `parentId` is null at the top.
struct Folder
{
    Q_GADGET
    Q_PROPERTY(QString id MEMBER id)
    Q_PROPERTY(QString name MEMBER name)
    Q_PROPERTY(QString parentId MEMBER parentId)
    Q_PROPERTY(QDateTime createdAt MEMBER createdAt)

public:
    QString id;
    QString name;
    QString parentId;
    QDateTime createdAt;

    [[nodiscard]] bool operator==(const Folder &) const = default;

    void writeJson(JsonText &out) const;
    [[nodiscard]] QJsonObject toJson() const;
    [[nodiscard]] static Result<Folder> fromJson(const QJsonObject &json);
    [[nodiscard]] static Folder readFrom(JsonReader &reader);
};

} // namespace parlance
