#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

/// Helpers shared by the libFuzzer targets of tests/fuzz (one executable per fuzz_*.cpp).
namespace captrack::fuzz
{

/// Reports a broken invariant on stderr and aborts, which libFuzzer records as a crash with the input.
[[noreturn]] void fail(const std::string& what);

/// Calls fail(what) unless `holds`.
inline void check(bool holds, const std::string& what)
{
    if (!holds)
        fail(what);
}

/// Well-formed UTF-8 by RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF.
/// Written here from the RFC rather than taken from src/, so that the targets check the code, not
/// repeat it.
[[nodiscard]] bool isStrictUtf8(std::string_view text);

/// The fuzzer's input as text.
[[nodiscard]] inline std::string inputText(const std::uint8_t* data, std::size_t size)
{
    return std::string(reinterpret_cast<const char*>(data), size);
}

} // namespace captrack::fuzz
