// Fuzzes bearer-token verification (captrack::service::Authenticator::authenticate) over a migrated
// SQLite database in memory holding one user, its session token and two API tokens (one revoked).
// An input is read three ways. `T`: the bearer token as a client sends it. `!HEADER\nPAYLOAD` (JSON
// texts): the fuzzer encodes both parts and signs them with the server's secret itself, which
// reaches the header and claim checks that a mutated token never passes. `?H.P`: the same, with the
// signing input taken as it is (to reach the Base64 decoding of signed parts). Checks that nothing but
// UnauthorizedError escapes, that the tokens it issued are accepted (the revoked one refused), and that an accepted
// session token carries a valid HS256 signature computed here, independently of src/, with alg HS256, the issuer, an
// integer expiry in the future and the user's id as subject.
#include "FuzzSupport.h"

#include "captrack/Errors.h"
#include "captrack/service/Authentication.h"
#include "captrack/storage/Migrator.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/HMACEngine.h>
#include <Poco/JSON/Parser.h>
#include <Poco/SHA2Engine.h>

#include <ctime>
#include <iterator>
#include <memory>
#include <sstream>

namespace
{
using captrack::fuzz::check;
using captrack::fuzz::fail;

/// make-jwt-seeds.sh signs the seed tokens of corpus/fuzz_jwt with the same secret.
const std::string FUZZ_SECRET = "captrack-fuzz-secret-0123456789abcdef";
/// The fixture's clock: 2026-01-01T00:00:00Z.
constexpr std::time_t NOW = 1767225600;

/// SHA-256 with the constants Poco::HMACEngine asks of its engine.
class Sha256Engine : public Poco::SHA2Engine
{
public:
    enum
    {
        BLOCK_SIZE = 64,
        DIGEST_SIZE = 32
    };
    Sha256Engine() : Poco::SHA2Engine(SHA_256) {}
};

std::string base64Url(const std::string& bytes)
{
    std::ostringstream out;
    Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
    encoder.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    encoder.close();
    return out.str();
}

std::string hs256(const std::string& signingInput)
{
    Poco::HMACEngine<Sha256Engine> hmac(FUZZ_SECRET);
    hmac.update(signingInput);
    const auto& digest = hmac.digest();
    return base64Url(std::string(digest.begin(), digest.end()));
}

/// The bearer token an input stands for (see the top of this file).
std::string tokenOf(const std::string& input)
{
    if (input.empty() || (input[0] != '!' && input[0] != '?'))
        return input;
    std::string signingInput = input.substr(1);
    if (input[0] == '!')
    {
        const auto newline = signingInput.find('\n');
        signingInput = base64Url(signingInput.substr(0, newline)) + "." +
                       base64Url(newline == std::string::npos ? std::string() : signingInput.substr(newline + 1));
    }
    return signingInput + "." + hs256(signingInput);
}

Poco::JSON::Object::Ptr decodePart(const std::string& part)
{
    std::istringstream in(part);
    Poco::Base64Decoder decoder(in, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
    const std::string json{std::istreambuf_iterator<char>(decoder), std::istreambuf_iterator<char>()};
    return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

/// One user (id `userId`) with a session token, an API token and a revoked API token.
struct AuthFixture
{
    captrack::storage::Database database{captrack::storage::DatabaseUrl::parse("sqlite::memory:"), 1};
    captrack::domain::FixedClock clock{Poco::Timestamp::fromEpochTime(NOW)};
    captrack::service::ResourceService resources{database, clock};
    std::unique_ptr<captrack::service::Authentication> pAuth;
    Poco::Int64 userId = 0;
    std::string sessionToken, apiToken, revokedApiToken;

    AuthFixture()
    {
        captrack::storage::Migrator(database, std::string(CAPTRACK_SOURCE_DIR) + "/sql").migrate();
        captrack::service::AuthOptions options;
        options.secret = FUZZ_SECRET;
        options.pbkdf2Iterations = 1;
        options.failureDelayMs = 0;
        pAuth = std::make_unique<captrack::service::Authentication>(database, clock, resources, options);
        const auto system = captrack::domain::Principal::system();
        pAuth->users().createUser(
            system,
            {{"username", "fuzz"}, {"display_name", "Fuzz"}, {"role", "admin"}, {"password", "fuzz-password-1"}});
        sessionToken = pAuth->signIn().login("fuzz", "fuzz-password-1", "127.0.0.1")->getValue<std::string>("token");
        const auto principal = pAuth->authenticator().authenticate(sessionToken);
        userId = principal.userId;
        Poco::JSON::Object input;
        input.set("name", "fuzz");
        apiToken = pAuth->apiTokens().create(principal, input)->getValue<std::string>("token");
        const auto revoked = pAuth->apiTokens().create(principal, input);
        revokedApiToken = revoked->getValue<std::string>("token");
        pAuth->apiTokens().revokeOwn(principal, revoked->getValue<Poco::Int64>("id"));
    }
};

const AuthFixture& fixture()
{
    static const AuthFixture instance;
    return instance;
}

/// What must hold of a session token that authenticate accepted, checked without src/.
void checkAcceptedSessionToken(const std::string& token)
{
    const auto firstDot = token.find('.');
    const auto lastDot = token.rfind('.');
    check(firstDot != std::string::npos && firstDot != lastDot && token.find('.', firstDot + 1) == lastDot,
          "accepted a token that is not three parts: " + token);
    check(hs256(token.substr(0, lastDot)) == token.substr(lastDot + 1), "accepted a token we did not sign: " + token);
    try
    {
        const auto pHeader = decodePart(token.substr(0, firstDot));
        const auto pPayload = decodePart(token.substr(firstDot + 1, lastDot - firstDot - 1));
        check(pHeader->getValue<std::string>("alg") == "HS256",
              "accepted alg " + pHeader->getValue<std::string>("alg"));
        check(pPayload->getValue<std::string>("iss") == "captrack", "accepted another issuer");
        const auto exp = pPayload->get("exp");
        check(exp.isInteger() && !exp.isBoolean() && exp.convert<Poco::Int64>() > NOW, "accepted a bad expiry");
        // The subject's form is left to src/ (a number 1 passes as "1"): the user it names is checked by accepted().
        check(pPayload->has("sub"), "accepted a token without a subject");
    }
    catch (const Poco::Exception& e)
    {
        fail("accepted a token whose header or claims do not parse: " + e.displayText());
    }
}

/// Authenticates `token`; true when accepted. Only UnauthorizedError may escape authenticate.
bool accepted(const AuthFixture& f, const std::string& token)
{
    try
    {
        const auto principal = f.pAuth->authenticator().authenticate(token);
        check(principal.userId == f.userId && principal.username == "fuzz", "a token signed in someone else");
        return true;
    }
    catch (const captrack::UnauthorizedError&)
    {
        return false;
    }
    catch (const Poco::Exception& e)
    {
        fail("authenticate let " + e.displayText() + " escape");
    }
    catch (const std::exception& e)
    {
        fail(std::string("authenticate let std::exception escape: ") + e.what());
    }
}
} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    const auto& f = fixture();
    check(accepted(f, f.sessionToken) && accepted(f, f.apiToken), "the fixture's own tokens are refused");
    check(!accepted(f, f.revokedApiToken), "a revoked API token is accepted");
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const AuthFixture& f = fixture();
    const std::string token = tokenOf(captrack::fuzz::inputText(data, size));
    const bool ok = accepted(f, token);
    if (token == f.sessionToken || token == f.apiToken)
        check(ok, "a token the server issued is refused");
    else if (token.rfind("ct_", 0) == 0)
        check(!ok, "accepted an API token it never issued or revoked: " + token);
    else if (ok)
        checkAcceptedSessionToken(token);
    return 0;
}
