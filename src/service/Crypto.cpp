#include "captrack/service/Crypto.h"

#include <Poco/Exception.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <vector>

namespace captrack::service
{

std::string hexOf(const unsigned char* data, std::size_t size)
{
    static const char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i)
    {
        out += digits[data[i] >> 4];
        out += digits[data[i] & 0x0F];
    }
    return out;
}

std::string randomHex(std::size_t bytes)
{
    std::vector<unsigned char> buffer(bytes);
    if (RAND_bytes(buffer.data(), static_cast<int>(buffer.size())) != 1)
        throw Poco::RuntimeException("no random bytes available");
    return hexOf(buffer.data(), buffer.size());
}

std::string sha256Hex(const std::string& text)
{
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
    return hexOf(digest, sizeof digest);
}

bool constantTimeEquals(const std::string& a, const std::string& b)
{
    unsigned char difference = a.size() == b.size() ? 0 : 1;
    const std::string& longer = a.size() >= b.size() ? a : b;
    for (std::size_t i = 0; i < longer.size(); ++i)
    {
        const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
        const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
        difference |= static_cast<unsigned char>(x ^ y);
    }
    return difference == 0;
}

} // namespace captrack::service
