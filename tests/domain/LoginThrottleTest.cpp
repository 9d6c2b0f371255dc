#include "captrack/service/LoginThrottle.h"
#include "captrack/Errors.h"
#include "captrack/domain/Clock.h"

#include <cppunit/extensions/HelperMacros.h>

#include <string>

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

/// The sign-in throttle without the server: reservations, normalised keys are the caller's, and the
/// bound that never forgets a locked key.
class LoginThrottleTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(LoginThrottleTest);
    CPPUNIT_TEST(testReservationsCountBeforeTheOutcome);
    CPPUNIT_TEST(testSuccessClearsTheUserAndReturnsTheAddressAttempt);
    CPPUNIT_TEST(testCancelledAttemptsCountNothing);
    CPPUNIT_TEST(testAddressLimitAndWindow);
    CPPUNIT_TEST(testBoundForgetsQuietKeysButNeverLockedOnes);
    CPPUNIT_TEST(testTableFullOfLockedKeysRefusesNewcomers);
    CPPUNIT_TEST(testEmptyUsernameCountsOnlyTheAddress);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { _pClock = std::make_unique<FixedClock>(Poco::Timestamp(1800000000LL * SECOND)); }

    void testReservationsCountBeforeTheOutcome()
    {
        LoginThrottle throttle(*_pClock, ThrottleLimits{5, 100, 900, 100});
        for (int i = 0; i < 5; ++i)
            CPPUNIT_ASSERT(tryReserve(throttle, "carol", "10.0.0.1"));
        // Five attempts in flight, none finished: the sixth is refused, from any address.
        CPPUNIT_ASSERT(!tryReserve(throttle, "carol", "10.0.0.2"));
        CPPUNIT_ASSERT(tryReserve(throttle, "dave", "10.0.0.1"));
    }

    void testSuccessClearsTheUserAndReturnsTheAddressAttempt()
    {
        LoginThrottle throttle(*_pClock, ThrottleLimits{5, 3, 900, 100});
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
        LoginThrottle throttle(*_pClock, ThrottleLimits{2, 2, 900, 100});
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
        LoginThrottle throttle(*_pClock, ThrottleLimits{5, 3, 900, 100});
        for (int i = 0; i < 3; ++i)
            CPPUNIT_ASSERT(tryReserve(throttle, "user" + std::to_string(i), "10.0.0.1"));
        CPPUNIT_ASSERT_THROW(throttle.checkAddress("10.0.0.1"), TooManyRequestsError);
        throttle.checkAddress("10.0.0.2");
        CPPUNIT_ASSERT(!tryReserve(throttle, "someone-else", "10.0.0.1"));
        _pClock->advance(899 * SECOND);
        CPPUNIT_ASSERT_THROW(throttle.checkAddress("10.0.0.1"), TooManyRequestsError);
        _pClock->advance(1 * SECOND);
        throttle.checkAddress("10.0.0.1");
        CPPUNIT_ASSERT(tryReserve(throttle, "someone-else", "10.0.0.1"));
    }

    void testBoundForgetsQuietKeysButNeverLockedOnes()
    {
        LoginThrottle throttle(*_pClock, ThrottleLimits{5, 1000, 900, 4});
        for (int i = 0; i < 5; ++i)
            CPPUNIT_ASSERT(tryReserve(throttle, "victim", "10.0.0." + std::to_string(i)));
        // A flood of made-up names, one guess each: the table stays at its bound, the victim stays locked.
        for (int i = 0; i < 500; ++i)
        {
            _pClock->advance(SECOND / 10);
            CPPUNIT_ASSERT(tryReserve(throttle, "made-up-" + std::to_string(i), "10.0.1." + std::to_string(i % 200)));
            CPPUNIT_ASSERT(throttle.trackedUsernames() <= 4);
            CPPUNIT_ASSERT(throttle.trackedAddresses() <= 4);
        }
        CPPUNIT_ASSERT(!tryReserve(throttle, "victim", "10.0.2.1"));
        // A quiet key was forgotten: the least recently active one goes first.
        CPPUNIT_ASSERT(tryReserve(throttle, "made-up-0", "10.0.2.2"));
    }

    void testTableFullOfLockedKeysRefusesNewcomers()
    {
        LoginThrottle throttle(*_pClock, ThrottleLimits{2, 1000, 900, 2});
        for (const char* user : {"alice", "bob"})
            for (int i = 0; i < 2; ++i)
                CPPUNIT_ASSERT(tryReserve(throttle, user, "10.0.0.1"));
        // Forgetting alice or bob would give their attackers new guesses: the newcomer waits instead.
        CPPUNIT_ASSERT(!tryReserve(throttle, "carol", "10.0.0.2"));
        CPPUNIT_ASSERT(!tryReserve(throttle, "alice", "10.0.0.2"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), throttle.trackedUsernames());
        _pClock->advance(900 * SECOND);
        CPPUNIT_ASSERT(tryReserve(throttle, "carol", "10.0.0.2"));
    }

    void testEmptyUsernameCountsOnlyTheAddress()
    {
        LoginThrottle throttle(*_pClock, ThrottleLimits{5, 2, 900, 100});
        CPPUNIT_ASSERT(tryReserve(throttle, "", "10.0.0.1"));
        CPPUNIT_ASSERT(tryReserve(throttle, "", "10.0.0.1"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), throttle.trackedUsernames());
        CPPUNIT_ASSERT(!tryReserve(throttle, "", "10.0.0.1"));
    }

private:
    std::unique_ptr<FixedClock> _pClock;
};

CPPUNIT_TEST_SUITE_REGISTRATION(LoginThrottleTest);
