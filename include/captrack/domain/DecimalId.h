#pragma once

#include <Poco/Types.h>

#include <optional>
#include <string_view>

namespace captrack::domain
{

/// The most decimal digits an id, a version or a count may have: 18 digits always fit a signed 64-bit
/// integer, so a longer one is refused before it is parsed.
inline constexpr std::size_t MAX_DECIMAL_DIGITS = 18;

/// True when `text` is one or more ASCII digits and nothing else, however many: what a name that shares a
/// path segment with ids (a baseline's) may not be, and what such a segment is looked up as. Never throws.
[[nodiscard]] bool isAllDigits(std::string_view text) noexcept;

/// True when `text` is one to MAX_DECIMAL_DIGITS ASCII digits and nothing else (no sign, no space, no
/// leading "+", no "0x"): the one test for "this path segment or parameter is a number, not a code or a
/// name". Stateless, never throws.
[[nodiscard]] bool isDecimalNumber(std::string_view text) noexcept;

/// The value of `text` when isDecimalNumber(text), else none. Leading zeros are allowed ("007" is 7).
[[nodiscard]] std::optional<Poco::Int64> decimalNumber(std::string_view text) noexcept;

/// The value when `text` is a decimal number above zero (a row id), else none.
[[nodiscard]] std::optional<Poco::Int64> decimalId(std::string_view text) noexcept;

} // namespace captrack::domain
