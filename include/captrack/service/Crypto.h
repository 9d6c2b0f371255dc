#pragma once

#include <cstddef>
#include <string>

namespace captrack::service
{

// The few cryptographic primitives of sign-in and tokens, over OpenSSL. Each is thread-safe.

/// Compares two strings in time that depends only on their lengths.
[[nodiscard]] bool constantTimeEquals(const std::string& a, const std::string& b);

/// `bytes` random bytes from the operating system's CSPRNG, as lower-case hex; Poco::RuntimeException
/// when none are available.
[[nodiscard]] std::string randomHex(std::size_t bytes);

/// SHA-256 of the text as lower-case hex.
[[nodiscard]] std::string sha256Hex(const std::string& text);

/// The bytes as lower-case hex.
[[nodiscard]] std::string hexOf(const unsigned char* data, std::size_t size);

} // namespace captrack::service
