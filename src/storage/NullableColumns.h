#pragma once

#include <Poco/Nullable.h>

#include <optional>

namespace captrack::storage
{

/// A nullable column's value as a std::optional: none for SQL NULL. Private to the storage layer, whose
/// row structs hand std::optional upwards, never Poco::Nullable.
template <typename T> [[nodiscard]] std::optional<T> optionalOf(const Poco::Nullable<T>& value)
{
    return value.isNull() ? std::nullopt : std::optional<T>(value.value());
}

/// A std::optional as a value to bind: SQL NULL for none.
template <typename T> [[nodiscard]] Poco::Nullable<T> nullableOf(const std::optional<T>& value)
{
    return value ? Poco::Nullable<T>(*value) : Poco::Nullable<T>();
}

} // namespace captrack::storage
