#include "domain/user.h"

#include "domain/jsonreader.h"
#include "domain/jsonwriter.h"

using namespace Qt::StringLiterals;

namespace parlance {

namespace {
constexpr EnumTable<User::Role, 2> roleTable { { {
    { User::Role::User, "user"_L1 },
    { User::Role::Admin, "admin"_L1 },
} } };
} // namespace

QLatin1StringView User::roleName(Role role)
{
    return roleTable.name(role);
}

std::optional<User::Role> User::roleFromName(QStringView name)
{
    return roleTable.value(name);
}

void User::writeJson(JsonText &out) const
{
    JsonWriter(out)
        .string("id"_L1, id)
        .string("email"_L1, email)
        .string("display_name"_L1, displayName)
        .enumeration("role"_L1, role, roleTable)
        .string("tier"_L1, tier)
        .boolean("disabled"_L1, disabled)
        .timestamp("created_at"_L1, createdAt);
}

QJsonObject User::toJson() const
{
    return toJsonObject(*this);
}

User User::readFrom(JsonReader &reader)
{
    User user;
    user.id = reader.nonEmptyString("id"_L1);
    user.email = reader.nonEmptyString("email"_L1);
    user.displayName = reader.string("display_name"_L1);
    user.role = reader.enumeration("role"_L1, roleTable);
    user.tier = reader.nonEmptyString("tier"_L1);
    user.disabled = reader.boolean("disabled"_L1);
    user.createdAt = reader.timestamp("created_at"_L1);
    return user;
}

Result<User> User::fromJson(const QJsonObject &json)
{
    return readJson<User>(json);
}

} // namespace parlance
