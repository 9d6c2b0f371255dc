#include "Instants.h"
#include "TestDatabase.h"
#include "captrack/Errors.h"
#include "captrack/app/Seeder.h"
#include "captrack/app/SyntheticSeeder.h"
#include "captrack/domain/Clock.h"
#include "captrack/domain/Specs.h"
#include "captrack/report/PortfolioLoader.h"
#include "captrack/report/Renderers.h"
#include "captrack/report/ReportService.h"
#include "captrack/report/RollupLoader.h"
#include "captrack/service/BaselineService.h"
#include "captrack/service/Catalogue.h"
#include "captrack/service/ListFilters.h"
#include "captrack/service/ResourceService.h"
#include "captrack/storage/ReadSnapshot.h"
#include "captrack/storage/ReferenceNames.h"
#include "captrack/storage/RollupStore.h"
#include "captrack/storage/Transaction.h"

#include <Poco/Data/RecordSet.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Object.h>
#include <Poco/String.h>

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

using namespace captrack;
using captrack::testing::at;
using domain::Date;
using domain::Record;
using Poco::Dynamic::Var;
using namespace Poco::Data::Keywords;

namespace
{
const char* const ROLLUP_DUMPS[] = {
    "SELECT project_id, milestones_total, milestones_done, weight_sum, weighted_progress, earliest_open_due, "
    "largest_open_slip, largest_slip FROM project_rollups ORDER BY project_id",
    "SELECT milestone_id, project_id, due_date FROM open_milestones ORDER BY milestone_id",
    "SELECT project_id, partner_id, contributions, pledged_eur, committed_eur, delivered_eur, person_months "
    "FROM contribution_rollups ORDER BY project_id, partner_id"};

/// Every row of the three roll-up tables, one line each.
std::string dumpRollups(Poco::Data::Session& session)
{
    std::ostringstream out;
    for (const char* sql : ROLLUP_DUMPS)
    {
        Poco::Data::Statement select(session);
        select << sql;
        select.execute();
        Poco::Data::RecordSet rows(select);
        for (std::size_t row = 0; row < rows.rowCount(); ++row)
        {
            for (std::size_t col = 0; col < rows.columnCount(); ++col)
                out << (col ? " " : "")
                    << (rows.isNull(col, row) ? "NULL" : rows.value(col, row).convert<std::string>());
            out << "\n";
        }
        out << "--\n";
    }
    return out.str();
}

/// What a report takes from one project, as text: the rules' verdict and figures, the milestones it lists
/// (id and due day), and the contributions summed by partner and state as the principal sees them.
std::string describe(const report::ProjectFacts& p)
{
    std::ostringstream out;
    out << p.id << " " << p.code << " " << domain::nameText(p.status) << " computed "
        << domain::healthName(p.computed.health) << " effective " << domain::healthName(p.effective) << " total "
        << p.rollup.total << " done " << p.rollup.done << " overdue " << p.rollup.overdue << " progress "
        << p.rollup.progress << " max slip " << p.rollup.maxSlipDays << " budget " << p.budgetEur << "\n  listed:";
    for (const auto& m : p.milestones)
        out << " " << m.id << "@" << m.due().toString();
    std::map<std::string, Poco::Int64> amounts;
    std::map<Poco::Int64, double> months;
    for (const auto& c : p.contributions)
    {
        const std::string key = std::to_string(c.partnerId) + "/" + c.partnerCode + "/" + c.framework + "/" +
                                (c.amountVisible ? (c.state ? domain::nameText(*c.state) : "?") : "hidden");
        if (c.amountEur != 0 || !c.amountVisible)
            amounts[key] += c.amountEur;
        months[c.partnerId] += c.personMonths;
    }
    out << "\n  amounts:";
    for (const auto& [key, amount] : amounts)
        out << " " << key << "=" << amount;
    out << "\n  partners and person-months:";
    for (const auto& [partner, pm] : months)
        out << " " << partner << "=" << pm;
    return out.str();
}

std::string stringified(const Poco::JSON::Object::Ptr& json)
{
    std::ostringstream out;
    json->stringify(out);
    return out.str();
}

/// A day between 2026-01-01 and 2028-12-31.
std::string randomDay(std::mt19937& random)
{
    return Date::fromParts(2026, 1, 1).plusDays(static_cast<long>(random() % 1096)).toString();
}
} // namespace

