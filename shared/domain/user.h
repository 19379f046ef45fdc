#pragma once

#include "common/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QtCore/qobjectdefs.h>

#include <optional>

namespace parlance {

class JsonText;

class JsonReader;

// An account as the API shows it (never the password hash). `tier` names the
// quota tier ("free", "plus", "enterprise" by default; operators may define
// others), so it is a string rather than an enum.
struct User
{
    Q_GADGET
    Q_PROPERTY(QString id MEMBER id)
    Q_PROPERTY(QString email MEMBER email)
    Q_PROPERTY(QString displayName MEMBER displayName)
    Q_PROPERTY(Role role MEMBER role)
    Q_PROPERTY(QString tier MEMBER tier)
    Q_PROPERTY(bool disabled MEMBER disabled)
    Q_PROPERTY(QDateTime createdAt MEMBER createdAt)

public:
    enum class Role { User, Admin };
    Q_ENUM(Role)

    QString id;
    QString email;
    QString displayName;
    Role role = Role::User;
    QString tier;
    bool disabled = false;
    QDateTime createdAt;

    [[nodiscard]] bool isAdmin() const { return role == Role::Admin; }

    [[nodiscard]] bool operator==(const User &) const = default;

    void writeJson(JsonText &out) const;
    [[nodiscard]] QJsonObject toJson() const;
    [[nodiscard]] static Result<User> fromJson(const QJsonObject &json);
    [[nodiscard]] static User readFrom(JsonReader &reader);

    [[nodiscard]] static QLatin1StringView roleName(Role role);
    [[nodiscard]] static std::optional<Role> roleFromName(QStringView name);
};

} // namespace parlance
