#include "TestDatabase.h"
#include "captrack/storage/ApiTokenStore.h"
#include "captrack/storage/CalendarFeedStore.h"
#include "captrack/storage/LoginFailureStore.h"
#include "captrack/storage/Transaction.h"
#include "captrack/storage/UserStore.h"

#include <cppunit/extensions/HelperMacros.h>

#include <memory>
#include <string>

using namespace captrack;
using storage::ApiTokenStore;
using storage::FailureWindow;
using storage::LoginFailureStore;
using storage::ThrottleScope;
using storage::UserStore;
using namespace Poco::Data::Keywords;

/// The stores of sign-in on the real database: what each reads is what was written, and each writes
/// only what it says.
class AuthStoresTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(AuthStoresTest);
    CPPUNIT_TEST(testUserCredentials);
    CPPUNIT_TEST(testApiTokens);
    CPPUNIT_TEST(testCalendarFeeds);
    CPPUNIT_TEST(testLoginFailures);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { _pDb = std::make_unique<test::TestDatabase>(); }
    void tearDown() override { _pDb.reset(); }

    void testUserCredentials()
    {
        const UserStore users(_pDb->database());
        auto pLease = _pDb->database().lease();
        auto& session = pLease->session();
        CPPUNIT_ASSERT(!users.hasAny(session));
        const Poco::Int64 id = addUser(session, "alice");
        CPPUNIT_ASSERT(users.hasAny(session));
        CPPUNIT_ASSERT(!users.findByUsername(session, "Alice")); // exact, as stored
        auto signIn = users.findByUsername(session, "alice");
        CPPUNIT_ASSERT(signIn && signIn->id == id && !signIn->passwordHash && !signIn->disabled);
        users.setPasswordHash(session, id, "h1");
        users.replacePasswordHash(session, id, "not-h1", "h2"); // not over another hash
        CPPUNIT_ASSERT_EQUAL(std::string("h1"), users.passwordHash(session, id).value());
        users.replacePasswordHash(session, id, "h1", "h2");
        CPPUNIT_ASSERT_EQUAL(std::string("h2"), users.passwordHash(session, id).value());
        users.raiseTokenVersion(session, id);
        users.changePassword(session, id, "h3", "2027-03-01T10:00:00Z");
        const auto versions = users.lockVersions(session, id);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), versions.version);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), versions.tokenVersion);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), users.lockTokenVersion(session, id));
        const auto identity = users.findById(session, id);
        CPPUNIT_ASSERT(identity && identity->username == "alice" && identity->role == "reviewer");
        CPPUNIT_ASSERT(!identity->partnerId && identity->tokenVersion == 1);
        CPPUNIT_ASSERT(!users.findById(session, id + 1));
        CPPUNIT_ASSERT(!users.passwordHash(session, id + 1));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), users.lockVersions(session, id + 1).version);
    }

    void testApiTokens()
    {
        const ApiTokenStore tokens(_pDb->database());
        auto pLease = _pDb->database().lease();
        auto& session = pLease->session();
        const Poco::Int64 alice = addUser(session, "alice"), bob = addUser(session, "bob");
        const Poco::Int64 first = tokens.insert(session, {alice, "nightly", "d1", "2027-03-01T10:00:00Z", {}, 3});
        const Poco::Int64 second =
            tokens.insert(session, {alice, "weekly", "d2", "2027-03-01T10:00:01Z", "2027-04-01T10:00:00Z", 3});
        tokens.insert(session, {bob, "bob's", "d3", "2027-03-01T10:00:02Z", {}, 0});
        CPPUNIT_ASSERT(second > first);
        const auto grant = tokens.findByDigest(session, "d2");
        CPPUNIT_ASSERT(grant && grant->userId == alice && grant->tokenVersion == 3 && !grant->revokedAt);
        CPPUNIT_ASSERT_EQUAL(std::string("2027-04-01T10:00:00Z"), grant->expiresAt.value());
        CPPUNIT_ASSERT(!tokens.findByDigest(session, "d4"));
        CPPUNIT_ASSERT(tokens.isLive(session, first, alice));
        CPPUNIT_ASSERT(!tokens.isLive(session, first, bob));
        tokens.revoke(session, first, "2027-03-02T10:00:00Z");
        CPPUNIT_ASSERT(!tokens.isLive(session, first, alice));
        tokens.revokeAllOfUser(session, alice, "2027-03-03T10:00:00Z");
        const auto list = tokens.listOfUser(session, alice);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), list.size());
        CPPUNIT_ASSERT_EQUAL(std::string("nightly"), list[0].name);
        CPPUNIT_ASSERT_EQUAL(std::string("2027-03-02T10:00:00Z"), list[0].revokedAt.value()); // kept
        CPPUNIT_ASSERT_EQUAL(std::string("2027-03-03T10:00:00Z"), list[1].revokedAt.value());
        CPPUNIT_ASSERT(!tokens.findByDigest(session, "d3")->revokedAt); // bob's untouched
    }

    void testCalendarFeeds()
    {
        const storage::CalendarFeedStore feeds(_pDb->database());
        auto pLease = _pDb->database().lease();
        auto& session = pLease->session();
        const Poco::Int64 alice = addUser(session, "alice"), bob = addUser(session, "bob");
        CPPUNIT_ASSERT(!feeds.newestUnrevoked(session, alice));
        const Poco::Int64 first = feeds.insert(session, {alice, "h1", "2027-03-01T10:00:00Z", 2});
        const Poco::Int64 second = feeds.insert(session, {alice, "h2", "2027-03-01T10:00:01Z", 3});
        const Poco::Int64 bobs = feeds.insert(session, {bob, "h3", "2027-03-01T10:00:02Z", 0});
        const auto found = feeds.findByDigest(session, "h1");
        CPPUNIT_ASSERT(found && found->id == first && found->userId == alice && found->tokenVersion == 2);
        CPPUNIT_ASSERT_EQUAL(std::string("2027-03-01T10:00:00Z"), found->createdAt);
        CPPUNIT_ASSERT(!found->revokedAt);
        CPPUNIT_ASSERT(!feeds.findByDigest(session, "h4"));
        CPPUNIT_ASSERT_EQUAL(second, feeds.newestUnrevoked(session, alice)->id);
        feeds.revokeAllOfUser(session, alice, "2027-03-02T10:00:00Z");
        CPPUNIT_ASSERT(!feeds.newestUnrevoked(session, alice));
        CPPUNIT_ASSERT_EQUAL(std::string("2027-03-02T10:00:00Z"), feeds.findByDigest(session, "h2")->revokedAt.value());
        CPPUNIT_ASSERT_EQUAL(bobs, feeds.newestUnrevoked(session, bob)->id); // bob's untouched
    }

    void testLoginFailures()
    {
        const LoginFailureStore failures(_pDb->database());
        storage::Transaction txn(_pDb->database());
        auto& session = txn.session();
        CPPUNIT_ASSERT(!failures.find(session, ThrottleScope::Username, "carol"));
        failures.ensure(session, ThrottleScope::Username, "carol", 100);
        failures.ensure(session, ThrottleScope::Address, "carol", 200); // another scope, another key
        failures.set(session, ThrottleScope::Username, "carol", FailureWindow{150, 2});
        failures.ensure(session, ThrottleScope::Username, "carol", 300); // an existing row stays as it is
        const auto window = failures.find(session, ThrottleScope::Username, "carol", true);
        CPPUNIT_ASSERT(window && window->windowStart == 150 && window->failures == 2);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), failures.countTracked(session, ThrottleScope::Username));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), failures.countTracked(session, ThrottleScope::Address));
        for (int i = 0; i < 3; ++i)
            failures.uncount(session, ThrottleScope::Username, "carol");
        CPPUNIT_ASSERT_EQUAL(0, failures.find(session, ThrottleScope::Username, "carol")->failures); // never below
        failures.remove(session, ThrottleScope::Username, "carol");
        CPPUNIT_ASSERT(!failures.find(session, ThrottleScope::Username, "carol"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), failures.purgeBefore(session, 201));
        CPPUNIT_ASSERT(!failures.find(session, ThrottleScope::Address, "carol"));
        txn.commit();
    }

private:
    static Poco::Int64 addUser(Poco::Data::Session& session, const std::string& username)
    {
        session << "INSERT INTO users (username, display_name, role, disabled, version, created_at, updated_at) "
                   "VALUES (?, ?, 'reviewer', 0, 1, '2027-03-01T10:00:00Z', '2027-03-01T10:00:00Z')",
            bind(username), bind(username), now;
        Poco::Int64 id = 0;
        session << "SELECT id FROM users WHERE username = ?", bind(username), into(id), now;
        return id;
    }

    std::unique_ptr<test::TestDatabase> _pDb;
};

CPPUNIT_TEST_SUITE_REGISTRATION(AuthStoresTest);
