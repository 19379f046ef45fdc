#pragma once

// Internals shared by apiclient.cpp and apioperations.cpp.
#include "api/apiclient.h"

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
            done(parse(result.value()));
        },
        auth);
}

} // namespace parlance::client
