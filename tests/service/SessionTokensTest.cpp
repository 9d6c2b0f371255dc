#include "captrack/service/SessionTokens.h"
#include "captrack/domain/Clock.h"

#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>

#include <cppunit/extensions/HelperMacros.h>

#include <optional>
#include <sstream>
#include <string>

using captrack::domain::FixedClock;
using captrack::service::Bearer;
using captrack::service::SessionTokens;

namespace
{
constexpr Poco::Timestamp::TimeDiff SECOND = 1000000;
constexpr Poco::Int64 NOW = 1800000000;
const std::string SECRET(40, 's');

std::string base64Url(const std::string& text)
{
    std::ostringstream out;
    Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
    encoder << text;
    encoder.close();
    return out.str();
}

/// A token signed with `secret` whose payload the test writes itself.
std::string signedToken(const std::string& secret, const std::string& sub, const Poco::Dynamic::Var& version,
                        Poco::Int64 expires, const std::string& issuer = "captrack")
{
    Poco::JWT::Token token;
    token.setType("JWT");
    token.setSubject(sub);
    token.setIssuer(issuer);
    token.payload().set("exp", expires);
    token.payload().set("ver", version);
    return Poco::JWT::Signer(secret).sign(token, Poco::JWT::Signer::ALGO_HS256);
}
} // namespace

/// Session tokens on their own (no database): what is issued verifies to what was named, for its
/// lifetime only, and nothing forged, tampered with, of another algorithm or with odd claims does.
class SessionTokensTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SessionTokensTest);
    CPPUNIT_TEST(testAnIssuedTokenNamesItsUserAndVersionForItsLifetime);
    CPPUNIT_TEST(testTamperedOrForeignTokensAreRefused);
    CPPUNIT_TEST(testOnlyHs256WithIntegerClaimsFromCaptrackIsAccepted);
    CPPUNIT_TEST(testAShortSecretIsRefused);
    CPPUNIT_TEST(testARememberedTokenVouchesForNothingElse);
    CPPUNIT_TEST_SUITE_END();

public:
    void testAnIssuedTokenNamesItsUserAndVersionForItsLifetime()
    {
        FixedClock clock(Poco::Timestamp(NOW * SECOND));
        const SessionTokens tokens(clock, SECRET, 60);
        Poco::Timestamp expires;
        const std::string token = tokens.issue(Bearer{42, 7}, expires);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(NOW + 60), static_cast<Poco::Int64>(expires.epochTime()));
        const auto bearer = tokens.verify(token);
        CPPUNIT_ASSERT(bearer);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(42), bearer->userId);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(7), bearer->tokenVersion);
        clock.advance(59 * SECOND);
        CPPUNIT_ASSERT(tokens.verify(token));
        clock.advance(1 * SECOND); // `exp` itself is too late
        CPPUNIT_ASSERT(!tokens.verify(token));
    }

    /// A verified token is remembered by its thread (SessionTokens::REMEMBERED): that never makes another
    /// token, or another instance with another secret, pass.
    void testARememberedTokenVouchesForNothingElse()
    {
        FixedClock clock(Poco::Timestamp(NOW * SECOND));
        const std::string otherSecret(40, 'o');
        std::optional<SessionTokens> tokens;
        tokens.emplace(clock, SECRET, 60);
        Poco::Timestamp expires;
        const std::string token = tokens->issue(Bearer{42, 7}, expires);
        CPPUNIT_ASSERT(tokens->verify(token));
        CPPUNIT_ASSERT(tokens->verify(token)); // remembered
        std::string tampered = token;
        tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
        CPPUNIT_ASSERT(!tokens->verify(tampered));
        CPPUNIT_ASSERT(!SessionTokens(clock, otherSecret, 60).verify(token));
        // A new instance with another secret, perhaps at the same address as the old one.
        tokens.reset();
        tokens.emplace(clock, otherSecret, 60);
        CPPUNIT_ASSERT(!tokens->verify(token));
        // Past the number a thread remembers, every token still verifies to its own bearer.
        for (Poco::Int64 user = 1; user <= static_cast<Poco::Int64>(SessionTokens::REMEMBERED) + 10; ++user)
        {
            const auto bearer = tokens->verify(tokens->issue(Bearer{user, 1}, expires));
            CPPUNIT_ASSERT(bearer && bearer->userId == user);
        }
    }

    void testTamperedOrForeignTokensAreRefused()
    {
        FixedClock clock(Poco::Timestamp(NOW * SECOND));
        const SessionTokens tokens(clock, SECRET, 60);
        Poco::Timestamp expires;
        const std::string token = tokens.issue(Bearer{42, 7}, expires);
        std::string tampered = token;
        tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
        CPPUNIT_ASSERT(!tokens.verify(tampered));
        const auto dot = token.find('.');
        const std::string otherUser =
            token.substr(0, dot + 1) +
            base64Url(R"({"sub":"1","iss":"captrack","exp":)" + std::to_string(NOW + 60) + R"(,"ver":7})") +
            token.substr(token.rfind('.'));
        CPPUNIT_ASSERT(!tokens.verify(otherUser));
        CPPUNIT_ASSERT(!tokens.verify(signedToken(std::string(40, 'o'), "42", 7, NOW + 60)));
        for (const std::string& malformed : {std::string(), std::string("a.b"), std::string("a.b.c.d"), token + "."})
            CPPUNIT_ASSERT(!tokens.verify(malformed));
    }

    void testOnlyHs256WithIntegerClaimsFromCaptrackIsAccepted()
    {
        FixedClock clock(Poco::Timestamp(NOW * SECOND));
        const SessionTokens tokens(clock, SECRET, 60);
        CPPUNIT_ASSERT(tokens.verify(signedToken(SECRET, "42", 7, NOW + 60)));
        const std::string none =
            base64Url(R"({"alg":"none","typ":"JWT"})") + "." +
            base64Url(R"({"sub":"42","iss":"captrack","exp":)" + std::to_string(NOW + 60) + R"(,"ver":7})") + ".";
        CPPUNIT_ASSERT(!tokens.verify(none));
        CPPUNIT_ASSERT(!tokens.verify(signedToken(SECRET, "42", "7", NOW + 60)));
        CPPUNIT_ASSERT(!tokens.verify(signedToken(SECRET, "42", true, NOW + 60)));
        CPPUNIT_ASSERT(!tokens.verify(signedToken(SECRET, "42", 7, NOW + 60, "someone-else")));
        CPPUNIT_ASSERT(!tokens.verify(signedToken(SECRET, "0", 7, NOW + 60)));
        CPPUNIT_ASSERT(!tokens.verify(signedToken(SECRET, "admin", 7, NOW + 60)));
    }

    void testAShortSecretIsRefused()
    {
        FixedClock clock(Poco::Timestamp(NOW * SECOND));
        CPPUNIT_ASSERT_THROW(SessionTokens(clock, std::string(31, 's'), 60), Poco::InvalidArgumentException);
        SessionTokens(clock, std::string(32, 's'), 60);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SessionTokensTest);
