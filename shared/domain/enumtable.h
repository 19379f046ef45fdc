#pragma once

#include <QLatin1StringView>
#include <QString>
#include <QStringView>

#include <array>
#include <cstddef>
#include <optional>
#include <utility>

namespace parlance {

// The one place an enum meets its wire spelling. Each enum has exactly one
// constexpr table (in the .cpp of the type that owns it), used for writing JSON,
// reading JSON and storing the value as text, so the three cannot drift.
template<typename E, std::size_t N> struct EnumTable
{
    std::array<std::pair<E, QLatin1StringView>, N> entries;

    [[nodiscard]] constexpr QLatin1StringView name(E value) const
    {
        for (const auto &[entry, text] : entries) {
            if (entry == value)
                return text;
        }
        return {};
    }

    // Exact, case-sensitive match: the wire spelling is part of the contract.
    [[nodiscard]] constexpr std::optional<E> value(QStringView text) const
    {
        for (const auto &[entry, spelling] : entries) {
            if (text == spelling)
                return entry;
        }
        return std::nullopt;
    }

    // "user, admin": for error messages that tell what would have been valid.
    [[nodiscard]] QString spellings() const
    {
        QString out;
        for (const auto &entry : entries) {
            if (!out.isEmpty())
                out += QLatin1StringView(", ");
            out += entry.second;
        }
        return out;
    }
};

} // namespace parlance
