#include "captrack/service/SessionTokens.h"

#include "captrack/service/Crypto.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/NumberParser.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <atomic>
#include <sstream>
#include <unordered_map>

namespace captrack::service
{

using Poco::Dynamic::Var;

namespace
{
const char* const ISSUER = "captrack";
/// The claim holding the user's token version when the session was issued.
const char* const VERSION_CLAIM = "ver";

Poco::Int64 epochSeconds(const Poco::Timestamp& at)
{
    return at.epochTime();
}

std::string hmacSha256Base64Url(const std::string& key, const std::string& data)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
         data.size(), digest, &size);
    std::ostringstream out;
    Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
    encoder.write(reinterpret_cast<const char*>(digest), size);
    encoder.close();
    return out.str();
}

std::string base64UrlDecode(const std::string& text)
{
    std::istringstream in(text);
    Poco::Base64Decoder decoder(in, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
    return std::string(std::istreambuf_iterator<char>(decoder), std::istreambuf_iterator<char>());
}

/// A NumericDate or counter claim: a JSON integer (never a boolean, a string or a fraction).
std::optional<Poco::Int64> integerClaim(const Poco::JSON::Object& payload, const std::string& name)
{
    if (!payload.has(name))
        return std::nullopt;
    const Var value = payload.get(name);
    if (!value.isInteger() || value.isBoolean() || value.isString())
        return std::nullopt;
    return value.convert<Poco::Int64>();
}

Poco::JSON::Object::Ptr parseJsonObject(const std::string& text)
{
    Poco::JSON::Parser parser;
    const auto parsed = parser.parse(text);
    return parsed.type() == typeid(Poco::JSON::Object::Ptr) ? parsed.extract<Poco::JSON::Object::Ptr>() : nullptr;
}

/// What a token of signature already verified names, from its header and payload: nullopt unless it
/// is HS256, issued by captrack, not expired at `now`, and has a version and a positive user id.
std::optional<Bearer> bearerOf(const Poco::JSON::Object::Ptr& header, const Poco::JSON::Object::Ptr& payload,
                               Poco::Int64 now, Poco::Int64& expiresAt)
{
    if (!header || !payload || header->optValue<std::string>("alg", "") != "HS256" ||
        payload->optValue<std::string>("iss", "") != ISSUER)
        return std::nullopt;
    const auto expiry = integerClaim(*payload, "exp");
    const auto tokenVersion = integerClaim(*payload, VERSION_CLAIM);
    if (!expiry || *expiry <= now || !tokenVersion)
        return std::nullopt;
    Poco::Int64 userId = 0;
    if (!Poco::NumberParser::tryParse64(payload->optValue<std::string>("sub", ""), userId) || userId <= 0)
        return std::nullopt;
    expiresAt = *expiry;
    return Bearer{userId, *tokenVersion};
}

/// A verified token as its verifying thread remembers it.
struct Remembered
{
    Bearer bearer;
    Poco::Int64 expiresAt = 0;
};

/// The tokens this thread verified, by instance and token text.
std::unordered_map<std::string, Remembered>& rememberedHere()
{
    thread_local std::unordered_map<std::string, Remembered> remembered;
    return remembered;
}

std::atomic<std::uint64_t> instances{0};
} // namespace

SessionTokens::SessionTokens(const domain::Clock& clock, std::string secret, int lifetimeSeconds)
    : _clock(clock), _instance(++instances), _secret(std::move(secret)), _lifetimeSeconds(lifetimeSeconds)
{
    if (_secret.size() < 32)
        throw Poco::InvalidArgumentException("the token secret must be at least 32 characters");
}

std::string SessionTokens::issue(const Bearer& bearer, Poco::Timestamp& expires) const
{
    const Poco::Timestamp issued = _clock.now();
    expires = issued + static_cast<Poco::Timestamp::TimeDiff>(_lifetimeSeconds) * Poco::Timestamp::resolution();
    Poco::JWT::Token token;
    token.setType("JWT");
    token.setSubject(std::to_string(bearer.userId));
    token.setIssuer(ISSUER);
    // Integer NumericDates: Poco's setIssuedAt would write fractional seconds.
    token.payload().set("iat", epochSeconds(issued));
    token.payload().set("exp", epochSeconds(expires));
    token.payload().set(VERSION_CLAIM, bearer.tokenVersion);
    Poco::JWT::Signer signer(_secret);
    return signer.sign(token, Poco::JWT::Signer::ALGO_HS256);
}

std::optional<Bearer> SessionTokens::verify(const std::string& jwt) const
{
    const Poco::Int64 now = epochSeconds(_clock.now());
    auto& remembered = rememberedHere();
    std::string key = std::to_string(_instance);
    key += ' ';
    key += jwt;
    if (const auto it = remembered.find(key); it != remembered.end())
    {
        if (it->second.expiresAt > now)
            return it->second.bearer;
        remembered.erase(it);
        return std::nullopt;
    }
    Poco::Int64 expiresAt = 0;
    const auto bearer = verifyAfresh(jwt, now, expiresAt);
    if (bearer)
    {
        if (remembered.size() >= REMEMBERED)
            remembered.clear();
        remembered.emplace(std::move(key), Remembered{*bearer, expiresAt});
    }
    return bearer;
}

std::optional<Bearer> SessionTokens::verifyAfresh(const std::string& jwt, Poco::Int64 now, Poco::Int64& expiresAt) const
{
    // Verified here rather than with Poco::JWT::Signer::verify, so that the signature comparison
    // is constant-time and only HS256 is ever accepted (never `none` or another algorithm).
    const auto firstDot = jwt.find('.');
    const auto secondDot = firstDot == std::string::npos ? firstDot : jwt.find('.', firstDot + 1);
    if (secondDot == std::string::npos || jwt.find('.', secondDot + 1) != std::string::npos)
        return std::nullopt;
    const std::string signingInput = jwt.substr(0, secondDot);
    if (!constantTimeEquals(hmacSha256Base64Url(_secret, signingInput), jwt.substr(secondDot + 1)))
        return std::nullopt;
    try
    {
        const auto header = parseJsonObject(base64UrlDecode(jwt.substr(0, firstDot)));
        const auto payload = parseJsonObject(base64UrlDecode(jwt.substr(firstDot + 1, secondDot - firstDot - 1)));
        return bearerOf(header, payload, now, expiresAt);
    }
    catch (const Poco::Exception&)
    {
        return std::nullopt;
    }
}

} // namespace captrack::service
