#include "captrack/Errors.h"
#include "captrack/service/AuditLog.h"
#include "captrack/service/AuthService.h"
#include "captrack/storage/Transaction.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/Nullable.h>
#include <Poco/NumberParser.h>
#include <Poco/Path.h>
#include <Poco/String.h>

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <unistd.h>

#include <sstream>

namespace captrack::service
{

using domain::Principal;
using Poco::Dynamic::Var;
using namespace Poco::Data::Keywords;

namespace
{
const char* const ISSUER = "captrack";

std::string rfc3339(const Poco::Timestamp& at)
{
    return Poco::DateTimeFormatter::format(at, "%Y-%m-%dT%H:%M:%SZ");
}

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

Poco::JSON::Object::Ptr parseJsonObject(const std::string& text)
{
    Poco::JSON::Parser parser;
    const auto parsed = parser.parse(text);
    return parsed.type() == typeid(Poco::JSON::Object::Ptr) ? parsed.extract<Poco::JSON::Object::Ptr>() : nullptr;
}
} // namespace

std::string loadOrCreateSecret(const std::string& path)
{
    if (!Poco::File(path).exists())
    {
        const Poco::Path parent = Poco::Path(path).parent();
        if (!parent.toString().empty())
            Poco::File(parent).createDirectories();
        // O_EXCL: of two instances starting at once, one creates the file and the other reads it.
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
        if (fd >= 0)
        {
            const std::string secret = randomHex(32) + "\n";
            const bool written = ::write(fd, secret.data(), secret.size()) == static_cast<ssize_t>(secret.size());
            ::close(fd);
            if (!written)
                throw Poco::WriteFileException(path);
        }
    }
    Poco::FileInputStream in(path);
    std::string secret;
    std::getline(in, secret);
    secret = Poco::trim(secret);
    if (secret.size() < 32)
        throw Poco::DataFormatException("the token secret file holds fewer than 32 characters", path);
    return secret;
}

std::string AuthService::issueSessionToken(Poco::Int64 userId, Poco::Timestamp& expires) const
{
    const Poco::Timestamp issued = _clock.now();
    expires =
        issued + static_cast<Poco::Timestamp::TimeDiff>(_options.tokenLifetimeSeconds) * Poco::Timestamp::resolution();
    Poco::JWT::Token token;
    token.setType("JWT");
    token.setSubject(std::to_string(userId));
    token.setIssuer(ISSUER);
    // Integer NumericDates: Poco's setIssuedAt would write fractional seconds.
    token.payload().set("iat", epochSeconds(issued));
    token.payload().set("exp", epochSeconds(expires));
    Poco::JWT::Signer signer(_options.secret);
    return signer.sign(token, Poco::JWT::Signer::ALGO_HS256);
}

std::optional<Poco::Int64> AuthService::verifySessionToken(const std::string& jwt) const
{
    // Verified here rather than with Poco::JWT::Signer::verify, so that the signature comparison
    // is constant-time and only HS256 is ever accepted (never `none` or another algorithm).
    const auto firstDot = jwt.find('.');
    const auto secondDot = firstDot == std::string::npos ? firstDot : jwt.find('.', firstDot + 1);
    if (secondDot == std::string::npos || jwt.find('.', secondDot + 1) != std::string::npos)
        return std::nullopt;
    const std::string signingInput = jwt.substr(0, secondDot);
    if (!constantTimeEquals(hmacSha256Base64Url(_options.secret, signingInput), jwt.substr(secondDot + 1)))
        return std::nullopt;
    try
    {
        const auto header = parseJsonObject(base64UrlDecode(jwt.substr(0, firstDot)));
        const auto payload = parseJsonObject(base64UrlDecode(jwt.substr(firstDot + 1, secondDot - firstDot - 1)));
        if (!header || !payload || header->optValue<std::string>("alg", "") != "HS256" ||
            payload->optValue<std::string>("iss", "") != ISSUER)
            return std::nullopt;
        if (!payload->has("exp") || !payload->get("exp").isInteger() || payload->get("exp").isBoolean() ||
            payload->getValue<Poco::Int64>("exp") <= epochSeconds(_clock.now()))
            return std::nullopt;
        Poco::Int64 userId = 0;
        if (!Poco::NumberParser::tryParse64(payload->optValue<std::string>("sub", ""), userId) || userId <= 0)
            return std::nullopt;
        return userId;
    }
    catch (const Poco::Exception&)
    {
        return std::nullopt;
    }
}

std::optional<Poco::Int64> AuthService::verifyApiToken(const std::string& token) const
{
    auto pLease = _database.lease();
    std::string hash = sha256Hex(token);
    Poco::Int64 userId = 0;
    Poco::Nullable<std::string> expiresAt, revokedAt;
    pLease->session() << "SELECT user_id, expires_at, revoked_at FROM api_tokens WHERE token_hash = ?", use(hash),
        into(userId), into(expiresAt), into(revokedAt), now;
    if (userId == 0 || !revokedAt.isNull())
        return std::nullopt;
    if (!expiresAt.isNull() && expiresAt.value() <= _clock.nowText())
        return std::nullopt;
    return userId;
}

Poco::JSON::Object::Ptr AuthService::createApiToken(const Principal& principal, const Poco::JSON::Object& input) const
{
    FieldErrors errors;
    std::string name;
    if (!input.has("name") || !input.get("name").isString() || Poco::trim(input.getValue<std::string>("name")).empty())
        errors.push_back({"name", "is required: say what the token is for"});
    else if ((name = Poco::trim(input.getValue<std::string>("name"))).size() > 200)
        errors.push_back({"name", "must be at most 200 characters"});
    Poco::Nullable<std::string> expiresAt;
    if (input.has("expires_in_days") && !input.get("expires_in_days").isEmpty())
    {
        const Var days = input.get("expires_in_days");
        if (!days.isInteger() || days.convert<Poco::Int64>() < 1 || days.convert<Poco::Int64>() > 3650)
            errors.push_back({"expires_in_days", "must be a whole number from 1 to 3650"});
        else
            expiresAt = rfc3339(_clock.now() + days.convert<Poco::Int64>() * 86400 * Poco::Timestamp::resolution());
    }
    for (const auto& [key, value] : input)
        if (key != "name" && key != "expires_in_days")
            errors.push_back({key, "is not a field of a token"});
    throwIfAny(errors);

    const std::string token = "ct_" + randomHex(32);
    std::string hash = sha256Hex(token), at = _clock.nowText();
    Poco::Int64 userId = principal.userId, id = 0;
    {
        storage::Transaction txn(_database);
        auto& session = txn.session();
        session << "INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
            use(userId), use(name), use(hash), use(at), use(expiresAt), now;
        session << _database.lastInsertIdSql(), into(id), now;
        AuditLog::recordRaw(session, principal, at, "create", "api_token", id, std::nullopt,
                            AuditLog::change("name", Var(), Var(name)));
        txn.commit();
    }
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    body->set("id", id);
    body->set("name", name);
    body->set("token", token);
    body->set("created_at", at);
    body->set("expires_at", expiresAt.isNull() ? Var() : Var(expiresAt.value()));
    return body;
}

Poco::JSON::Array::Ptr AuthService::listApiTokens(const Principal& principal) const
{
    auto pLease = _database.lease();
    Poco::Int64 userId = principal.userId;
    std::vector<Poco::Int64> ids;
    std::vector<std::string> names, created;
    std::vector<Poco::Nullable<std::string>> expires, revoked;
    pLease->session() << "SELECT id, name, created_at, expires_at, revoked_at FROM api_tokens WHERE user_id = ? "
                         "ORDER BY id",
        use(userId), into(ids), into(names), into(created), into(expires), into(revoked), now;
    Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
    for (std::size_t i = 0; i < ids.size(); ++i)
    {
        Poco::JSON::Object::Ptr item = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        item->set("id", ids[i]);
        item->set("name", names[i]);
        item->set("created_at", created[i]);
        item->set("expires_at", expires[i].isNull() ? Var() : Var(expires[i].value()));
        item->set("revoked_at", revoked[i].isNull() ? Var() : Var(revoked[i].value()));
        items->add(item);
    }
    return items;
}

void AuthService::revokeApiToken(const Principal& principal, Poco::Int64 id) const
{
    storage::Transaction txn(_database);
    auto& session = txn.session();
    Poco::Int64 userId = principal.userId, found = 0;
    session << "SELECT COUNT(*) FROM api_tokens WHERE id = ? AND user_id = ? AND revoked_at IS NULL", use(id),
        use(userId), into(found), now;
    if (found == 0)
        throw NotFoundError("no such token");
    std::string at = _clock.nowText();
    session << "UPDATE api_tokens SET revoked_at = ? WHERE id = ?", use(at), use(id), now;
    AuditLog::recordRaw(session, principal, at, "update", "api_token", id, std::nullopt,
                        AuditLog::change("revoked_at", Var(), Var(at)));
    txn.commit();
}

} // namespace captrack::service
