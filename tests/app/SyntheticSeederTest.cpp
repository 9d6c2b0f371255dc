#include "captrack/app/SyntheticSeeder.h"
#include "Instants.h"
#include "TestDatabase.h"
#include "captrack/Errors.h"
#include "captrack/app/Seeder.h"
#include "captrack/domain/Clock.h"
#include "captrack/domain/Specs.h"
#include "captrack/report/Renderers.h"
#include "captrack/report/ReportService.h"
#include "captrack/storage/RecordStore.h"

#include <Poco/DateTimeParser.h>
#include <Poco/Nullable.h>

#include <cppunit/extensions/HelperMacros.h>

#include <memory>
#include <sstream>

using namespace captrack;
using captrack::testing::at;
using domain::Record;
using Poco::Dynamic::Var;
using namespace Poco::Data::Keywords;

namespace
{
std::string text(const Poco::Nullable<std::string>& value)
{
    return value.isNull() ? "NULL" : value.value();
}
} // namespace

class SyntheticSeederTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SyntheticSeederTest);
    CPPUNIT_TEST(testSeedsProjectsWithTheirRows);
    CPPUNIT_TEST(testEveryRowPassesTheResourceSpecs);
    CPPUNIT_TEST(testRerunAddsOnlyMissingProjectsAndIsDeterministic);
    CPPUNIT_TEST(testPortfolioReportCountsEveryProject);
    CPPUNIT_TEST(testRefusesWithoutReferenceData);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _pClock = std::make_unique<domain::FixedClock>(at("2027-03-01T10:00:00Z"));
        freshDatabase(true);
    }

    void tearDown() override { _pDb.reset(); }

    void testSeedsProjectsWithTheirRows()
    {
        std::ostringstream progress;
        const auto counts = app::SyntheticSeeder(db()).seed(50, &progress);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), counts.existing);
        CPPUNIT_ASSERT_EQUAL(std::size_t(50), counts.projects);
        CPPUNIT_ASSERT_EQUAL(counts.projects, countRows("projects WHERE code LIKE 'SYN-%'"));
        CPPUNIT_ASSERT_EQUAL(counts.milestones, countRows("milestones"));
        CPPUNIT_ASSERT_EQUAL(counts.contributions, countRows("contributions"));
        CPPUNIT_ASSERT_EQUAL(counts.missionLinks, countRows("mission_links"));
        CPPUNIT_ASSERT_EQUAL(counts.objectiveLinks, countRows("project_objectives"));
        // About ten milestones, three contributions, two objectives and half a mission link a project.
        CPPUNIT_ASSERT(counts.milestones >= 50 * 8 && counts.milestones <= 50 * 12);
        CPPUNIT_ASSERT(counts.contributions >= 50 * 2 && counts.contributions <= 50 * 4);
        CPPUNIT_ASSERT(counts.objectiveLinks >= 50 && counts.objectiveLinks <= 50 * 3);
        CPPUNIT_ASSERT(counts.missionLinks >= 10 && counts.missionLinks <= 50);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), countRows("projects WHERE code = 'SYN-000001'"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), countRows("projects WHERE code = 'SYN-000050'"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), countRows("projects p WHERE NOT EXISTS "
                                                       "(SELECT 1 FROM milestones m WHERE m.project_id = p.id)"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), countRows("projects p WHERE NOT EXISTS "
                                                       "(SELECT 1 FROM contributions c WHERE c.project_id = p.id)"));
        CPPUNIT_ASSERT(progress.str().find("50/50 projects") != std::string::npos);
        CPPUNIT_ASSERT(progress.str().find("rows/s") != std::string::npos);
    }

    void testEveryRowPassesTheResourceSpecs()
    {
        app::SyntheticSeeder(db()).seed(50);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), countRows("milestones WHERE status = 'done' AND actual_date IS NULL"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0),
                             countRows("milestones WHERE status <> 'done' AND actual_date IS NOT NULL"));
        CPPUNIT_ASSERT(countRows("milestones WHERE status = 'done'") > 0);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0),
                             countRows("milestones WHERE progress < 0 OR progress > 100 OR weight < 1"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), countRows("projects WHERE end_date < start_date"));
        // Every reference names a reference row; partners come from all six frameworks.
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), countRows("contributions c WHERE NOT EXISTS "
                                                       "(SELECT 1 FROM partners p WHERE p.id = c.partner_id)"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), countRows("mission_links l WHERE NOT EXISTS "
                                                       "(SELECT 1 FROM missions m WHERE m.id = l.mission_id)"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), countRows("projects p WHERE NOT EXISTS (SELECT 1 FROM "
                                                       "capability_areas a WHERE a.code = p.capability_area)"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), countRows("project_objectives x WHERE NOT EXISTS "
                                                       "(SELECT 1 FROM objectives o WHERE o.code = x.objective_code)"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), countRows("(SELECT DISTINCT p.framework FROM contributions c "
                                                       "JOIN partners p ON p.id = c.partner_id) f"));
        for (const auto* spec : {&domain::projectSpec(), &domain::milestoneSpec(), &domain::contributionSpec(),
                                 &domain::missionLinkSpec()})
            checkEveryRecord(*spec);
    }

    void testRerunAddsOnlyMissingProjectsAndIsDeterministic()
    {
        app::SyntheticOptions smallBatches;
        smallBatches.projectsPerTransaction = 7;
        CPPUNIT_ASSERT_EQUAL(std::size_t(20), app::SyntheticSeeder(db(), smallBatches).seed(20).projects);
        const auto topUp = app::SyntheticSeeder(db(), smallBatches).seed(50);
        CPPUNIT_ASSERT_EQUAL(std::size_t(20), topUp.existing);
        CPPUNIT_ASSERT_EQUAL(std::size_t(30), topUp.projects);
        const auto again = app::SyntheticSeeder(db()).seed(50);
        CPPUNIT_ASSERT_EQUAL(std::size_t(50), again.existing);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), again.rows());
        CPPUNIT_ASSERT_EQUAL(std::size_t(50), countRows("projects"));
        const std::string inSteps = fingerprint();

        freshDatabase(true);
        app::SyntheticSeeder(db()).seed(50);
        CPPUNIT_ASSERT_EQUAL(inSteps, fingerprint());
        CPPUNIT_ASSERT(inSteps.find("SYN-000050") != std::string::npos);
    }

    void testPortfolioReportCountsEveryProject()
    {
        app::SyntheticSeeder(db()).seed(50);
        report::ReportService reports(db(), *_pClock, domain::HealthThresholds{});
        report::PortfolioRequest request;
        request.groupBy = report::Grouping::Framework;
        request.asOf = domain::Date::fromParts(2027, 3, 1);
        const auto portfolio =
            report::portfolioJson(reports.portfolio(reports.admit(), domain::Principal::system(), request));
        const auto totals = portfolio->getObject("totals");
        CPPUNIT_ASSERT_EQUAL(50, totals->getValue<int>("projects"));
        CPPUNIT_ASSERT_EQUAL(static_cast<int>(countRows("milestones WHERE status <> 'cancelled'")),
                             totals->getObject("milestones")->getValue<int>("total"));
        // A realistic spread: some projects of each health, overdue milestones and a row per framework.
        const auto health = totals->getObject("health");
        for (const char* h : {"green", "amber", "red", "none"})
            CPPUNIT_ASSERT_MESSAGE(h, health->getValue<int>(h) > 0);
        CPPUNIT_ASSERT(totals->getObject("milestones")->getValue<int>("overdue") > 0);
        CPPUNIT_ASSERT(portfolio->getArray("overdue")->size() > 0);
        CPPUNIT_ASSERT(portfolio->getArray("due_soon")->size() > 0);
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), portfolio->getArray("rows")->size());
    }

    void testRefusesWithoutReferenceData()
    {
        freshDatabase(false);
        CPPUNIT_ASSERT_THROW(app::SyntheticSeeder(db()).seed(5), Poco::IllegalStateException);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), countRows("projects"));
    }

