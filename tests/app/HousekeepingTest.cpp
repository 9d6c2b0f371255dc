#include "captrack/app/Housekeeping.h"
#include "TestDatabase.h"
#include "captrack/domain/Clock.h"
#include "captrack/storage/JobLease.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

using namespace captrack;

/// A scheduled job runs once per period across every server on the database (a row of job_leases).
class HousekeepingTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(HousekeepingTest);
    CPPUNIT_TEST(testOneServerPerPeriodRunsTheJob);
    CPPUNIT_TEST(testSimultaneousClaimsOnTwoPoolsGiveOneWinner);
    CPPUNIT_TEST_SUITE_END();

public:
    void testOneServerPerPeriodRunsTheJob()
    {
        test::TestDatabase db(true);
        storage::Database otherPool(storage::DatabaseUrl::parse(db.url()), 2);
        domain::FixedClock clock(Poco::Timestamp(1800000000LL * Poco::Timestamp::resolution()));
        int runs = 0;
        app::Housekeeping one(db.database(), clock), two(otherPool, clock);
        for (auto* server : {&one, &two})
            server->add("count", [&] { return static_cast<std::size_t>(++runs); });
        CPPUNIT_ASSERT(one.runIfDue());
        CPPUNIT_ASSERT(!two.runIfDue());
        CPPUNIT_ASSERT(!one.runIfDue());
        CPPUNIT_ASSERT_EQUAL(1, runs);
        clock.advance(static_cast<Poco::Int64>(app::Housekeeping::PERIOD_SECONDS) * Poco::Timestamp::resolution());
        CPPUNIT_ASSERT(two.runIfDue());
        CPPUNIT_ASSERT(!one.runIfDue());
        CPPUNIT_ASSERT_EQUAL(2, runs);
    }

    void testSimultaneousClaimsOnTwoPoolsGiveOneWinner()
    {
        test::TestDatabase db(true);
        storage::Database otherPool(storage::DatabaseUrl::parse(db.url()), 4);
        for (Poco::Int64 period = 1; period <= 5; ++period)
        {
            std::atomic<int> winners{0};
            std::vector<std::thread> servers;
            for (int i = 0; i < 8; ++i)
                servers.emplace_back([&, i] {
                    if (storage::claimJobPeriod(i % 2 ? db.database() : otherPool, "probe", period))
                        ++winners;
                });
            for (auto& server : servers)
                server.join();
            CPPUNIT_ASSERT_EQUAL(1, winners.load());
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HousekeepingTest);
