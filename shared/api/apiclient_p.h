#pragma once

// Internals shared by apiclient.cpp and apioperations.cpp.
#include "api/apiclient.h"
#include "contract/errorcodes.h"

#include <QLoggingCategory>
#include <QPointer>

namespace parlance::client {

// parlance.api: methods, paths, statuses and error codes only; never tokens,
// passwords or message bodies.
Q_DECLARE_LOGGING_CATEGORY(lcApi)

// A callback that runs only while its context lives (a null context means
// "no guard": the callback always runs).
template<typename Fn> auto guarded(QObject *context, Fn fn)
{
    return [ctx = QPointer<QObject>(context), hadContext = context != nullptr,
            fn = std::move(fn)](auto &&...args) {
        if (hadContext && !ctx)
            return;
        fn(std::forward<decltype(args)>(args)...);
    };
}

// A 401 that says the access token is missing, invalid or expired (what the
// router answers before any handler), as opposed to a handler's own 401 such
// as a wrong current password, which a refresh would not change.
inline bool isTokenRejection(int httpStatus, const ApiError &error)
{
    return httpStatus == 401
        && (error.code == errc::Unauthenticated || error.code == errc::InvalidToken
            || error.code == errc::TokenExpired);
}

// A 2xx answer our types cannot read is the server's fault, not the
// request's: `malformed_response`, with the reader's message naming the field.
template<typename T> Result<T> asAnswer(Result<T> parsed)
{
    if (parsed)
        return parsed;
    return ApiError {
        QString(errc::MalformedResponse),
        QStringLiteral("Unexpected answer from the server: ") + parsed.error().message, std::nullopt
        };
}

template<typename T, typename Parse>
void ApiClient::typed(QByteArrayView method, const QString &path, const QJsonObject &body,
                      const QUrlQuery &query, QObject *context, Callback<T> done, Parse parse,
                      Auth auth)
{
    call(
        method, path, body, query, context,
        [done = std::move(done), parse = std::move(parse)](Result<QJsonObject> result) {
            if (!result)
                return done(result.error());
            done(asAnswer<T>(parse(result.value())));
        },
        auth);
}

} // namespace parlance::client
