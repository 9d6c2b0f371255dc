#include "captrack/service/PasswordHasher.h"

#include "captrack/service/Crypto.h"

#include <Poco/Exception.h>
#include <Poco/NumberParser.h>
#include <Poco/StringTokenizer.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <vector>

namespace captrack::service
{

namespace
{
const char* const SCHEME = "pbkdf2-sha256";
constexpr std::size_t SALT_BYTES = 16;
constexpr std::size_t HASH_BYTES = 32;

bool fromHex(const std::string& hex, std::vector<unsigned char>& out)
{
    if (hex.size() % 2 != 0)
        return false;
    out.clear();
    for (std::size_t i = 0; i < hex.size(); i += 2)
    {
        unsigned value = 0;
        if (!Poco::NumberParser::tryParseHex(hex.substr(i, 2), value))
            return false;
        out.push_back(static_cast<unsigned char>(value));
    }
    return true;
}

std::string derive(const std::string& password, const std::vector<unsigned char>& salt, int iterations)
{
    unsigned char key[HASH_BYTES];
    if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(),
                          static_cast<int>(salt.size()), iterations, EVP_sha256(), sizeof key, key) != 1)
        throw Poco::RuntimeException("PBKDF2 failed");
    return hexOf(key, sizeof key);
}

struct Parsed
{
    int iterations = 0;
    std::vector<unsigned char> salt;
    std::string hashHex;
};

bool parse(const std::string& stored, Parsed& out)
{
    Poco::StringTokenizer parts(stored, "$");
    if (parts.count() != 4 || parts[0] != SCHEME)
        return false;
    return Poco::NumberParser::tryParse(parts[1], out.iterations) && out.iterations > 0 &&
           fromHex(parts[2], out.salt) && !(out.hashHex = parts[3]).empty();
}
} // namespace

PasswordHasher::PasswordHasher(int iterations) : _iterations(iterations)
{
    if (iterations < 1)
        throw Poco::InvalidArgumentException("auth.pbkdf2_iterations must be at least 1");
}

std::string PasswordHasher::hash(const std::string& password) const
{
    std::vector<unsigned char> salt(SALT_BYTES);
    if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1)
        throw Poco::RuntimeException("no random bytes available");
    return std::string(SCHEME) + "$" + std::to_string(_iterations) + "$" + hexOf(salt.data(), salt.size()) + "$" +
           derive(password, salt, _iterations);
}

bool PasswordHasher::verify(const std::string& password, const std::string& stored) const
{
    Parsed parsed;
    if (!parse(stored, parsed))
        return false;
    return constantTimeEquals(derive(password, parsed.salt, parsed.iterations), parsed.hashHex);
}

bool PasswordHasher::needsRehash(const std::string& stored) const
{
    Parsed parsed;
    return !parse(stored, parsed) || parsed.iterations < _iterations;
}

} // namespace captrack::service
