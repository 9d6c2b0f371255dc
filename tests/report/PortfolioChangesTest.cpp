#include "captrack/report/PortfolioChanges.h"

#include <cppunit/extensions/HelperMacros.h>

#include <set>

using captrack::report::comparePortfolios;
using captrack::storage::ContributionStateRow;
using captrack::storage::MilestoneStateRow;
using captrack::storage::PortfolioState;
using captrack::storage::ProjectStateRow;

namespace
{
ProjectStateRow project(Poco::Int64 id, const std::string& code, const std::string& status = "implementation")
{
    ProjectStateRow p;
    p.projectId = id;
    p.code = code;
    p.title = code;
    p.status = status;
    p.computedHealth = p.effectiveHealth = std::string("green");
    return p;
}

MilestoneStateRow milestone(Poco::Int64 id, const std::string& due, const std::string& status = "planned")
{
    return {id, 1, "M" + std::to_string(id), due, std::nullopt, std::nullopt, status, 0};
}

template <typename List> std::set<std::string> kinds(const List& list)
{
    std::set<std::string> out;
    for (const auto& item : list)
        out.insert(item.change);
    return out;
}
} // namespace

/// report::comparePortfolios on hand-made states: each kind of change, and what is not a change.
class PortfolioChangesTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(PortfolioChangesTest);
    CPPUNIT_TEST(testMilestonesOverdueBeforeAreNotNewlyOverdueAndPullInsAreNoSlip);
    CPPUNIT_TEST(testRemovedProjectsAndContributionsAndAmountChanges);
    CPPUNIT_TEST(testTotalsFollowTheStatusRules);
    CPPUNIT_TEST_SUITE_END();

public:
    void testMilestonesOverdueBeforeAreNotNewlyOverdueAndPullInsAreNoSlip()
    {
        PortfolioState before{"2027-03-01", {project(1, "A")}, {}, {}};
        before.milestones = {milestone(1, "2027-02-01"), milestone(2, "2027-06-01"), milestone(3, "2027-02-20")};
        PortfolioState after = before;
        after.asOf = "2027-04-01";
        after.milestones[1].forecastDate = "2027-05-01"; // pulled in: no change
        after.milestones[2].status = "done";             // was overdue, now done
        after.milestones[2].actualDate = "2027-03-15";
        const auto changes = comparePortfolios(before, after);
        // Milestone 1 was overdue already; 2 moved earlier; 3 completed.
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), changes.milestones.size());
        CPPUNIT_ASSERT_EQUAL(std::string("completed"), changes.milestones[0].change);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), changes.milestones[0].milestoneId);
    }

    void testRemovedProjectsAndContributionsAndAmountChanges()
    {
        PortfolioState before{"2027-03-01", {project(1, "A"), project(2, "B")}, {}, {}};
        before.contributions = {{1, 1, 10, "UKR", "pledged", 100, 1.5}, {2, 2, 11, "ITA", "committed", 50, 0}};
        PortfolioState after{"2027-03-01", {project(1, "A")}, {}, {{1, 1, 10, "UKR", "pledged", 150, 1.5}}};
        const auto changes = comparePortfolios(before, after);
        CPPUNIT_ASSERT((std::set<std::string>{"removed"}) == kinds(changes.projects));
        CPPUNIT_ASSERT((std::set<std::string>{"amount", "removed"}) == kinds(changes.contributions));
        CPPUNIT_ASSERT(changes.health.empty());
    }

    void testTotalsFollowTheStatusRules()
    {
        PortfolioState state{"2027-03-01", {project(1, "A"), project(2, "B", "closed")}, {}, {}};
        state.projects[1].computedHealth.reset();
        state.projects[1].effectiveHealth.reset();
        state.milestones = {milestone(1, "2027-02-01"), milestone(2, "2027-02-01", "cancelled"),
                            milestone(3, "2027-01-01", "done"), milestone(4, "2027-03-01")};
        state.contributions = {{1, 1, 10, "UKR", "delivered", 70, 2.5}, {2, 1, 10, "UKR", "pledged", 30, 0.5}};
        const auto totals = captrack::report::totalsOf(state);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), totals.green);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), totals.none);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), totals.milestones); // the cancelled one is not counted
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), totals.done);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), totals.overdue); // due today is not overdue
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(70), totals.deliveredEur);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(30), totals.pledgedEur);
        CPPUNIT_ASSERT_EQUAL(3.0, totals.personMonths);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PortfolioChangesTest);
