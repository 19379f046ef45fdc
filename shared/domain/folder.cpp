#include "domain/folder.h"

#include "domain/jsonreader.h"
#include "domain/jsonwriter.h"

using namespace Qt::StringLiterals;

namespace parlance {

void Folder::writeJson(JsonText &out) const
{
    JsonWriter(out)
        .string("id"_L1, id)
        .string("name"_L1, name)
        .nullableString("parent_id"_L1, parentId)
        .timestamp("created_at"_L1, createdAt);
}

QJsonObject Folder::toJson() const
{
    return toJsonObject(*this);
}

Folder Folder::readFrom(JsonReader &reader)
{
    Folder folder;
    folder.id = reader.nonEmptyString("id"_L1);
    folder.name = reader.nonEmptyString("name"_L1);
    folder.parentId = reader.optionalNonEmptyString("parent_id"_L1);
    folder.createdAt = reader.timestamp("created_at"_L1);
    return folder;
}

Result<Folder> Folder::fromJson(const QJsonObject &json)
{
    return readJson<Folder>(json);
}

} // namespace parlance
