#pragma once

#include <QJsonObject>
#include <QString>

#include <optional>

namespace parlance {

class JsonText;

// The one error shape of the whole system: a stable machine-readable code
// (see contract/errorcodes.h), a human message, and for throttling answers the
// seconds after which a retry may succeed. It travels as
// {"error": {"code": "...", "message": "...", "retry_after": 30}}.
struct ApiError
{
    QString code;
    QString message;
    std::optional<int> retryAfterSeconds;

    [[nodiscard]] bool operator==(const ApiError &) const = default;

    // The inner object: {"code", "message", "retry_after"?}.
    void writeJson(JsonText &out) const;
    [[nodiscard]] QJsonObject toJson() const;
    // The full body: {"error": {...}}.
    [[nodiscard]] QJsonObject toEnvelope() const;
    // Reads either the envelope or the inner object. Anything else yields an
    // error of code `malformed_response`, never a crash.
    [[nodiscard]] static ApiError fromJson(const QJsonObject &json);
};

} // namespace parlance
