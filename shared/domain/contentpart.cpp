#include "domain/contentpart.h"

#include "domain/jsonreader.h"
#include "domain/jsonwriter.h"

using namespace Qt::StringLiterals;

namespace parlance {

namespace {
constexpr EnumTable<ContentPart::Type, 2> typeTable { { {
    { ContentPart::Type::Text, "text"_L1 },
    { ContentPart::Type::File, "file"_L1 },
} } };
} // namespace

ContentPart ContentPart::fromText(const QString &text)
{
    ContentPart part;
    part.type = Type::Text;
    part.text = text;
    return part;
}

ContentPart ContentPart::fromFile(const QString &fileId, const QString &mimeType,
                                  const QString &name)
{
    ContentPart part;
    part.type = Type::File;
    part.fileId = fileId;
    part.mimeType = mimeType;
    part.name = name;
    return part;
}

QLatin1StringView ContentPart::typeName(Type type)
{
    return typeTable.name(type);
}

std::optional<ContentPart::Type> ContentPart::typeFromName(QStringView name)
{
    return typeTable.value(name);
}

void ContentPart::writeJson(JsonText &out) const
{
    JsonWriter writer(out);
    writer.enumeration("type"_L1, type, typeTable);
    switch (type) {
    case Type::Text:
        writer.string("text"_L1, text);
        break;
    case Type::File:
        writer.string("file_id"_L1, fileId)
            .string("mime_type"_L1, mimeType)
            .string("name"_L1, name);
        break;
    }
}

QJsonObject ContentPart::toJson() const
{
    return toJsonObject(*this);
}

ContentPart ContentPart::readFrom(JsonReader &reader)
{
    ContentPart part;
    part.type = reader.enumeration("type"_L1, typeTable);
    if (!reader.ok())
        return part;
    switch (part.type) {
    case Type::Text:
        part.text = reader.string("text"_L1);
        break;
    case Type::File:
        part.fileId = reader.nonEmptyString("file_id"_L1);
        part.mimeType = reader.nonEmptyString("mime_type"_L1);
        part.name = reader.string("name"_L1);
        break;
    }
    return part;
}

Result<ContentPart> ContentPart::fromJson(const QJsonObject &json)
{
    return readJson<ContentPart>(json);
}

} // namespace parlance