/// The report roll-ups (storage::RollupStore) against a computation from scratch, after writes through
/// the real services: every roll-up row equals what RollupStore::rebuildFrom computes from the
/// milestones and contributions, and every portfolio report read from the roll-ups (report::RollupLoader)
/// equals the one that PortfolioLoader builds by folding every milestone through the status rules,
/// project by project and rendered, for an administrator and for a partner, on several days.
class ReportRollupsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ReportRollupsTest);
    CPPUNIT_TEST(testRandomWritesKeepTheRollupsExact);
    CPPUNIT_TEST(testSeededDataMatchesTheRules);
    CPPUNIT_TEST(testMigrationFillsTheSameRollups);
    CPPUNIT_TEST(testConcurrentWritersOfOneProject);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { open(false); }

    void open(bool manySessions)
    {
        _pBaselines.reset();
        _pService.reset();
        _pDb.reset();
        _pDb = std::make_unique<test::TestDatabase>(manySessions);
        _pClock = std::make_unique<domain::FixedClock>(at("2027-03-01T10:00:00Z"));
        _pService = std::make_unique<service::ResourceService>(_pDb->database(), *_pClock);
        _pBaselines = std::make_unique<service::BaselineService>(_pDb->database(), *_pClock);
        app::Seeder(_pDb->database(), *_pClock, test::TestDatabase::sqlRoot() + "/seed").loadReference();
        auto pLease = _pDb->database().lease();
        pLease->session() << "SELECT id FROM partners ORDER BY code", into(_partners), now;
        pLease->session() << "SELECT code FROM capability_areas ORDER BY code", into(_areas), now;
        CPPUNIT_ASSERT(_partners.size() >= 6 && !_areas.empty());
        _partners.resize(6);
        _projects = 0;
    }

    void tearDown() override
    {
        _pBaselines.reset();
        _pService.reset();
        _pDb.reset();
    }

    /// Creates, updates (status, dates, progress, weight, project status and declared health) and deletes
    /// of projects, milestones and contributions, and baselines, in a random order from a fixed seed.
    void testRandomWritesKeepTheRollupsExact()
    {
        std::mt19937 random(20270301);
        for (int i = 0; i < 6; ++i)
            createProject(random);
        const int steps = _pDb->isMySql() ? 260 : 600;
        for (int step = 1; step <= steps; ++step)
        {
            randomWrite(random);
            if (step % 100 == 0)
                checkAgainstScratch("after " + std::to_string(step) + " writes");
        }
        checkAgainstScratch("at the end");
        CPPUNIT_ASSERT_MESSAGE("the random writes should have left milestones to judge", countRows("milestones") > 20);
        CPPUNIT_ASSERT_MESSAGE("and contributions", countRows("contributions") > 10);
    }

    /// The synthetic seeder writes its rows straight to the tables and the demo seed goes through the
    /// services: either way the roll-ups follow, and give the rules' numbers on data of every shape.
    void testSeededDataMatchesTheRules()
    {
        app::SyntheticSeeder(_pDb->database()).seed(300);
        app::Seeder(_pDb->database(), *_pClock, test::TestDatabase::sqlRoot() + "/seed").loadDemo();
        checkAgainstScratch("after the synthetic and demo seeds");
    }

    /// Migration 006 fills the roll-ups of a database that has data with RollupStore's own statements.
    void testMigrationFillsTheSameRollups()
    {
        std::mt19937 random(7);
        for (int i = 0; i < 5; ++i)
            createProject(random);
        for (int step = 0; step < 120; ++step)
            randomWrite(random);
        app::SyntheticSeeder(_pDb->database()).seed(40);
        const std::string kept = dump();
        const std::string script =
            test::TestDatabase::sqlRoot() + (_pDb->isMySql() ? "/mysql" : "/sqlite") + "/006_report_rollups.sql";
        Poco::FileInputStream in(script);
        std::string line;
        int inserts = 0;
        storage::Transaction txn(_pDb->database());
        for (const char* table : {"project_rollups", "open_milestones", "contribution_rollups"})
            txn.session() << std::string("DELETE FROM ") + table, now;
        while (std::getline(in, line))
            if (Poco::startsWith(line, std::string("INSERT INTO ")))
            {
                txn.session() << line.substr(0, line.find_last_of(';')), now;
                ++inserts;
            }
        CPPUNIT_ASSERT_EQUAL(3, inserts);
        CPPUNIT_ASSERT_EQUAL(kept, dumpRollups(txn.session()));
    }

    /// Writers of one project's milestones and contributions at the same time take turns (on MariaDB, the
    /// project's roll-up row, before any milestone): none fails, and the roll-ups hold every write.
    void testConcurrentWritersOfOneProject()
    {
        open(true);
        std::mt19937 setup(11);
        createProject(setup);
        const Poco::Int64 project = ids("projects").front();
        std::atomic<int> failures{0};
        std::mutex mutex;
        std::string firstFailure;
        std::vector<std::thread> writers;
        for (unsigned w = 0; w < 4; ++w)
            writers.emplace_back([&, w] {
                std::mt19937 random(100 + w);
                try
                {
                    writeConcurrently(random, project);
                }
                catch (const std::exception& e)
                {
                    ++failures;
                    const std::lock_guard<std::mutex> lock(mutex);
                    firstFailure = e.what();
                }
            });
        for (auto& writer : writers)
            writer.join();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(firstFailure, 0, failures.load());
        CPPUNIT_ASSERT_EQUAL(std::size_t(4 * 6), countRows("milestones"));
        checkAgainstScratch("after concurrent writers");
    }