private:
    storage::Database& db() { return _pDb->database(); }

    void freshDatabase(bool withReference)
    {
        _pDb.reset();
        _pDb = std::make_unique<test::TestDatabase>();
        if (withReference)
            app::Seeder(db(), *_pClock, test::TestDatabase::sqlRoot() + "/seed").loadReference();
    }

    std::size_t countRows(const std::string& from)
    {
        auto pLease = db().lease();
        Poco::Int64 count = 0;
        pLease->session() << "SELECT COUNT(*) FROM " + from, into(count), now;
        return static_cast<std::size_t>(count);
    }

    /// Every stored record, as client input, passes the spec's field checks and its own rule.
    void checkEveryRecord(const domain::ResourceSpec& spec)
    {
        storage::ListQuery all;
        all.limit = 100000;
        auto pLease = db().lease();
        const auto page = storage::RecordStore(db()).list(pLease->session(), spec, all);
        CPPUNIT_ASSERT(!page.items.empty());
        for (const auto& stored : page.items)
        {
            Record input;
            for (const auto& field : spec.fields)
            {
                if (field.access == domain::FieldAccess::Managed || !stored.count(field.name))
                    continue;
                if (field.kind == domain::FieldKind::CodeList)
                {
                    const auto codes = domain::codeListField(stored, field.name);
                    input[field.name] = std::vector<Var>(codes.begin(), codes.end());
                }
                else if (field.kind == domain::FieldKind::IdList)
                {
                    const auto ids = domain::idListField(stored, field.name);
                    input[field.name] = std::vector<Var>(ids.begin(), ids.end());
                }
                else
                    input[field.name] = stored.at(field.name);
            }
            FieldErrors errors;
            domain::checkRecord(spec, domain::normaliseInput(spec, input, domain::WriteMode::Create, errors), errors);
            std::string message = spec.entity + " " + std::to_string(domain::recordId(stored));
            for (const auto& error : errors)
                message += "; " + error.field + " " + error.message;
            CPPUNIT_ASSERT_MESSAGE(message, errors.empty());
        }
    }

    /// Every synthetic value but the ids, in code order.
    std::string fingerprint()
    {
        auto pLease = db().lease();
        auto& session = pLease->session();
        std::vector<std::string> codes, titles, statuses, baselines;
        std::vector<Poco::Nullable<std::string>> forecasts, actuals;
        std::vector<Poco::Int64> progress, weights;
        session << "SELECT p.code, m.title, m.status, m.baseline_date, m.forecast_date, m.actual_date, m.progress, "
                   "m.weight FROM milestones m JOIN projects p ON p.id = m.project_id ORDER BY p.code, m.id",
            into(codes), into(titles), into(statuses), into(baselines), into(forecasts), into(actuals), into(progress),
            into(weights), now;
        std::ostringstream out;
        for (std::size_t i = 0; i < codes.size(); ++i)
            out << codes[i] << "|" << titles[i] << "|" << statuses[i] << "|" << baselines[i] << "|"
                << text(forecasts[i]) << "|" << text(actuals[i]) << "|" << progress[i] << "|" << weights[i] << "\n";
        std::vector<std::string> projectCodes, projectTitles, visibilities, starts, ends, partners;
        std::vector<Poco::Int64> budgets, amounts;
        session << "SELECT code, title, visibility, start_date, end_date, budget_eur FROM projects ORDER BY code",
            into(projectCodes), into(projectTitles), into(visibilities), into(starts), into(ends), into(budgets), now;
        session << "SELECT q.code, c.amount_eur FROM contributions c JOIN projects p ON p.id = c.project_id "
                   "JOIN partners q ON q.id = c.partner_id ORDER BY p.code, c.id",
            into(partners), into(amounts), now;
        for (std::size_t i = 0; i < projectCodes.size(); ++i)
            out << projectCodes[i] << "|" << projectTitles[i] << "|" << visibilities[i] << "|" << starts[i] << "|"
                << ends[i] << "|" << budgets[i] << "\n";
        for (std::size_t i = 0; i < partners.size(); ++i)
            out << partners[i] << "=" << amounts[i] << "\n";
        return out.str();
    }

    std::unique_ptr<test::TestDatabase> _pDb;
    std::unique_ptr<domain::FixedClock> _pClock;
};

CPPUNIT_TEST_SUITE_REGISTRATION(SyntheticSeederTest);
