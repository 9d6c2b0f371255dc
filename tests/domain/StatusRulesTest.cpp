#include "captrack/domain/StatusRules.h"
#include "StatusRulesFixture.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace captrack::domain;
using captrack::testing::judge;
using captrack::testing::rollUpOf;

namespace
{
const Date AS_OF = *Date::parse("2027-03-01");

MilestoneFacts milestone(Poco::Int64 id, const char* baseline, const char* forecast = nullptr,
                         const char* status = "planned", const char* actual = nullptr, int progress = 0, int weight = 1)
{
    MilestoneFacts m;
    m.id = id;
    m.title = "M" + std::to_string(id);
    m.baseline = *Date::parse(baseline);
    if (forecast)
        m.forecast = Date::parse(forecast);
    if (actual)
        m.actual = Date::parse(actual);
    m.status = storedValue<MilestoneStatus>(status);
    m.progress = progress;
    m.weight = weight;
    return m;
}

std::string healthOf(const std::vector<MilestoneFacts>& milestones, const std::string& projectStatus = "implementation")
{
    return healthName(judge(projectStatus, milestones, AS_OF).health);
}
} // namespace

/// The status rules (docs/DOMAIN.md) on hand-worked cases, every threshold at and just past its boundary.
class StatusRulesTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(StatusRulesTest);
    CPPUNIT_TEST(testHealthBoundaries);
    CPPUNIT_TEST(testReasonsNameEachFiredRule);
    CPPUNIT_TEST(testOnlyActiveStatusesHaveHealth);
    CPPUNIT_TEST(testProgressIsWeightedAndRounded);
    CPPUNIT_TEST(testNextMilestoneAndCounts);
    CPPUNIT_TEST(testThresholdsAreSettings);
    CPPUNIT_TEST_SUITE_END();

public:
    void testHealthBoundaries()
    {
        struct Case
        {
            MilestoneFacts m;
            const char* health;
        };
        const Case cases[] = {
            {milestone(1, "2027-03-01"), "green"},                                // due today: not overdue
            {milestone(1, "2027-02-28"), "amber"},                                // 1 day overdue
            {milestone(1, "2027-01-30"), "amber"},                                // exactly 30 days overdue
            {milestone(1, "2027-01-29"), "red"},                                  // 31 days overdue
            {milestone(1, "2027-04-01", "2027-04-15"), "green"},                  // slip exactly 14
            {milestone(1, "2027-04-01", "2027-04-16"), "amber"},                  // slip 15
            {milestone(1, "2027-04-01", "2027-06-30"), "amber"},                  // slip exactly 90
            {milestone(1, "2027-04-01", "2027-07-01"), "red"},                    // slip 91
            {milestone(1, "2027-04-01", "2027-03-01"), "green"},                  // early: negative slip
            {milestone(1, "2026-01-01", nullptr, "done", "2026-12-01"), "green"}, // done: never open
            {milestone(1, "2026-01-01", nullptr, "cancelled"), "green"},          // cancelled: ignored
            {milestone(1, "2027-02-01", "2027-03-10"), "amber"},                  // forecast moves due: slip 37
        };
        for (const auto& c : cases)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.m.baseline.toString() + " " + nameText(c.m.status), std::string(c.health),
                                         healthOf({c.m}));
        CPPUNIT_ASSERT_EQUAL(std::string("red"), healthOf({milestone(1, "2027-03-01"), milestone(2, "2027-01-01")}));
    }

    void testReasonsNameEachFiredRule()
    {
        const auto verdict =
            judge("implementation", {milestone(12, "2027-01-19"), milestone(13, "2027-04-01", "2027-04-20")}, AS_OF,
                  HealthThresholds{});
        CPPUNIT_ASSERT(verdict.health == Health::Red);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), verdict.reasons.size());
        CPPUNIT_ASSERT_EQUAL(std::string("M-12 'M12' overdue 41 days"), verdict.reasons[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("M-13 'M13' slipped 19 days"), verdict.reasons[1]);
        CPPUNIT_ASSERT(judge("implementation", {milestone(1, "2027-05-01")}, AS_OF).reasons.empty());
    }

    void testOnlyActiveStatusesHaveHealth()
    {
        const std::vector<MilestoneFacts> late{milestone(1, "2026-01-01")};
        for (const char* status : {"pipeline", "implementation", "finalisation"})
            CPPUNIT_ASSERT_EQUAL(std::string("red"), healthOf(late, status));
        for (const char* status : {"closed", "cancelled", "suspended"})
            CPPUNIT_ASSERT_EQUAL(std::string("none"), healthOf(late, status));
        CPPUNIT_ASSERT_EQUAL(std::string("green"), healthOf({}, "implementation"));
        CPPUNIT_ASSERT(effectiveHealth(Health::Amber, Health::Red) == Health::Amber);
        CPPUNIT_ASSERT(effectiveHealth(std::nullopt, Health::Red) == Health::Red);
    }

    void testProgressIsWeightedAndRounded()
    {
        // (3 × 100 + 1 × 50) / 4 = 87.5 -> 88; cancelled ones count nowhere.
        const auto rollup = rollUpOf({milestone(1, "2026-01-01", nullptr, "done", "2026-01-01", 0, 3),
                                      milestone(2, "2027-05-01", nullptr, "in_progress", nullptr, 50, 1),
                                      milestone(3, "2027-05-01", nullptr, "cancelled", nullptr, 0, 9)},
                                     AS_OF);
        CPPUNIT_ASSERT_EQUAL(88, rollup.progress);
        CPPUNIT_ASSERT_EQUAL(2, rollup.total);
        CPPUNIT_ASSERT_EQUAL(0, rollUpOf({}, AS_OF).progress);
        // 1/3 of 100 = 33.33 -> 33
        CPPUNIT_ASSERT_EQUAL(33, rollUpOf({milestone(1, "2026-01-01", nullptr, "done", "2026-01-01"),
                                           milestone(2, "2027-05-01"), milestone(3, "2027-05-01")},
                                          AS_OF)
                                     .progress);
    }

    void testNextMilestoneAndCounts()
    {
        const auto rollup =
            rollUpOf({milestone(5, "2027-06-01"), milestone(4, "2027-05-01", "2027-06-01"), milestone(7, "2027-02-01"),
                      milestone(8, "2026-12-01", nullptr, "done", "2027-01-10"),
                      milestone(9, "2026-01-01", nullptr, "cancelled")},
                     AS_OF);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(7), rollup.next->id); // the overdue one is due earliest
        CPPUNIT_ASSERT_EQUAL(4, rollup.total);
        CPPUNIT_ASSERT_EQUAL(1, rollup.done);
        CPPUNIT_ASSERT_EQUAL(1, rollup.overdue);
        CPPUNIT_ASSERT_EQUAL(40L, rollup.maxSlipDays); // done 2027-01-10 against 2026-12-01
        const auto tie = rollUpOf({milestone(5, "2027-06-01"), milestone(4, "2027-05-01", "2027-06-01")}, AS_OF);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(4), tie.next->id); // same due: lowest id
    }

    void testThresholdsAreSettings()
    {
        HealthThresholds strict;
        strict.redOverdueDays = 5;
        const auto verdict = judge("implementation", {milestone(1, "2027-02-22")}, AS_OF, strict);
        CPPUNIT_ASSERT(verdict.health == Health::Red); // 7 days > 5
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StatusRulesTest);
