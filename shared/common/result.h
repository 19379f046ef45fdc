#pragma once

#include "domain/apierror.h"

#include <utility>
#include <variant>

namespace parlance {

// A value or the ApiError that explains why there is none. Qt 6.4 and C++20
// have no std::expected; this is the small part of it we need.
template<typename T>
class [[nodiscard]] Result
{
public:
    Result(T value) : m_state(std::in_place_index<0>, std::move(value)) { }
    Result(ApiError error) : m_state(std::in_place_index<1>, std::move(error)) { }

    [[nodiscard]] bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }

    [[nodiscard]] const T &value() const & { return std::get<0>(m_state); }
    [[nodiscard]] T &value() & { return std::get<0>(m_state); }
    [[nodiscard]] T &&value() && { return std::get<0>(std::move(m_state)); }
    [[nodiscard]] const T &operator*() const & { return value(); }
    [[nodiscard]] const T *operator->() const { return &value(); }

    [[nodiscard]] const ApiError &error() const { return std::get<1>(m_state); }

private:
    std::variant<T, ApiError> m_state;
};

// For operations that return nothing but may fail.
struct Done
{
};
using Status = Result<Done>;

} // namespace parlance
