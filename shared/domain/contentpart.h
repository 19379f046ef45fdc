#pragma once

#include "common/result.h"

#include <QJsonObject>
#include <QLatin1StringView>
#include <QString>
#include <QtCore/qobjectdefs.h>

#include <optional>

namespace parlance {

class JsonText;

class JsonReader;

// One piece of a message's content: text, or a reference to an uploaded file
// (the bytes stay in file storage; the message holds only the id).
//   {"type": "text", "text": "..."}
//   {"type": "file", "file_id": "...", "mime_type": "image/png", "name": "chart.png"}
struct ContentPart
{
    Q_GADGET
    Q_PROPERTY(Type type MEMBER type)
    Q_PROPERTY(QString text MEMBER text)
    Q_PROPERTY(QString fileId MEMBER fileId)
    Q_PROPERTY(QString mimeType MEMBER mimeType)
    Q_PROPERTY(QString name MEMBER name)

public:
    enum class Type { Text, File };
    Q_ENUM(Type)

    Type type = Type::Text;
    QString text; // Text parts only.
    QString fileId; // File parts only, like the two below.
    QString mimeType;
    QString name;

    [[nodiscard]] static ContentPart fromText(const QString &text);
    [[nodiscard]] static ContentPart fromFile(const QString &fileId, const QString &mimeType,
                                              const QString &name);

    [[nodiscard]] bool isText() const { return type == Type::Text; }
    [[nodiscard]] bool isFile() const { return type == Type::File; }

    [[nodiscard]] bool operator==(const ContentPart &) const = default;

    void writeJson(JsonText &out) const;
    [[nodiscard]] QJsonObject toJson() const;
    [[nodiscard]] static Result<ContentPart> fromJson(const QJsonObject &json);
    [[nodiscard]] static ContentPart readFrom(JsonReader &reader);

    [[nodiscard]] static QLatin1StringView typeName(Type type);
    [[nodiscard]] static std::optional<Type> typeFromName(QStringView name);
};

} // namespace parlance
