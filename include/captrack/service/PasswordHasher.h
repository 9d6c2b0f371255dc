#pragma once

#include <string>

namespace captrack::service
{

/// Hashes passwords with PBKDF2-HMAC-SHA256 and a random 16-byte salt per password. The stored form
/// carries its parameters, `pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>`, so the iteration
/// count can be raised later without invalidating existing hashes. Thread-safe.
class PasswordHasher
{
public:
    explicit PasswordHasher(int iterations);

    [[nodiscard]] std::string hash(const std::string& password) const;
    /// True when the password matches the stored form (compared in constant time); false for a
    /// malformed stored form.
    [[nodiscard]] bool verify(const std::string& password, const std::string& stored) const;
    /// True when the stored form uses fewer iterations than this hasher (re-hash at next sign-in).
    [[nodiscard]] bool needsRehash(const std::string& stored) const;

    [[nodiscard]] int iterations() const noexcept { return _iterations; }

private:
    int _iterations;
};

/// Compares two strings in time that depends only on their lengths.
[[nodiscard]] bool constantTimeEquals(const std::string& a, const std::string& b);

/// `bytes` random bytes from the operating system's CSPRNG, as lower-case hex.
[[nodiscard]] std::string randomHex(std::size_t bytes);

/// SHA-256 of the text as lower-case hex.
[[nodiscard]] std::string sha256Hex(const std::string& text);

} // namespace captrack::service
