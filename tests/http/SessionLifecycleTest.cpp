#include "CredentialHelpers.h"
#include "captrack/app/UserCommands.h"

#include <cppunit/extensions/HelperMacros.h>

#include <sstream>

using namespace captrack::test::credentials;
using captrack::test::HttpTestServer;

/// Sessions end when they should (docs/HTTP.md "API conventions"): a password change or reset, a
/// disable and a sign-out everywhere end every session and API token issued before, through the API
/// and the command line; re-enabling revives nothing; an API token cannot manage credentials; admins
/// list and revoke users' tokens; each is audited as what it is.
class SessionLifecycleTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SessionLifecycleTest);
    CPPUNIT_TEST(testAdminResetEndsEverySessionAndToken);
    CPPUNIT_TEST(testOwnPasswordChangeAnswersAFreshSession);
    CPPUNIT_TEST(testOwnPasswordChangeRefusesBadInputAndChangesNothing);
    CPPUNIT_TEST(testWrongCurrentPasswordsAreThrottled);
    CPPUNIT_TEST(testDisableEndsSessionsAndReEnableRevivesNothing);
    CPPUNIT_TEST(testSignOutEverywhere);
    CPPUNIT_TEST(testAdminListsAndRevokesAUsersTokens);
    CPPUNIT_TEST(testApiTokenCannotManageCredentials);
    CPPUNIT_TEST(testCommandLineEndsSessions);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _pServer = std::make_unique<HttpTestServer>();
        _ivan = _pServer->addUser("ivan", "lead");
        _admin = number(_pServer->get(API + "/me"), "id");
    }
    void tearDown() override { _pServer.reset(); }

    void testAdminResetEndsEverySessionAndToken()
    {
        auto& s = *_pServer;
        const std::string a = sessionOf(s, "ivan"), b = sessionOf(s, "ivan");
        const std::string token = apiTokenOf(s, a, "nightly");
        CPPUNIT_ASSERT_EQUAL(200, meWith(s, token));
        const auto reset = s.patch(ivanPath(), R"({"password": "pw-reset-by-admin-01"})", versionOfIvan());
        expectStatus("admin resets ivan's password", 200, reset);
        for (const auto& ended : {a, b, token})
            CPPUNIT_ASSERT_EQUAL(401, meWith(s, ended));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), s.count("api_tokens WHERE revoked_at IS NULL AND user_id = " + ivan()));
        CPPUNIT_ASSERT_EQUAL(
            401, as(s, "", "POST", API + "/auth/login", loginBody("ivan", HttpTestServer::passwordOf("ivan"))).status);
        CPPUNIT_ASSERT_EQUAL(200, meWith(s, sessionOf(s, "ivan", "pw-reset-by-admin-01")));
        CPPUNIT_ASSERT_EQUAL(200, s.get(API + "/me").status); // the admin's own session goes on
        const std::string audit = lastSessionEnd(s, _ivan);
        CPPUNIT_ASSERT_MESSAGE(audit, contains(audit, R"("password":{"old":null,"new":"reset"})"));
        CPPUNIT_ASSERT_MESSAGE(audit, contains(audit, R"("sessions":{"old":null,"new":"ended"})"));
        CPPUNIT_ASSERT_EQUAL(std::to_string(_admin), lastSessionEndBy(s, _ivan));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), s.count("audit_events WHERE changes LIKE '%pw-reset-by-admin%' OR "
                                                     "changes LIKE '%pbkdf2%'"));
        // An admin's own password is not "reset" through /users: that would need no current password.
        const auto me = s.get(API + "/me").json();
        const auto self = s.patch(API + "/users/" + std::to_string(me->getValue<Poco::Int64>("id")),
                                  R"({"password": "pw-self-reset-0001"})", me->getValue<Poco::Int64>("version"));
        expectProblem("admin resets own password through /users", 403, self);
        CPPUNIT_ASSERT_EQUAL(200, s.get(API + "/me").status);
    }

    void testOwnPasswordChangeAnswersAFreshSession()
    {
        auto& s = *_pServer;
        const std::string a = sessionOf(s, "ivan"), b = sessionOf(s, "ivan");
        const std::string token = apiTokenOf(s, a, "nightly");
        const auto changed = as(s, a, "PATCH", API + "/me", changeBody("pw-ivan-changed-01"), ifMatch(1));
        expectStatus("ivan changes his password", 200, changed);
        CPPUNIT_ASSERT_EQUAL(std::string("ivan"), changed.json()->getObject("user")->getValue<std::string>("username"));
        CPPUNIT_ASSERT_EQUAL(std::string("2"), changed.json()->getObject("user")->get("version").toString());
        const std::string fresh = text(changed, "token");
        CPPUNIT_ASSERT_EQUAL(200, meWith(s, fresh));
        for (const auto& ended : {a, b, token})
            CPPUNIT_ASSERT_EQUAL(401, meWith(s, ended));
        CPPUNIT_ASSERT_EQUAL(
            401, as(s, "", "POST", API + "/auth/login", loginBody("ivan", HttpTestServer::passwordOf("ivan"))).status);
        CPPUNIT_ASSERT_EQUAL(200, meWith(s, sessionOf(s, "ivan", "pw-ivan-changed-01")));
        CPPUNIT_ASSERT_EQUAL(200, meWith(s, fresh));
        const std::string audit = lastSessionEnd(s, _ivan);
        CPPUNIT_ASSERT_MESSAGE(audit, contains(audit, R"("password":{"old":null,"new":"changed"})"));
        CPPUNIT_ASSERT_MESSAGE(audit, contains(audit, R"("version":{"old":1,"new":2})"));
        CPPUNIT_ASSERT_MESSAGE(audit, contains(audit, R"("sessions":{"old":null,"new":"ended"})"));
        CPPUNIT_ASSERT_EQUAL(ivan(), lastSessionEndBy(s, _ivan));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), s.count("audit_events WHERE changes LIKE '%pw-ivan%'"));
    }

    void testOwnPasswordChangeRefusesBadInputAndChangesNothing()
    {
        auto& s = *_pServer;
        const std::string a = sessionOf(s, "ivan");
        const std::string hash = storedHash();
        Unchanged unchanged(s, {"users", "api_tokens"}, {ivanPath()});
        expectProblem("no If-Match", 428, as(s, a, "PATCH", API + "/me", changeBody("pw-ivan-changed-01")));
        expectProblem("stale If-Match", 412,
                      as(s, a, "PATCH", API + "/me", changeBody("pw-ivan-changed-01"), ifMatch(7)));
        expectInvalid("wrong current password", "current_password",
                      as(s, a, "PATCH", API + "/me",
                         R"({"current_password": "not-his-password", "password": "pw-ivan-changed-01"})", ifMatch(1)));
        expectInvalid("short new password", "password",
                      as(s, a, "PATCH", API + "/me", changeBody("short"), ifMatch(1)));
        expectInvalid("another field", "display_name",
                      as(s, a, "PATCH", API + "/me",
                         R"({"display_name": "Ivan the Great", "current_password": ")" +
                             HttpTestServer::passwordOf("ivan") + R"(", "password": "pw-ivan-changed-01"})",
                         ifMatch(1)));
        expectInvalid("a role", "role",
                      as(s, a, "PATCH", API + "/me",
                         R"({"role": "admin", "current_password": ")" + HttpTestServer::passwordOf("ivan") +
                             R"(", "password": "pw-ivan-changed-01"})",
                         ifMatch(1)));
        expectInvalid("not strings", "current_password,password",
                      as(s, a, "PATCH", API + "/me", R"({"current_password": 5, "password": true})", ifMatch(1)));
        // If-Match and `version` naming different versions: which one ivan last read is unknown.
        const std::string withVersion = R"({"current_password": ")" + HttpTestServer::passwordOf("ivan") +
                                        R"(", "password": "pw-ivan-changed-01", "version": )";
        expectProblem("If-Match 1, version 2", 400, as(s, a, "PATCH", API + "/me", withVersion + "2}", ifMatch(1)));
        expectProblem("If-Match 1, version \"1\"", 400,
                      as(s, a, "PATCH", API + "/me", withVersion + "\"1\"}", ifMatch(1)));
        expectProblem("version 7 alone", 412, as(s, a, "PATCH", API + "/me", withVersion + "7}"));
        unchanged.check("refused password changes");
        CPPUNIT_ASSERT_EQUAL(hash, storedHash());
        CPPUNIT_ASSERT_EQUAL(200, meWith(s, a));
    }

    void testWrongCurrentPasswordsAreThrottled()
    {
        auto& s = *_pServer;
        const std::string a = sessionOf(s, "ivan");
        const std::string wrong = R"({"current_password": "guess-number-x", "password": "pw-ivan-changed-01"})";
        for (int i = 0; i < 5; ++i)
            CPPUNIT_ASSERT_EQUAL(422, as(s, a, "PATCH", API + "/me", wrong, ifMatch(1)).status);
        const auto locked = as(s, a, "PATCH", API + "/me", changeBody("pw-ivan-changed-01"), ifMatch(1));
        expectProblem("sixth attempt", 429, locked);
        CPPUNIT_ASSERT(std::stoi(locked.header("Retry-After")) > 0);
        // The same count as sign-in: a stolen session cannot guess the password by another door.
        CPPUNIT_ASSERT_EQUAL(
            429, as(s, "", "POST", API + "/auth/login", loginBody("ivan", HttpTestServer::passwordOf("ivan"))).status);
        s.clock().advance(900LL * 1000000);
        expectStatus("after the window", 200,
                     as(s, a, "PATCH", API + "/me", changeBody("pw-ivan-changed-01"), ifMatch(1)));
    }

    void testDisableEndsSessionsAndReEnableRevivesNothing()
    {
        auto& s = *_pServer;
        const std::string a = sessionOf(s, "ivan");
        const std::string token = apiTokenOf(s, a, "nightly");
        expectStatus("disable", 200, s.patch(ivanPath(), R"({"disabled": true})", versionOfIvan()));
        CPPUNIT_ASSERT_EQUAL(401, meWith(s, a));
        CPPUNIT_ASSERT_EQUAL(401, meWith(s, token));
        const std::string audit = lastSessionEnd(s, _ivan);
        CPPUNIT_ASSERT_MESSAGE(audit, contains(audit, R"("sessions":{"old":null,"new":"ended"})"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1),
                             s.count("audit_events WHERE entity = 'user' AND entity_id = " + ivan() +
                                     " AND changes LIKE '%\"disabled\":{\"old\":false,\"new\":true}%'"));
        // Disabling a user disabled already ends its sessions again (README): a re-enable must revive none.
        const std::string tokenVersion = "SELECT token_version FROM users WHERE id = " + ivan();
        const std::string once = s.scalar(tokenVersion);
        expectStatus("disable again", 200, s.patch(ivanPath(), R"({"disabled": true})", versionOfIvan()));
        CPPUNIT_ASSERT_EQUAL(std::to_string(std::stoll(once) + 1), s.scalar(tokenVersion));
        expectStatus("enable", 200, s.patch(ivanPath(), R"({"disabled": false})", versionOfIvan()));
        CPPUNIT_ASSERT_EQUAL(401, meWith(s, a));
        CPPUNIT_ASSERT_EQUAL(401, meWith(s, token));
        CPPUNIT_ASSERT_EQUAL(200, meWith(s, sessionOf(s, "ivan")));
    }

    void testSignOutEverywhere()
    {
        auto& s = *_pServer;
        const std::string a = sessionOf(s, "ivan"), b = sessionOf(s, "ivan");
        const std::string token = apiTokenOf(s, a, "nightly");
        // A request that takes no input refuses input rather than ignore it.
        Poco::Int64 tokenId = 0;
        const std::string spare = apiTokenOf(s, a, "spare", &tokenId);
        Unchanged unchanged(s, {"api_tokens"}, {ivanPath(), ivanPath() + "/tokens"});
        expectInvalid("own sign-out with a field", "keep_this_session",
                      as(s, a, "POST", API + "/me/sign-out", R"({"keep_this_session": true})"));
        expectInvalid("admin signs ivan out with a field", "reason",
                      s.post(ivanPath() + "/sign-out", R"({"reason": "left the project"})"));
        expectInvalid("own revoke with a field", "all",
                      as(s, a, "DELETE", API + "/me/tokens/" + std::to_string(tokenId), R"({"all": true})"));
        expectInvalid("admin revokes with a field", "all",
                      s.request("DELETE", ivanPath() + "/tokens/" + std::to_string(tokenId), R"({"all": true})"));
        unchanged.check("refused sign-outs and revocations");
        for (const auto& alive : {a, b, token, spare})
            CPPUNIT_ASSERT_EQUAL(200, meWith(s, alive));
        expectStatus("own sign-out", 204, as(s, a, "POST", API + "/me/sign-out", "{}"));
        for (const auto& ended : {a, b, token, spare})
            CPPUNIT_ASSERT_EQUAL(401, meWith(s, ended));
        CPPUNIT_ASSERT_EQUAL(ivan(), lastSessionEndBy(s, _ivan));
        const std::string c = sessionOf(s, "ivan");
        CPPUNIT_ASSERT_EQUAL(200, meWith(s, c));
        expectProblem("ivan signs the admin out", 403,
                      as(s, c, "POST", API + "/users/" + std::to_string(_admin) + "/sign-out"));
        expectProblem("ivan through the admin route", 403, as(s, c, "POST", ivanPath() + "/sign-out"));
        expectStatus("admin signs ivan out", 204, s.post(ivanPath() + "/sign-out", ""));
        CPPUNIT_ASSERT_EQUAL(401, meWith(s, c));
        CPPUNIT_ASSERT_EQUAL(std::to_string(_admin), lastSessionEndBy(s, _ivan));
        expectProblem("a missing user", 404, s.post(API + "/users/987654/sign-out", ""));
        CPPUNIT_ASSERT_EQUAL(200, s.get(API + "/me").status);
        CPPUNIT_ASSERT_EQUAL(200, meWith(s, sessionOf(s, "ivan")));
    }

    void testAdminListsAndRevokesAUsersTokens()
    {
        auto& s = *_pServer;
        const std::string a = sessionOf(s, "ivan");
        Poco::Int64 first = 0, second = 0;
        const std::string one = apiTokenOf(s, a, "one", &first), two = apiTokenOf(s, a, "two", &second);
        const auto listed = s.get(ivanPath() + "/tokens");
        expectStatus("admin lists ivan's tokens", 200, listed);
        CPPUNIT_ASSERT_EQUAL(std::string("one,two"), column(listed, "name"));
        CPPUNIT_ASSERT(!contains(listed.body, one) && !contains(listed.body, two));
        expectStatus("admin revokes one", 204, s.request("DELETE", ivanPath() + "/tokens/" + std::to_string(first)));
        CPPUNIT_ASSERT_EQUAL(401, meWith(s, one));
        CPPUNIT_ASSERT_EQUAL(200, meWith(s, two));
        CPPUNIT_ASSERT_EQUAL(std::to_string(_admin),
                             s.scalar("SELECT user_id FROM audit_events WHERE entity = 'api_token' AND entity_id = " +
                                      std::to_string(first) + " AND action = 'update'"));
        expectProblem("revoked already", 404, s.request("DELETE", ivanPath() + "/tokens/" + std::to_string(first)));
        expectProblem(
            "named under another user", 404,
            s.request("DELETE", API + "/users/" + std::to_string(_admin) + "/tokens/" + std::to_string(second)));
        CPPUNIT_ASSERT_EQUAL(200, meWith(s, two));
        expectProblem("ivan reads the admin's tokens", 403,
                      as(s, a, "GET", API + "/users/" + std::to_string(_admin) + "/tokens"));
        expectProblem("ivan uses the admin route", 403,
                      as(s, a, "DELETE", ivanPath() + "/tokens/" + std::to_string(second)));
        CPPUNIT_ASSERT_EQUAL(200, meWith(s, two));
    }

    void testApiTokenCannotManageCredentials()
    {
        auto& s = *_pServer;
        const std::string a = sessionOf(s, "ivan");
        Poco::Int64 tokenId = 0;
        const std::string token = apiTokenOf(s, a, "script", &tokenId);
        const auto minted = as(s, token, "POST", API + "/me/tokens", R"({"name": "child"})");
        expectProblem("an API token mints a token", 403, minted);
        CPPUNIT_ASSERT_MESSAGE(minted.body, contains(text(minted, "detail"), "API token"));
        expectProblem("an API token revokes", 403,
                      as(s, token, "DELETE", API + "/me/tokens/" + std::to_string(tokenId)));
        expectProblem("an API token changes the password", 403,
                      as(s, token, "PATCH", API + "/me", changeBody("pw-ivan-changed-01"), ifMatch(1)));
        expectProblem("an API token signs out", 403, as(s, token, "POST", API + "/me/sign-out"));
        expectStatus("an API token lists tokens", 200, as(s, token, "GET", API + "/me/tokens"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), s.count("api_tokens WHERE user_id = " + ivan()));

        const std::string adminToken = apiTokenOf(s, s.token(), "admin script");
        expectProblem("an admin's API token resets a password", 403,
                      as(s, adminToken, "PATCH", ivanPath(), R"({"password": "pw-reset-by-script-1"})",
                         ifMatch(versionOfIvan())));
        expectProblem("an admin's API token signs ivan out", 403, as(s, adminToken, "POST", ivanPath() + "/sign-out"));
        expectProblem("an admin's API token revokes ivan's", 403,
                      as(s, adminToken, "DELETE", ivanPath() + "/tokens/" + std::to_string(tokenId)));
        CPPUNIT_ASSERT_EQUAL(200, meWith(s, token));
        // Revoking the token ends everything it could reach: it made nothing that outlives it.
        expectStatus("ivan revokes it", 204, as(s, a, "DELETE", API + "/me/tokens/" + std::to_string(tokenId)));
        CPPUNIT_ASSERT_EQUAL(401, meWith(s, token));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), s.count("api_tokens WHERE revoked_at IS NULL AND user_id = " + ivan()));
        // Disabling a user is not managing credentials: an admin's script may.
        expectStatus("an admin's API token disables ivan", 200,
                     as(s, adminToken, "PATCH", ivanPath(), R"({"disabled": true})", ifMatch(versionOfIvan())));
        CPPUNIT_ASSERT_EQUAL(401, meWith(s, a));
    }

    void testCommandLineEndsSessions()
    {
        auto& s = *_pServer;
        captrack::service::ResourceService resources(s.db().database(), s.clock());
        const captrack::app::UserCommands commands(resources, s.server().auth().users(), s.server().auth().signOut());
        const std::string a = sessionOf(s, "ivan");
        const std::string token = apiTokenOf(s, a, "nightly");
        run(commands, "passwd", "pw-from-the-shell-01\n");
        CPPUNIT_ASSERT_EQUAL(401, meWith(s, a));
        CPPUNIT_ASSERT_EQUAL(401, meWith(s, token));
        CPPUNIT_ASSERT_EQUAL(std::string("NULL"), lastSessionEndBy(s, _ivan)); // the system
        CPPUNIT_ASSERT(contains(lastSessionEnd(s, _ivan), R"("new":"reset")"));
        const std::string b = sessionOf(s, "ivan", "pw-from-the-shell-01");
        run(commands, "disable");
        CPPUNIT_ASSERT_EQUAL(401, meWith(s, b));
        run(commands, "enable");
        CPPUNIT_ASSERT_EQUAL(401, meWith(s, b));
        const std::string c = sessionOf(s, "ivan", "pw-from-the-shell-01");
        run(commands, "sign-out");
        CPPUNIT_ASSERT_EQUAL(401, meWith(s, c));
        CPPUNIT_ASSERT_EQUAL(200, meWith(s, sessionOf(s, "ivan", "pw-from-the-shell-01")));
    }

private:
    [[nodiscard]] std::string ivan() const { return std::to_string(_ivan); }
    [[nodiscard]] std::string ivanPath() const { return API + "/users/" + ivan(); }
    Poco::Int64 versionOfIvan() { return number(_pServer->get(ivanPath()), "version"); }
    std::string storedHash() { return _pServer->scalar("SELECT password_hash FROM users WHERE id = " + ivan()); }

    /// A password change from ivan's first password to `password`.
    static std::string changeBody(const std::string& password)
    {
        return R"({"current_password": ")" + HttpTestServer::passwordOf("ivan") + R"(", "password": ")" + password +
               R"("})";
    }

    static void run(const captrack::app::UserCommands& commands, const std::string& action,
                    const std::string& stdinText = "")
    {
        captrack::app::UserCommandInput input;
        input.action = action;
        input.username = "ivan";
        input.passwordFromStdin = !stdinText.empty();
        std::istringstream in(stdinText);
        std::ostringstream out;
        commands.run(input, in, out);
    }

    std::unique_ptr<HttpTestServer> _pServer;
    Poco::Int64 _ivan = 0;
    Poco::Int64 _admin = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(SessionLifecycleTest);
