#include "ApiAssertions.h"
#include "HttpTestServer.h"
#include "captrack/app/Settings.h"
#include "captrack/storage/Transaction.h"

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Object.h>
#include <Poco/StringTokenizer.h>

#include <cppunit/extensions/HelperMacros.h>

#include <set>
#include <sstream>

using captrack::test::HttpTestServer;

namespace
{
std::string base64Url(const std::string& text)
{
    std::ostringstream out;
    Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
    encoder << text;
    encoder.close();
    return out.str();
}
} // namespace

/// Sign-in, session tokens, API tokens, lock-out and disabled users, through the real server.
class AuthApiTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(AuthApiTest);
    CPPUNIT_TEST(testLoginGivesTokenAndMe);
    CPPUNIT_TEST(testEveryApiRouteNeedsAToken);
    CPPUNIT_TEST(testTamperedAndUnsignedTokensAreRefused);
    CPPUNIT_TEST(testApiTokensAreShownOnceAndRevocable);
    CPPUNIT_TEST(testFailedSignInsLockTheUsernameOut);
    CPPUNIT_TEST(testDisabledUserStopsAtOnce);
    CPPUNIT_TEST(testUsersAreForAdminsAndPasswordsNeverShown);
    CPPUNIT_TEST(testAuditTrailNamesTheRealUser);
    CPPUNIT_TEST(testSessionTokensExpire);
    CPPUNIT_TEST(testLockOutEndsAfterTheWindow);
    CPPUNIT_TEST(testApiTokensExpire);
    CPPUNIT_TEST(testTokenInputIsStrict);
    CPPUNIT_TEST(testStoredHashIsUpgradedAtSignIn);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { _pServer = std::make_unique<HttpTestServer>(); }
    void tearDown() override { _pServer.reset(); }

    void testLoginGivesTokenAndMe()
    {
        auto& s = *_pServer;
        const auto login = s.post("/api/v1/auth/login", R"({"username": "admin", "password": ")" +
                                                            HttpTestServer::passwordOf("admin") + R"("})");
        CPPUNIT_ASSERT_EQUAL(200, login.status);
        const auto body = login.json();
        // The fixed clock says 2027-03-01T10:00:00Z; the default lifetime is 8 hours.
        CPPUNIT_ASSERT_EQUAL(std::string("2027-03-01T18:00:00Z"), body->getValue<std::string>("expires_at"));
        CPPUNIT_ASSERT_EQUAL(std::string("admin"), body->getObject("user")->getValue<std::string>("username"));
        CPPUNIT_ASSERT(!body->getObject("user")->has("password_hash"));
        const auto token = body->getValue<std::string>("token");
        Poco::StringTokenizer parts(token, ".");
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), parts.count());
        const auto me = s.get("/api/v1/me");
        CPPUNIT_ASSERT_EQUAL(200, me.status);
        CPPUNIT_ASSERT_EQUAL(std::string("admin"), me.json()->getValue<std::string>("role"));

        CPPUNIT_ASSERT_EQUAL(
            401, s.post("/api/v1/auth/login", R"({"username": "admin", "password": "wrong-password"})").status);
        CPPUNIT_ASSERT_EQUAL(
            401, s.post("/api/v1/auth/login", R"({"username": "nobody", "password": "wrong-password"})").status);
        CPPUNIT_ASSERT_EQUAL(422, s.post("/api/v1/auth/login", R"({"username": "admin"})").status);
        CPPUNIT_ASSERT_EQUAL(400, s.post("/api/v1/auth/login", "{").status);
        // Unknown members are named (422) even with the right password, and are no attempt.
        const std::string failures =
            "SELECT failures FROM sign_in_failures WHERE scope = 'address' AND throttle_key = '127.0.0.1'";
        const std::string before = s.scalar(failures);
        const auto extra = s.post("/api/v1/auth/login", R"({"username": "admin", "password": ")" +
                                                            HttpTestServer::passwordOf("admin") +
                                                            R"(", "remember_me": true, "otp": "123456"})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(extra.body, 422, extra.status);
        const auto errors = extra.json()->getArray("errors");
        std::set<std::string> fields;
        for (std::size_t i = 0; i < errors->size(); ++i)
            fields.insert(errors->getObject(static_cast<unsigned>(i))->getValue<std::string>("field"));
        CPPUNIT_ASSERT(fields == std::set<std::string>({"otp", "remember_me"}));
        CPPUNIT_ASSERT_EQUAL(before, s.scalar(failures));
    }

    void testEveryApiRouteNeedsAToken()
    {
        auto& s = *_pServer;
        s.useToken("");
        for (const char* path :
             {"/api/v1/projects", "/api/v1/partners", "/api/v1/me", "/api/v1/audit", "/api/v1/users"})
        {
            const auto result = s.get(path);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, 401, result.status);
            CPPUNIT_ASSERT(result.header("WWW-Authenticate").find("Bearer") == 0);
        }
        CPPUNIT_ASSERT_EQUAL(401, s.post("/api/v1/projects", R"({"code": "X"})").status);
        CPPUNIT_ASSERT_EQUAL(200, s.get("/healthz").status);
        CPPUNIT_ASSERT_EQUAL(200, s.get("/readyz").status);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), s.count("projects"));
    }

    void testTamperedAndUnsignedTokensAreRefused()
    {
        auto& s = *_pServer;
        const std::string good = s.token();
        Poco::StringTokenizer parts(good, ".");
        // Another user id in the payload, the original signature.
        const std::string forgedPayload =
            base64Url(R"({"sub":"2","iss":"captrack","iat":1803981600,"exp":1999999999})");
        s.useToken(parts[0] + "." + forgedPayload + "." + parts[2]);
        CPPUNIT_ASSERT_EQUAL(401, s.get("/api/v1/me").status);
        // alg: none, no signature.
        s.useToken(base64Url(R"({"alg":"none","typ":"JWT"})") + "." + parts[1] + ".");
        CPPUNIT_ASSERT_EQUAL(401, s.get("/api/v1/me").status);
        s.useToken(good.substr(0, good.size() - 2) + (good.back() == 'A' ? "BB" : "AA"));
        CPPUNIT_ASSERT_EQUAL(401, s.get("/api/v1/me").status);
        s.useToken("not-a-token");
        CPPUNIT_ASSERT_EQUAL(401, s.get("/api/v1/me").status);
        CPPUNIT_ASSERT_EQUAL(401, s.request("GET", "/api/v1/me", "", {{"Authorization", "Basic YWRtaW46eA=="}}).status);
        s.useToken(good);
        CPPUNIT_ASSERT_EQUAL(200, s.get("/api/v1/me").status);
    }

    void testApiTokensAreShownOnceAndRevocable()
    {
        auto& s = *_pServer;
        const auto created = s.post("/api/v1/me/tokens", R"({"name": "nightly export"})");
        CPPUNIT_ASSERT_EQUAL(201, created.status);
        const std::string token = created.json()->getValue<std::string>("token");
        const auto id = created.json()->getValue<Poco::Int64>("id");
        CPPUNIT_ASSERT(token.rfind("ct_", 0) == 0);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), s.count("api_tokens WHERE token_hash = '" + token + "'"));
        const auto listed = s.get("/api/v1/me/tokens");
        CPPUNIT_ASSERT_EQUAL(std::string::npos, listed.body.find(token));
        CPPUNIT_ASSERT_EQUAL(422, s.post("/api/v1/me/tokens", R"({"name": ""})").status);

        const std::string session = s.token();
        s.useToken(token);
        CPPUNIT_ASSERT_EQUAL(200, s.get("/api/v1/projects").status);
        s.useToken(session);
        CPPUNIT_ASSERT_EQUAL(204, s.request("DELETE", "/api/v1/me/tokens/" + std::to_string(id)).status);
        CPPUNIT_ASSERT_EQUAL(404, s.request("DELETE", "/api/v1/me/tokens/" + std::to_string(id)).status);
        s.useToken(token);
        CPPUNIT_ASSERT_EQUAL(401, s.get("/api/v1/projects").status);
    }

    void testFailedSignInsLockTheUsernameOut()
    {
        auto& s = *_pServer;
        s.addUser("carol", "reviewer");
        const std::string wrong = R"({"username": "carol", "password": "not-her-password"})";
        for (int i = 0; i < 5; ++i)
            CPPUNIT_ASSERT_EQUAL(401, s.post("/api/v1/auth/login", wrong).status);
        const auto locked = s.post("/api/v1/auth/login", R"({"username": "carol", "password": ")" +
                                                             HttpTestServer::passwordOf("carol") + R"("})");
        CPPUNIT_ASSERT_EQUAL(429, locked.status);
        CPPUNIT_ASSERT(std::stoi(locked.header("Retry-After")) > 0);
        // Another username from the same address is not locked yet.
        s.signIn("admin");
    }

    void testDisabledUserStopsAtOnce()
    {
        auto& s = *_pServer;
        const auto id = s.addUser("dave", "lead");
        const std::string admin = s.token();
        s.signIn("dave");
        const std::string dave = s.token();
        CPPUNIT_ASSERT_EQUAL(200, s.get("/api/v1/projects").status);
        s.useToken(admin);
        CPPUNIT_ASSERT_EQUAL(200, s.patch("/api/v1/users/" + std::to_string(id), R"({"disabled": true})", 1).status);
        s.useToken(dave);
        CPPUNIT_ASSERT_EQUAL(401, s.get("/api/v1/projects").status);
        s.useToken("");
        CPPUNIT_ASSERT_EQUAL(401, s.post("/api/v1/auth/login", R"({"username": "dave", "password": ")" +
                                                                   HttpTestServer::passwordOf("dave") + R"("})")
                                      .status);
    }

    void testUsersAreForAdminsAndPasswordsNeverShown()
    {
        auto& s = *_pServer;
        const auto created = s.post("/api/v1/users", R"({"username": "erin", "display_name": "Erin", "role": "reviewer",
                                        "password": ")" + HttpTestServer::passwordOf("erin") +
                                                         R"("})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);
        CPPUNIT_ASSERT_EQUAL(std::string::npos, created.body.find(HttpTestServer::passwordOf("erin")));
        CPPUNIT_ASSERT_EQUAL(std::string::npos, created.body.find("pbkdf2"));
        CPPUNIT_ASSERT(s.scalar("SELECT password_hash FROM users WHERE username = 'erin'").rfind("pbkdf2-sha256$", 0) ==
                       0);
        const auto bad = s.post("/api/v1/users", R"({"username": "x y", "role": "partner", "password": "short"})");
        CPPUNIT_ASSERT_EQUAL(422, bad.status);
        // username (a space), display_name (missing), password (short); partner_id is checked once those pass
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), bad.json()->getArray("errors")->size());
        CPPUNIT_ASSERT_EQUAL(409, s.post("/api/v1/users", R"({"username": "erin", "display_name": "E",
                                             "role": "lead", "password": "another-password"})")
                                      .status);
        s.signIn("erin");
        CPPUNIT_ASSERT_EQUAL(403, s.get("/api/v1/users").status);
        CPPUNIT_ASSERT_EQUAL(403, s.post("/api/v1/users", R"({"username": "mallory", "display_name": "M",
                                             "role": "admin", "password": "another-password"})")
                                      .status);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), s.count("users WHERE username = 'mallory'"));
    }

    void testAuditTrailNamesTheRealUser()
    {
        auto& s = *_pServer;
        const auto leadId = s.addUser("frank", "lead");
        s.signIn("frank");
        const auto project = s.create("/api/v1/projects", R"({"code": "SPS-9", "title": "T", "kind": "scientific"})");
        CPPUNIT_ASSERT_EQUAL(std::to_string(leadId),
                             s.scalar("SELECT lead_user_id FROM projects WHERE id = " + std::to_string(project)));
        CPPUNIT_ASSERT_EQUAL(403, s.get("/api/v1/audit").status);
        s.signIn("admin");
        const auto audit = s.get("/api/v1/audit?entity=project&user=" + std::to_string(leadId));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(audit.body, 200, audit.status);
        CPPUNIT_ASSERT_EQUAL(1, audit.json()->getValue<int>("total"));
        const auto event = audit.json()->getArray("items")->getObject(0);
        CPPUNIT_ASSERT_EQUAL(leadId, event->getValue<Poco::Int64>("user_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("SPS-9"),
                             event->getObject("changes")->getObject("code")->getValue<std::string>("new"));
        CPPUNIT_ASSERT_EQUAL(400, s.get("/api/v1/audit?since=yesterday").status);
        CPPUNIT_ASSERT_EQUAL(200, s.get("/api/v1/audit?since=2027-03-01&until=2027-03-02T00:00:00Z").status);
    }

    void testSessionTokensExpire()
    {
        auto& s = *_pServer;
        CPPUNIT_ASSERT_EQUAL(200, s.get("/api/v1/me").status);
        s.clock().advance(8LL * 3600 * 1000000 - 1000000); // one second before the 8-hour lifetime ends
        CPPUNIT_ASSERT_EQUAL(200, s.get("/api/v1/me").status);
        s.clock().advance(1000000);
        CPPUNIT_ASSERT_EQUAL(401, s.get("/api/v1/me").status);
        s.signIn("admin");
        CPPUNIT_ASSERT_EQUAL(200, s.get("/api/v1/me").status);
    }

    void testLockOutEndsAfterTheWindow()
    {
        auto& s = *_pServer;
        s.addUser("gina", "reviewer");
        for (int i = 0; i < 5; ++i)
            s.post("/api/v1/auth/login", R"({"username": "gina", "password": "wrong-password"})");
        const std::string right =
            R"({"username": "gina", "password": ")" + HttpTestServer::passwordOf("gina") + R"("})";
        CPPUNIT_ASSERT_EQUAL(429, s.post("/api/v1/auth/login", right).status);
        s.clock().advance(899LL * 1000000);
        CPPUNIT_ASSERT_EQUAL(429, s.post("/api/v1/auth/login", right).status);
        s.clock().advance(2LL * 1000000); // 15 minutes after the first failure
        CPPUNIT_ASSERT_EQUAL(200, s.post("/api/v1/auth/login", right).status);
    }

    void testApiTokensExpire()
    {
        auto& s = *_pServer;
        const auto created = s.post("/api/v1/me/tokens", R"({"name": "one day", "expires_in_days": 1})");
        CPPUNIT_ASSERT_EQUAL(201, created.status);
        CPPUNIT_ASSERT_EQUAL(std::string("2027-03-02T10:00:00Z"), created.json()->getValue<std::string>("expires_at"));
        s.useToken(created.json()->getValue<std::string>("token"));
        CPPUNIT_ASSERT_EQUAL(200, s.get("/api/v1/me").status);
        s.clock().advance(86400LL * 1000000);
        CPPUNIT_ASSERT_EQUAL(401, s.get("/api/v1/me").status);
    }

    void testTokenInputIsStrict()
    {
        using captrack::test::api::expectInvalid;
        auto& s = *_pServer;
        for (const char* days : {"true", "false", R"("1")", "1.5", "0", "3651", "[1]"})
            expectInvalid(
                std::string("expires_in_days: ") + days, "expires_in_days",
                s.post("/api/v1/me/tokens", std::string(R"({"name": "n", "expires_in_days": )") + days + "}"));
        // Right-to-left override, bell, zero-width space, line break, isolate, byte-order mark, C1 control.
        for (const char* name : {R"(\u202Egnp.exe)", R"(a\u0007b)", R"(zero\u200Bwidth)", R"(line\nbreak)",
                                 R"(\u2066isolate)", R"(bom\uFEFF)", R"(c1\u0085)"})
            expectInvalid(std::string("name ") + name, "name",
                          s.post("/api/v1/me/tokens", std::string(R"({"name": ")") + name + R"("})"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), s.count("api_tokens"));
        CPPUNIT_ASSERT_EQUAL(201, s.post("/api/v1/me/tokens", R"({"name": "Нічний експорт — Україна ✓"})").status);
        // 200 characters is the limit, counted as characters (400 bytes here), not bytes.
        std::string cyrillic;
        for (int i = 0; i < 200; ++i)
            cyrillic += "ж";
        CPPUNIT_ASSERT_EQUAL(201, s.post("/api/v1/me/tokens", R"({"name": ")" + cyrillic + R"("})").status);
        expectInvalid("201 characters", "name", s.post("/api/v1/me/tokens", R"({"name": ")" + cyrillic + R"(ж"})"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), s.count("api_tokens"));
    }

    void testStoredHashIsUpgradedAtSignIn()
    {
        CPPUNIT_ASSERT_EQUAL(600000, captrack::service::AuthOptions().pbkdf2Iterations);
        CPPUNIT_ASSERT_EQUAL(std::string("600000"), captrack::app::Settings::defaults().at("auth.pbkdf2_iterations"));
        auto& s = *_pServer;
        const auto id = s.addUser("hana", "reviewer");
        const std::string where = " FROM users WHERE id = " + std::to_string(id);
        storeWeakHash(id, HttpTestServer::passwordOf("hana"));
        CPPUNIT_ASSERT(s.scalar("SELECT password_hash" + where).rfind("pbkdf2-sha256$10$", 0) == 0);
        const std::string version = s.scalar("SELECT version" + where);
        // A wrong password upgrades nothing.
        CPPUNIT_ASSERT_EQUAL(
            401, s.post("/api/v1/auth/login", R"({"username": "hana", "password": "not-her-password"})").status);
        CPPUNIT_ASSERT(s.scalar("SELECT password_hash" + where).rfind("pbkdf2-sha256$10$", 0) == 0);
        s.signIn("hana"); // the server hashes with 1000 iterations (HttpTestServer)
        CPPUNIT_ASSERT(s.scalar("SELECT password_hash" + where).rfind("pbkdf2-sha256$1000$", 0) == 0);
        CPPUNIT_ASSERT_EQUAL(200, s.get("/api/v1/me").status); // the upgrade ended no session
        CPPUNIT_ASSERT_EQUAL(version, s.scalar("SELECT version" + where));
        s.signIn("hana");
    }

private:
    /// Stores a hash of 10 iterations for the user, behind the server's back.
    void storeWeakHash(Poco::Int64 userId, const std::string& password)
    {
        using namespace Poco::Data::Keywords;
        const captrack::service::PasswordHasher weak(10);
        captrack::storage::Transaction txn(_pServer->db().database());
        txn.session() << "UPDATE users SET password_hash = ? WHERE id = ?", bind(weak.hash(password)), bind(userId),
            now;
        txn.commit();
    }

    std::unique_ptr<HttpTestServer> _pServer;
};

CPPUNIT_TEST_SUITE_REGISTRATION(AuthApiTest);