private:
    /// One writer's share: milestones and contributions of the project, created, changed and some deleted.
    void writeConcurrently(std::mt19937& random, Poco::Int64 project)
    {
        const auto& c = catalogue();
        for (int i = 0; i < 8; ++i)
        {
            const auto m = domain::recordId(resources().create(_actor, c.milestones, milestoneFields(random), project));
            const Record all = milestoneFields(random);
            resources().update(_actor, c.milestones, m,
                               {{"status", all.at("status")},
                                {"actual_date", all.at("actual_date")},
                                {"forecast_date", all.at("forecast_date")}},
                               Poco::Int64(1));
            const auto k =
                domain::recordId(resources().create(_actor, c.contributions, contributionFields(random), project));
            resources().update(_actor, c.contributions, k, {{"amount_eur", Poco::Int64(5000)}}, Poco::Int64(1));
            if (i % 4 == 3)
            {
                resources().remove(_actor, c.milestones, m, Poco::Int64(2));
                resources().remove(_actor, c.contributions, k, Poco::Int64(2));
            }
        }
    }

    static const service::Catalogue& catalogue() { return service::Catalogue::instance(); }
    service::ResourceService& resources() { return *_pService; }

    std::string dump()
    {
        auto pLease = _pDb->database().lease();
        return dumpRollups(pLease->session());
    }

    std::size_t countRows(const std::string& from)
    {
        auto pLease = _pDb->database().lease();
        Poco::Int64 count = 0;
        pLease->session() << "SELECT COUNT(*) FROM " + from, into(count), now;
        return static_cast<std::size_t>(count);
    }

    std::vector<Poco::Int64> ids(const std::string& from)
    {
        std::vector<Poco::Int64> out;
        auto pLease = _pDb->database().lease();
        pLease->session() << "SELECT id FROM " + from + " ORDER BY id", into(out), now;
        return out;
    }

    template <class T> const T& pick(std::mt19937& random, const std::vector<T>& items)
    {
        return items[random() % items.size()];
    }

    Poco::Int64 versionOf(const service::Resource& resource, Poco::Int64 id)
    {
        return *domain::intField(resources().get(_actor, resource, id), "version");
    }

    void createProject(std::mt19937& random)
    {
        static const char* const STATUSES[] = {"pipeline", "implementation", "finalisation",
                                               "closed",   "cancelled",      "suspended"};
        static const char* const VISIBILITIES[] = {"public", "participants", "restricted"};
        resources().create(_actor, catalogue().projects,
                           {{"code", "RND-" + std::to_string(++_projects)},
                            {"title", "Random project"},
                            {"kind", random() % 2 ? "capability" : "scientific"},
                            {"capability_area", pick(random, _areas)},
                            {"status", STATUSES[random() % 6]},
                            {"visibility", VISIBILITIES[random() % 3]},
                            {"budget_eur", Poco::Int64(1000) * static_cast<Poco::Int64>(random() % 5000)}});
    }

    /// A milestone's fields, valid together: done exactly when it has an actual date.
    Record milestoneFields(std::mt19937& random)
    {
        static const char* const STATUSES[] = {"planned", "in_progress", "done", "cancelled"};
        const std::string status = STATUSES[random() % 4];
        Record m{{"title", "Milestone " + std::to_string(random() % 1000)},
                 {"baseline_date", randomDay(random)},
                 {"status", status},
                 {"progress", static_cast<int>(random() % 101)},
                 {"weight", static_cast<int>(1 + random() % 5)}};
        m["forecast_date"] = random() % 3 ? Var(randomDay(random)) : Var();
        m["actual_date"] = status == "done" ? Var(randomDay(random)) : Var();
        return m;
    }

    Record contributionFields(std::mt19937& random)
    {
        static const char* const STATES[] = {"pledged", "committed", "delivered"};
        return {{"partner_id", pick(random, _partners)},
                {"role", "contributor"},
                {"kind", "funding"},
                {"state", STATES[random() % 3]},
                {"amount_eur", Poco::Int64(1000) * static_cast<Poco::Int64>(random() % 900)},
                {"person_months", static_cast<double>(random() % 240) / 4.0}};
    }

    /// One write, of a kind drawn at random; a refusal the rules make (a project still used) is a write too.
    void randomWrite(std::mt19937& random)
    {
        const auto projects = ids("projects");
        const auto milestones = ids("milestones");
        const auto contributions = ids("contributions");
        const unsigned kind = random() % 100;
        if (kind < 4 || projects.empty())
            createProject(random);
        else if (kind < 26)
            resources().create(_actor, catalogue().milestones, milestoneFields(random), pick(random, projects));
        else if (kind < 46 && !milestones.empty())
            updateMilestone(random, pick(random, milestones));
        else if (kind < 54 && !milestones.empty())
        {
            const auto id = pick(random, milestones);
            resources().remove(_actor, catalogue().milestones, id, versionOf(catalogue().milestones, id));
        }
        else if (kind < 68)
            resources().create(_actor, catalogue().contributions, contributionFields(random), pick(random, projects));
        else if (kind < 78 && !contributions.empty())
        {
            const auto id = pick(random, contributions);
            Record patch = contributionFields(random);
            patch.erase(random() % 2 ? "partner_id" : "state");
            resources().update(_actor, catalogue().contributions, id, patch, versionOf(catalogue().contributions, id));
        }
        else if (kind < 84 && !contributions.empty())
        {
            const auto id = pick(random, contributions);
            resources().remove(_actor, catalogue().contributions, id, versionOf(catalogue().contributions, id));
        }
        else if (kind < 93)
            updateProject(random, pick(random, projects));
        else if (kind < 96)
            _pBaselines->take(_actor, pick(random, projects), *baselineInput());
        else
            removeProject(pick(random, projects));
    }

    void updateMilestone(std::mt19937& random, Poco::Int64 id)
    {
        const Record all = milestoneFields(random);
        Record patch;
        // Some of the fields; status and actual date go together, as the rules want them.
        for (const char* field : {"baseline_date", "forecast_date", "progress", "weight", "title"})
            if (random() % 2)
                patch[field] = all.at(field);
        if (random() % 2 || patch.empty())
        {
            patch["status"] = all.at("status");
            patch["actual_date"] = all.at("actual_date");
        }
        resources().update(_actor, catalogue().milestones, id, patch, versionOf(catalogue().milestones, id));
    }

    void updateProject(std::mt19937& random, Poco::Int64 id)
    {
        static const char* const STATUSES[] = {"pipeline", "implementation", "finalisation",
                                               "closed",   "cancelled",      "suspended"};
        static const char* const HEALTHS[] = {"green", "amber", "red"};
        Record patch{{"status", STATUSES[random() % 6]}};
        if (random() % 3 == 0)
        {
            patch["declared_health"] = Var(std::string(HEALTHS[random() % 3]));
            patch["declared_reason"] = Var(std::string("Declared by the test"));
        }
        else if (random() % 2)
        {
            patch["declared_health"] = Var();
            patch["declared_reason"] = Var();
        }
        resources().update(_actor, catalogue().projects, id, patch, versionOf(catalogue().projects, id));
    }

    void removeProject(Poco::Int64 id)
    {
        try
        {
            resources().remove(_actor, catalogue().projects, id, versionOf(catalogue().projects, id));
        }
        catch (const ConflictError&)
        {
            // it still has milestones or contributions
        }
    }

    Poco::JSON::Object::Ptr baselineInput()
    {
        Poco::JSON::Object::Ptr input = new Poco::JSON::Object;
        input->set("name", "Baseline " + std::to_string(++_baselines));
        input->set("reason", "Re-planned by the test");
        return input;
    }

    /// The roll-ups against RollupStore::rebuildFrom (in a transaction rolled back), and the reports read
    /// from them against PortfolioLoader's, for an administrator and a partner, on days around the data.
    void checkAgainstScratch(const std::string& when)
    {
        const std::string kept = dump();
        {
            storage::Transaction txn(_pDb->database());
            storage::RollupStore::rebuildFrom(txn.session(), 0);
            CPPUNIT_ASSERT_EQUAL_MESSAGE("roll-ups " + when, dumpRollups(txn.session()), kept);
        }
        const domain::Principal partner{1, "partner", domain::Role::Partner, _partners[1], domain::Credential::Session};
        for (const auto& principal : {_actor, partner})
            for (const char* day : {"2025-12-01", "2027-03-01", "2027-11-15", "2029-06-30"})
                compareReports(principal, *Date::parse(day), when + ", " + principal.username + ", as of " + day);
    }

    /// The display names of the group keys, as the report service gives them.
    std::map<std::string, std::string> labelsOf(report::Grouping groupBy)
    {
        using storage::ReferenceTable;
        const std::map<report::Grouping, ReferenceTable> tables{
            {report::Grouping::Framework, ReferenceTable::Frameworks},
            {report::Grouping::Partner, ReferenceTable::Partners},
            {report::Grouping::CapabilityArea, ReferenceTable::CapabilityAreas},
            {report::Grouping::Objective, ReferenceTable::Objectives},
            {report::Grouping::Mission, ReferenceTable::Missions}};
        const auto table = tables.find(groupBy);
        if (table == tables.end())
            return {};
        auto pLease = _pDb->database().lease();
        return storage::ReferenceNames::of(pLease->session(), table->second);
    }

    /// The report service's portfolio report (from the roll-ups) against buildPortfolioReport over
    /// PortfolioLoader's projects with the same filters, for every grouping.
    void compareService(const domain::Principal& principal, const Date& asOf, const report::PortfolioRequest& base,
                        const std::string& what)
    {
        report::PortfolioQuery query;
        query.asOf = asOf;
        std::vector<std::optional<domain::Health>> healths;
        for (const auto& [name, values] : base.filters)
            if (name == "health")
                for (const auto& v : values)
                    healths.push_back(v == "none" ? std::nullopt : domain::parseName<domain::Health>(v));
            else
                query.conditions.push_back(
                    service::filterByName(domain::projectSpec(), service::projectFilters(), name, values));
        auto expected = report::PortfolioLoader(_pDb->database()).load(principal, query);
        expected.erase(std::remove_if(expected.begin(), expected.end(),
                                      [&](const report::ProjectFacts& p) {
                                          return !healths.empty() && std::find(healths.begin(), healths.end(),
                                                                               p.effective) == healths.end();
                                      }),
                       expected.end());
        report::ReportService reports(_pDb->database(), *_pClock, domain::HealthThresholds{});
        for (const auto groupBy : domain::allValues<report::Grouping>())
        {
            auto request = base;
            request.asOf = asOf;
            request.groupBy = groupBy;
            report::PortfolioReportInput input;
            input.asOf = asOf;
            input.groupBy = groupBy;
            input.filters.assign(request.filters.begin(), request.filters.end());
            input.listLimit = request.listLimit;
            input.labels = labelsOf(groupBy);
            const auto fromRules = report::buildPortfolioReport(expected, input);
            const auto fromService = reports.portfolio(reports.admit(), principal, request);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what + ", report service, group_by " + domain::nameText(groupBy),
                                         stringified(report::portfolioJson(fromRules)),
                                         stringified(report::portfolioJson(fromService)));
        }
    }

    void compareReports(const domain::Principal& principal, const Date& asOf, const std::string& what)
    {
        report::PortfolioRequest all;
        all.listLimit = 7; // a cut list too
        compareService(principal, asOf, all, what);
        report::PortfolioRequest filtered = all;
        filtered.filters = {{"status", {"implementation", "finalisation", "closed"}}, {"health", {"red", "none"}}};
        compareService(principal, asOf, filtered, what + ", filtered");
        report::PortfolioQuery query;
        query.asOf = asOf;
        query.withObjectives = true;
        query.withMissions = true;
        const auto expected = report::PortfolioLoader(_pDb->database()).load(principal, query);
        storage::ReadSnapshot snapshot(_pDb->database());
        const auto actual = report::RollupLoader::load(snapshot.session(), principal, query);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(what, expected.size(), actual.size());
        for (std::size_t i = 0; i < expected.size(); ++i)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what, describe(expected[i]), describe(actual[i]));
        for (const auto groupBy : domain::allValues<report::Grouping>())
        {
            report::PortfolioReportInput input;
            input.asOf = asOf;
            input.groupBy = groupBy;
            input.listLimit = 7; // a cut list too
            const auto fromRules = report::buildPortfolioReport(expected, input);
            auto fromRollups = report::buildPortfolioReport(actual, input);
            report::RollupLoader::addListedNames(snapshot.session(), fromRollups);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what + ", group_by " + domain::nameText(groupBy),
                                         stringified(report::portfolioJson(fromRules)),
                                         stringified(report::portfolioJson(fromRollups)));
        }
    }

    std::unique_ptr<test::TestDatabase> _pDb;
    std::unique_ptr<domain::FixedClock> _pClock;
    std::unique_ptr<service::ResourceService> _pService;
    std::unique_ptr<service::BaselineService> _pBaselines;
    domain::Principal _actor = domain::Principal::system();
    std::vector<Poco::Int64> _partners;
    std::vector<std::string> _areas;
    int _projects = 0;
    int _baselines = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ReportRollupsTest);
