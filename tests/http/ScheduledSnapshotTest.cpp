#include "ApiAssertions.h"

#include "captrack/report/SnapshotSchedule.h"

#include <Poco/JSON/Array.h>

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <thread>
#include <vector>

using namespace captrack::test::api;
using captrack::report::SnapshotSchedule;
using captrack::report::SnapshotScheduleOptions;
using captrack::test::HttpTestServer;

namespace
{
const std::string SNAPSHOTS = API + "/reports/snapshots";

SnapshotScheduleOptions monthlyOnTheFirst()
{
    SnapshotScheduleOptions options;
    options.every = SnapshotScheduleOptions::Every::Monthly;
    options.day = 1;
    options.hourUtc = 6;
    options.groupBy = captrack::report::Grouping::Framework;
    return options;
}

Poco::Timestamp::TimeDiff days(int n)
{
    return Poco::Timespan(n, 0, 0, 0, 0).totalMicroseconds();
}
} // namespace

/// Scheduled report snapshots (issue 14, item 3) through the real server and database with the test
/// clock: the server's own schedule (snapshots.schedule), published once per period whatever the number
/// of servers (here: schedules over the same database) and restarts.
class ScheduledSnapshotTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ScheduledSnapshotTest);
    CPPUNIT_TEST(testOncePerPeriodAsOfItsDayByTheServer);
    CPPUNIT_TEST(testServersRacingForAPeriodPublishItOnce);
    CPPUNIT_TEST(testTheHousekeepingPublishesAndAUsersNameDoesNotBlockThePeriod);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        // 2027-03-01T10:00:00Z: the March period began at 06:00.
        _pServer = std::make_unique<HttpTestServer>(
            [](captrack::app::ServerOptions& options) { options.snapshotSchedule = monthlyOnTheFirst(); });
        _pServer->seedReference();
        _pServer->create(API + "/projects", R"({"code": "P-1", "title": "One", "kind": "capability"})");
    }
    void tearDown() override { _pServer.reset(); }

    void testOncePerPeriodAsOfItsDayByTheServer()
    {
        auto& s = *_pServer;
        const auto& schedule = s.server().snapshotSchedule();
        CPPUNIT_ASSERT(schedule.publishIfDue());
        CPPUNIT_ASSERT(!schedule.publishIfDue());
        // A restarted server (a new schedule over the same database) finds the period published.
        const SnapshotSchedule restarted(s.server().snapshots(), s.clock(), monthlyOnTheFirst());
        CPPUNIT_ASSERT(!restarted.publishIfDue());
        s.clock().advance(days(20));
        CPPUNIT_ASSERT(!restarted.publishIfDue()); // still March
        s.signIn("admin");                         // the session of 20 days ago has expired
        const auto list = s.get(SNAPSHOTS);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), number(list, "total"));
        const auto march = list.json()->getArray("items")->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::string("Scheduled 2027-03-01"), march->getValue<std::string>("name"));
        CPPUNIT_ASSERT_EQUAL(std::string("monthly:2027-03-01"), march->getValue<std::string>("schedule_period"));
        CPPUNIT_ASSERT_EQUAL(std::string("2027-03-01"), march->getValue<std::string>("as_of"));
        CPPUNIT_ASSERT_EQUAL(std::string("framework"), march->getValue<std::string>("group_by"));
        CPPUNIT_ASSERT(march->get("published_by").isEmpty());
        // April's period begins on the first at 06:00.
        s.clock().advance(days(11) - Poco::Timespan(0, 4, 0, 1, 0).totalMicroseconds()); // 2027-04-01T05:59:59
        CPPUNIT_ASSERT(!restarted.publishIfDue());
        s.clock().advance(Poco::Timespan(0, 0, 0, 1, 0).totalMicroseconds());
        CPPUNIT_ASSERT(restarted.publishIfDue());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), s.count("report_snapshots"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), s.count("audit_events WHERE entity = 'report_snapshot'"));
        // An admin deletes April's: the period stays published (its run is kept), nothing comes back.
        s.signIn("admin");
        expectStatus("deleted", 204, s.request("DELETE", SNAPSHOTS + "/Scheduled%202027-04-01"));
        CPPUNIT_ASSERT(!restarted.publishIfDue());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), s.count("report_snapshots"));
    }

    void testServersRacingForAPeriodPublishItOnce()
    {

        auto& s = *_pServer;
        std::vector<std::unique_ptr<SnapshotSchedule>> servers;
        for (int i = 0; i < 4; ++i)
            servers.push_back(
                std::make_unique<SnapshotSchedule>(s.server().snapshots(), s.clock(), monthlyOnTheFirst()));
        std::atomic<int> published{0}, failed{0};
        std::vector<std::thread> threads;
        for (auto& server : servers)
            threads.emplace_back([&server, &published, &failed] {
                try
                {
                    published += server->publishIfDue() ? 1 : 0;
                }
                catch (const Poco::Exception&)
                {
                    ++failed; // a report permit was taken by the others: the next check tries again
                }
            });
        for (auto& thread : threads)
            thread.join();
        // Whoever lost the race or met a busy permit publishes nothing now, and nothing later either.
        for (auto& server : servers)
            CPPUNIT_ASSERT(!server->publishIfDue());
        CPPUNIT_ASSERT_EQUAL(1, published.load());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), s.count("report_snapshots"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), s.count("snapshot_projects"));
        // The database decides: a second publication of a period under another name is refused.
        captrack::report::PortfolioRequest request;
        const auto& snapshots = _pServer->server().snapshots();
        const auto system = captrack::domain::Principal::system();
        (void)snapshots.publish(system, "Period by one", request, std::string("monthly:2026-12-01"));
        CPPUNIT_ASSERT_THROW(
            (void)snapshots.publish(system, "Period by two", request, std::string("monthly:2026-12-01")),
            captrack::ConflictError);
    }

    void testTheHousekeepingPublishesAndAUsersNameDoesNotBlockThePeriod()
    {
        auto& s = *_pServer;
        expectStatus("a user's snapshot", 201, s.post(SNAPSHOTS, R"({"name": "Scheduled 2027-03-01"})"));
        CPPUNIT_ASSERT(s.server().housekeeping().runIfDue());
        const auto scheduled = s.get(SNAPSHOTS + "/Scheduled%202027-03-01%20(monthly:2027-03-01)");
        expectStatus("the schedule's", 200, scheduled);
        CPPUNIT_ASSERT_EQUAL(std::string("monthly:2027-03-01"), text(scheduled, "schedule_period"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), s.count("report_snapshots"));
    }

private:
    std::unique_ptr<HttpTestServer> _pServer;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ScheduledSnapshotTest);
