#include "domain/apierror.h"

#include "contract/errorcodes.h"
#include "domain/jsontext.h"

namespace parlance {

QJsonObject ApiError::toJson() const
{
    QJsonObject inner { { QStringLiteral("code"), code }, { QStringLiteral("message"), message } };
    if (retryAfterSeconds)
        inner.insert(QStringLiteral("retry_after"), *retryAfterSeconds);
    return inner;
}

void ApiError::writeJson(JsonText &out) const
{
    out.beginObject();
    out.key(QLatin1StringView("code")).string(code);
    out.key(QLatin1StringView("message")).string(message);
    if (retryAfterSeconds)
        out.key(QLatin1StringView("retry_after")).integer(*retryAfterSeconds);
    out.endObject();
}

QJsonObject ApiError::toEnvelope() const
{
    return QJsonObject { { QStringLiteral("error"), toJson() } };
}

ApiError ApiError::fromJson(const QJsonObject &json)
{
    const QJsonObject inner = json.contains(QStringLiteral("error"))
                              ? json.value(QStringLiteral("error")).toObject() : json;
    const QJsonValue code = inner.value(QStringLiteral("code"));
    if (!code.isString() || code.toString().isEmpty()) {
        return ApiError { QString(errc::MalformedResponse),
                          QStringLiteral("The error response has no code."), std::nullopt };
    }
    ApiError error { code.toString(),
                     inner.value(QStringLiteral("message")).toString(), std::nullopt };
    const QJsonValue retry = inner.value(QStringLiteral("retry_after"));
    if (retry.isDouble() && retry.toDouble() >= 0)
        error.retryAfterSeconds = static_cast<int>(retry.toDouble());
    return error;
}

} // namespace parlance
