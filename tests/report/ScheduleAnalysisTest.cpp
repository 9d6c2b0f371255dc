#include "captrack/report/ScheduleAnalysis.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace captrack;
using domain::Date;
using domain::MilestoneFacts;

namespace
{
MilestoneFacts milestone(Poco::Int64 id, long dueDay, bool done = false)
{
    MilestoneFacts m;
    m.id = id;
    m.baseline = Date::fromDays(dueDay);
    m.status = done ? domain::MilestoneStatus::Done : domain::MilestoneStatus::Planned;
    if (done)
        m.actual = Date::fromDays(dueDay);
    return m;
}

const long DAY = 20000; // 2024-10-04
} // namespace

/// The dependency walk of ScheduleAnalysis (projectedFinish): finish-to-start through whole chains,
/// iterative so that no chain length can exhaust the stack, cycles cut.
class ScheduleAnalysisTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ScheduleAnalysisTest);
    CPPUNIT_TEST(testPredecessorsPushTheirSuccessors);
    CPPUNIT_TEST(testDoneMilestonesFinishOnTheirActualDate);
    CPPUNIT_TEST(testCyclesAndUnknownIdsAreCut);
    CPPUNIT_TEST(testChainOf100000MilestonesIsWalkedWithoutRecursion);
    CPPUNIT_TEST_SUITE_END();

public:
    void testPredecessorsPushTheirSuccessors()
    {
        // 1 <- 2 <- 3, and 4 depends on 1 and 3; 5 stands alone.
        const std::vector<MilestoneFacts> milestones{milestone(1, DAY + 50), milestone(2, DAY + 10),
                                                     milestone(3, DAY + 20), milestone(4, DAY + 100),
                                                     milestone(5, DAY + 5)};
        const std::multimap<Poco::Int64, Poco::Int64> dependsOn{{2, 1}, {3, 2}, {4, 1}, {4, 3}};
        const auto finish = report::projectedFinish(milestones, dependsOn);
        const std::pair<Poco::Int64, long> expected[] = {
            {1, DAY + 50}, {2, DAY + 50}, {3, DAY + 50}, {4, DAY + 100}, {5, DAY + 5}};
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), finish.size());
        for (const auto& [id, day] : expected)
            CPPUNIT_ASSERT_EQUAL_MESSAGE("milestone " + std::to_string(id), day, finish.at(id).days());
    }

    void testDoneMilestonesFinishOnTheirActualDate()
    {
        // A done predecessor counts with its actual date; a done milestone ignores its predecessors.
        const std::vector<MilestoneFacts> milestones{milestone(1, DAY + 90), milestone(2, DAY + 30, true),
                                                     milestone(3, DAY + 10)};
        const std::multimap<Poco::Int64, Poco::Int64> dependsOn{{2, 1}, {3, 2}};
        const auto finish = report::projectedFinish(milestones, dependsOn);
        CPPUNIT_ASSERT_EQUAL(DAY + 30, finish.at(2).days());
        CPPUNIT_ASSERT_EQUAL(DAY + 30, finish.at(3).days());
    }

    void testCyclesAndUnknownIdsAreCut()
    {
        const std::vector<MilestoneFacts> milestones{milestone(1, DAY + 10), milestone(2, DAY + 20),
                                                     milestone(3, DAY + 30), milestone(4, DAY + 5)};
        const std::multimap<Poco::Int64, Poco::Int64> dependsOn{{1, 3}, {2, 1}, {3, 2}, {4, 4}, {4, 999}};
        const auto finish = report::projectedFinish(milestones, dependsOn);
        // From 1: 1 -> 3 -> 2, where the link 2 -> 1 closes the cycle and is cut, so 2 keeps its own date.
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), finish.size());
        CPPUNIT_ASSERT_EQUAL(DAY + 30, finish.at(1).days());
        CPPUNIT_ASSERT_EQUAL(DAY + 20, finish.at(2).days());
        CPPUNIT_ASSERT_EQUAL(DAY + 30, finish.at(3).days());
        CPPUNIT_ASSERT_EQUAL(DAY + 5, finish.at(4).days());
    }

    void testChainOf100000MilestonesIsWalkedWithoutRecursion()
    {
        // Milestone k depends on k + 1, so the walk from milestone 1 goes 100,000 links deep; the last
        // is due latest and pushes every one before it. The recursive walk overflowed the stack here.
        const Poco::Int64 count = 100000;
        std::vector<MilestoneFacts> milestones;
        std::multimap<Poco::Int64, Poco::Int64> dependsOn;
        for (Poco::Int64 id = 1; id <= count; ++id)
        {
            milestones.push_back(milestone(id, DAY + (id == count ? 500 : 1)));
            if (id < count)
                dependsOn.emplace(id, id + 1);
        }
        const auto finish = report::projectedFinish(milestones, dependsOn);
        CPPUNIT_ASSERT_EQUAL(static_cast<std::size_t>(count), finish.size());
        CPPUNIT_ASSERT_EQUAL(DAY + 500, finish.at(1).days());
        CPPUNIT_ASSERT_EQUAL(DAY + 500, finish.at(count / 2).days());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ScheduleAnalysisTest);
