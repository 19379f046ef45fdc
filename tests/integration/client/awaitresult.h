#pragma once

// Lets a test read an asynchronous ApiClient call top to bottom: start it with
// a callback that stores the result, spin the event loop until it arrived.
#include "common/result.h"

#include <QTest>

#include <functional>
#include <optional>

using namespace Qt::StringLiterals;

template<typename T> using Deliver = std::function<void(parlance::Result<T>)>;

// Runs `start(deliver)` and waits up to 30 s for `deliver` to be called.
template<typename T>
[[nodiscard]] parlance::Result<T> awaitResult(const std::function<void(Deliver<T>)> &start,
                                              int timeoutMs = 30'000)
{
    std::optional<parlance::Result<T>> out;
    start([&out](parlance::Result<T> result) { out.emplace(std::move(result)); });
    if (!QTest::qWaitFor([&out] { return out.has_value(); }, timeoutMs))
        return parlance::ApiError { u"test_timeout"_s, u"no answer in time"_s, std::nullopt };
    return std::move(*out);
}

// A code for QCOMPARE: "ok" or the error's code.
template<typename T> [[nodiscard]] QString codeOf(const parlance::Result<T> &result)
{
    return result ? u"ok"_s : result.error().code;
}
