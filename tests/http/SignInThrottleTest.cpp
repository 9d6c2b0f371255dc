#include "CredentialHelpers.h"
#include "RacingRequest.h"

#include <cppunit/extensions/HelperMacros.h>

#include <future>
#include <thread>
#include <vector>

using namespace captrack::test::credentials;
using captrack::test::HttpTestServer;

namespace
{
/// What one parallel sign-in got: its status and Retry-After.
/// One sign-in on its own connection, sent when `start` is released.
captrack::test::RacedAnswer signInWhenReleased(Poco::UInt16 port, const std::string& body,
                                               std::shared_future<void> start)
{
    return captrack::test::postWhenReleased(port, "/api/v1/auth/login", body, "", std::move(start));
}
} // namespace

/// Sign-in throttling through the real server: attempts reserved before the password is checked (so
/// parallel guesses cannot overtake the limit), usernames normalised and capped before they are keys,
/// and a locked-out address refused before its body is parsed.
class SignInThrottleTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SignInThrottleTest);
    CPPUNIT_TEST(testParallelWrongGuessesAreReservedAtomically);
    CPPUNIT_TEST(testUsernamesAreNormalisedForThrottleAndSignIn);
    CPPUNIT_TEST(testOverlongAndImpossibleUsernamesAreNeverTracked);
    CPPUNIT_TEST(testLockedAddressIsRefusedBeforeTheBodyIsParsed);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { _pServer = std::make_unique<HttpTestServer>(); }
    void tearDown() override { _pServer.reset(); }

    void testParallelWrongGuessesAreReservedAtomically()
    {
        auto& s = *_pServer;
        s.addUser("carol", "reviewer");
        // The fixture's keep-alive connection holds one of the server's 16 threads: free it for the 16 guesses.
        s.request("GET", "/healthz", "", {{"Connection", "close"}});
        std::promise<void> gate;
        const std::shared_future<void> start = gate.get_future().share();
        std::vector<std::future<captrack::test::RacedAnswer>> guesses;
        for (int i = 0; i < 16; ++i)
            guesses.push_back(std::async(std::launch::async, signInWhenReleased, s.port(),
                                         loginBody("carol", "wrong-guess-" + std::to_string(i)), start));
        gate.set_value();
        int unauthorized = 0, throttled = 0;
        for (auto& guess : guesses)
        {
            const captrack::test::RacedAnswer outcome = guess.get();
            unauthorized += outcome.status == 401 ? 1 : 0;
            if (outcome.status == 429)
            {
                ++throttled;
                CPPUNIT_ASSERT(std::stoi(outcome.retryAfter) > 0);
            }
        }
        CPPUNIT_ASSERT_EQUAL(5, unauthorized);
        CPPUNIT_ASSERT_EQUAL(11, throttled);
        CPPUNIT_ASSERT_EQUAL(
            429,
            as(s, "", "POST", API + "/auth/login", loginBody("carol", HttpTestServer::passwordOf("carol"))).status);
    }

    void testUsernamesAreNormalisedForThrottleAndSignIn()
    {
        auto& s = *_pServer;
        s.addUser("carol", "reviewer");
        s.addUser("dave", "lead");
        for (const char* spelling : {" carol", "CAROL", "Carol ", "cArOl", R"(\tcarol\n)"})
            CPPUNIT_ASSERT_EQUAL(401,
                                 as(s, "", "POST", API + "/auth/login", loginBody(spelling, "wrong-password")).status);
        // Five failures under five spellings are five failures of one user.
        CPPUNIT_ASSERT_EQUAL(
            429,
            as(s, "", "POST", API + "/auth/login", loginBody("carol", HttpTestServer::passwordOf("carol"))).status);
        const auto dave =
            as(s, "", "POST", API + "/auth/login", loginBody("  Dave ", HttpTestServer::passwordOf("dave")));
        expectStatus("sign-in as '  Dave '", 200, dave);
        CPPUNIT_ASSERT_EQUAL(std::string("dave"), dave.json()->getObject("user")->getValue<std::string>("username"));
    }

    void testOverlongAndImpossibleUsernamesAreNeverTracked()
    {
        auto& s = *_pServer;
        auto& throttle = s.server().auth().throttle();
        const std::size_t before = throttle.trackedUsernames();
        for (const std::string& name : {std::string(1000, 'a'), std::string(65, 'b'), std::string("x y"),
                                        std::string("\\u00fcser"), std::string("semi;colon")})
            CPPUNIT_ASSERT_EQUAL(401, as(s, "", "POST", API + "/auth/login", loginBody(name, "wrong-password")).status);
        CPPUNIT_ASSERT_EQUAL(before, throttle.trackedUsernames());
        CPPUNIT_ASSERT_EQUAL(
            401, as(s, "", "POST", API + "/auth/login", loginBody(std::string(64, 'c'), "wrong-pass")).status);
        CPPUNIT_ASSERT_EQUAL(before + 1, throttle.trackedUsernames());
    }

    void testLockedAddressIsRefusedBeforeTheBodyIsParsed()
    {
        auto& s = *_pServer;
        for (int i = 0; i < 20; ++i)
            CPPUNIT_ASSERT_EQUAL(
                401, as(s, "", "POST", API + "/auth/login", loginBody("nobody-" + std::to_string(i), "wrong-password"))
                         .status);
        const auto unparsable = as(s, "", "POST", API + "/auth/login", "{");
        expectProblem("a malformed body from a locked address", 429, unparsable);
        CPPUNIT_ASSERT(std::stoi(unparsable.header("Retry-After")) > 0);
        CPPUNIT_ASSERT_EQUAL(
            429,
            as(s, "", "POST", API + "/auth/login", loginBody("admin", HttpTestServer::passwordOf("admin"))).status);
        s.clock().advance(900LL * 1000000);
        CPPUNIT_ASSERT_EQUAL(400, as(s, "", "POST", API + "/auth/login", "{").status);
        CPPUNIT_ASSERT_EQUAL(200, meWith(s, sessionOf(s, "admin")));
    }

private:
    std::unique_ptr<HttpTestServer> _pServer;
};

CPPUNIT_TEST_SUITE_REGISTRATION(SignInThrottleTest);
