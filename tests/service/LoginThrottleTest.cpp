#include "captrack/service/LoginThrottle.h"
#include "TestDatabase.h"
#include "captrack/Errors.h"
#include "captrack/domain/Clock.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using namespace captrack;
using captrack::TooManyRequestsError;
using captrack::domain::FixedClock;
using captrack::service::LoginThrottle;
using captrack::service::ThrottleLimits;

namespace
{
constexpr Poco::Timestamp::TimeDiff SECOND = 1000000;

/// True when the attempt was reserved, false when it was refused with 429.
bool tryReserve(LoginThrottle& throttle, const std::string& user, const std::string& address)
{
    try
    {
        throttle.reserve(user, address);
        return true;
    }
    catch (const TooManyRequestsError& e)
    {
        CPPUNIT_ASSERT(e.retryAfterSeconds() > 0);
        return false;
    }
}
} // namespace

/// The sign-in throttle without the HTTP layer, on the real database: reservations, the window, and one
/// count shared by every server on the database.
class LoginThrottleTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(LoginThrottleTest);
    CPPUNIT_TEST(testReservationsCountBeforeTheOutcome);
    CPPUNIT_TEST(testSuccessClearsTheUserAndReturnsTheAddressAttempt);
    CPPUNIT_TEST(testCancelledAttemptsCountNothing);
    CPPUNIT_TEST(testAddressLimitAndWindow);
    CPPUNIT_TEST(testAUsernameLocksAgainInItsNextWindow);
    CPPUNIT_TEST(testServersShareOneCount);
    CPPUNIT_TEST(testParallelGuessesOnTwoServersNeverPassTheLimit);
    CPPUNIT_TEST(testExpiredKeysArePurged);
    CPPUNIT_TEST(testEmptyUsernameCountsOnlyTheAddress);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _pClock = std::make_unique<FixedClock>(Poco::Timestamp(1800000000LL * SECOND));
        _pDb = std::make_unique<captrack::test::TestDatabase>(true);
    }
    void tearDown() override { _pDb.reset(); }

    void testReservationsCountBeforeTheOutcome()
    {
        LoginThrottle throttle(_pDb->database(), *_pClock, ThrottleLimits{5, 100, 900});
        for (int i = 0; i < 5; ++i)
            CPPUNIT_ASSERT(tryReserve(throttle, "carol", "10.0.0.1"));
        // Five attempts in flight, none finished: the sixth is refused, from any address.
        CPPUNIT_ASSERT(!tryReserve(throttle, "carol", "10.0.0.2"));
        CPPUNIT_ASSERT(tryReserve(throttle, "dave", "10.0.0.1"));
    }

    void testSuccessClearsTheUserAndReturnsTheAddressAttempt()
    {
        LoginThrottle throttle(_pDb->database(), *_pClock, ThrottleLimits{5, 3, 900});
        // Thirty good sign-ins from one address (an office behind NAT) never lock it.
        for (int i = 0; i < 30; ++i)
        {
            CPPUNIT_ASSERT(tryReserve(throttle, "user" + std::to_string(i % 4), "10.0.0.1"));
            throttle.succeeded("user" + std::to_string(i % 4), "10.0.0.1");
        }
        // Four failures, then a success: erin starts again from zero.
        for (int i = 0; i < 4; ++i)
            CPPUNIT_ASSERT(tryReserve(throttle, "erin", "10.0.1." + std::to_string(i)));
        throttle.succeeded("erin", "10.0.1.3");
        for (int i = 0; i < 5; ++i)
            CPPUNIT_ASSERT(tryReserve(throttle, "erin", "10.0.0.10" + std::to_string(i)));
        CPPUNIT_ASSERT(!tryReserve(throttle, "erin", "10.0.0.200"));
    }

    void testCancelledAttemptsCountNothing()
    {
        LoginThrottle throttle(_pDb->database(), *_pClock, ThrottleLimits{2, 2, 900});
        for (int i = 0; i < 10; ++i)
        {
            CPPUNIT_ASSERT(tryReserve(throttle, "frank", "10.0.0.1"));
            throttle.cancel("frank", "10.0.0.1");
        }
        CPPUNIT_ASSERT(tryReserve(throttle, "frank", "10.0.0.1"));
        CPPUNIT_ASSERT(tryReserve(throttle, "frank", "10.0.0.1"));
        CPPUNIT_ASSERT(!tryReserve(throttle, "frank", "10.0.0.1"));
    }

    void testAddressLimitAndWindow()
    {
        LoginThrottle throttle(_pDb->database(), *_pClock, ThrottleLimits{5, 3, 900});
        for (int i = 0; i < 3; ++i)
            CPPUNIT_ASSERT(tryReserve(throttle, "user" + std::to_string(i), "10.0.0.1"));
        CPPUNIT_ASSERT_THROW(throttle.checkAddress("10.0.0.1"), TooManyRequestsError);
        throttle.checkAddress("10.0.0.2");
        CPPUNIT_ASSERT(!tryReserve(throttle, "someone-else", "10.0.0.1"));
        _pClock->advance(899 * SECOND);
        CPPUNIT_ASSERT_THROW(throttle.checkAddress("10.0.0.1"), TooManyRequestsError);
        _pClock->advance(1 * SECOND);
        throttle.checkAddress("10.0.0.1");
        // A new window, counted from one: the limit holds again, it is not lifted for good.
        for (int i = 0; i < 3; ++i)
            CPPUNIT_ASSERT(tryReserve(throttle, "someone-else-" + std::to_string(i), "10.0.0.1"));
        CPPUNIT_ASSERT(!tryReserve(throttle, "someone-else-3", "10.0.0.1"));
        CPPUNIT_ASSERT_THROW(throttle.checkAddress("10.0.0.1"), TooManyRequestsError);
    }

    void testAUsernameLocksAgainInItsNextWindow()
    {
        LoginThrottle throttle(_pDb->database(), *_pClock, ThrottleLimits{2, 1000, 900});
        for (int window = 0; window < 3; ++window)
        {
            CPPUNIT_ASSERT(tryReserve(throttle, "grace", "10.0.4." + std::to_string(window)));
            _pClock->advance(600 * SECOND); // the window runs from the first failure, not the last
            CPPUNIT_ASSERT(tryReserve(throttle, "grace", "10.0.5." + std::to_string(window)));
            CPPUNIT_ASSERT(!tryReserve(throttle, "grace", "10.0.6." + std::to_string(window)));
            _pClock->advance(300 * SECOND);
        }
    }

    void testServersShareOneCount()
    {
        // Two servers on one database (two pools): failures counted by one lock the key on the other.
        storage::Database otherPool(storage::DatabaseUrl::parse(_pDb->url()), 2);
        LoginThrottle one(_pDb->database(), *_pClock, ThrottleLimits{5, 100, 900});
        LoginThrottle two(otherPool, *_pClock, ThrottleLimits{5, 100, 900});
        for (int i = 0; i < 5; ++i)
            CPPUNIT_ASSERT(tryReserve(i % 2 ? one : two, "carol", "10.0.0." + std::to_string(i)));
        CPPUNIT_ASSERT(!tryReserve(one, "carol", "10.0.1.1"));
        CPPUNIT_ASSERT(!tryReserve(two, "carol", "10.0.1.2"));
        two.succeeded("dave", "10.0.0.9"); // nothing to clear: harmless
        CPPUNIT_ASSERT(tryReserve(two, "dave", "10.0.0.9"));
    }

    void testParallelGuessesOnTwoServersNeverPassTheLimit()
    {
        storage::Database otherPool(storage::DatabaseUrl::parse(_pDb->url()), 4);
        LoginThrottle one(_pDb->database(), *_pClock, ThrottleLimits{5, 1000, 900});
        LoginThrottle two(otherPool, *_pClock, ThrottleLimits{5, 1000, 900});
        std::atomic<int> reserved{0}, refused{0};
        std::vector<std::thread> guessers;
        for (int i = 0; i < 16; ++i)
            guessers.emplace_back([&, i] {
                if (tryReserve(i % 2 ? one : two, "victim", "10.0.3." + std::to_string(i)))
                    ++reserved;
                else
                    ++refused;
            });
        for (auto& guesser : guessers)
            guesser.join();
        CPPUNIT_ASSERT_EQUAL(5, reserved.load());
        CPPUNIT_ASSERT_EQUAL(11, refused.load());
    }

    void testExpiredKeysArePurged()
    {
        LoginThrottle throttle(_pDb->database(), *_pClock, ThrottleLimits{2, 1000, 900});
        for (int i = 0; i < 2; ++i)
            CPPUNIT_ASSERT(tryReserve(throttle, "alice", "10.0.0.1"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), throttle.purgeExpired());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), throttle.trackedUsernames());
        _pClock->advance(901 * SECOND);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), throttle.purgeExpired()); // alice and the address
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), throttle.trackedUsernames());
        CPPUNIT_ASSERT(tryReserve(throttle, "alice", "10.0.0.1"));
    }

    void testEmptyUsernameCountsOnlyTheAddress()
    {
        LoginThrottle throttle(_pDb->database(), *_pClock, ThrottleLimits{5, 2, 900});
        CPPUNIT_ASSERT(tryReserve(throttle, "", "10.0.0.1"));
        CPPUNIT_ASSERT(tryReserve(throttle, "", "10.0.0.1"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), throttle.trackedUsernames());
        CPPUNIT_ASSERT(!tryReserve(throttle, "", "10.0.0.1"));
    }

private:
    std::unique_ptr<FixedClock> _pClock;
    std::unique_ptr<captrack::test::TestDatabase> _pDb;
};

CPPUNIT_TEST_SUITE_REGISTRATION(LoginThrottleTest);
