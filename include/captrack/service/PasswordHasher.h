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
    /// Poco::InvalidArgumentException when iterations is below 1.
    explicit PasswordHasher(int iterations);

    /// A new stored form of the password, with a fresh salt (slow: `iterations` rounds);
    /// Poco::RuntimeException when no random bytes are available.
    [[nodiscard]] std::string hash(const std::string& password) const;
    /// True when the password matches the stored form (compared in constant time); false for a
    /// malformed stored form.
    [[nodiscard]] bool verify(const std::string& password, const std::string& stored) const;
    /// True when the stored form uses fewer iterations than this hasher (re-hash at next sign-in).
    [[nodiscard]] bool needsRehash(const std::string& stored) const;

private:
    int _iterations;
};

} // namespace captrack::service
