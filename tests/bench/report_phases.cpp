// Where a portfolio report's and a status summary's time goes, timed in-process against a seeded
// database (captrack seed --synthetic N), single-threaded, with captrack's own code (libcaptrack_core.a
// of a Release build) and, for the SQL phases, the reads run alone: PortfolioLoader's five
// (storage::PortfolioRows, what a summary runs) and the portfolio report's roll-up reads
// (storage::RollupRows). Nothing here changes src/ or copies its SQL; it only calls it.
//
//   report_phases DB_URL [AS_OF] [RUNS]      e.g. report_phases sqlite:/tmp/x/captrack.db 2027-03-01 3

#include "captrack/domain/Clock.h"
#include "captrack/report/PortfolioLoader.h"
#include "captrack/report/PortfolioReport.h"
#include "captrack/report/Renderers.h"
#include "captrack/report/ReportService.h"
#include "captrack/report/RollupLoader.h"
#include "captrack/report/StatusSummary.h"
#include "captrack/service/Authentication.h"
#include "captrack/service/ResourceService.h"
#include "captrack/service/SecretFile.h"
#include "captrack/storage/Database.h"
#include "captrack/storage/PortfolioRows.h"
#include "captrack/storage/PortfolioScope.h"
#include "captrack/storage/ReadSnapshot.h"
#include "captrack/storage/RollupRows.h"
#include "captrack/storage/UserStore.h"

#include <Poco/Environment.h>
#include <Poco/NumberParser.h>
#include <Poco/Stopwatch.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using namespace captrack;
using namespace Poco::Data::Keywords;
using Poco::Int64;

namespace
{
long statusKb(const std::string& key)
{
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(key + ":", 0) == 0)
            return std::stol(line.substr(key.size() + 1));
    return -1;
}

/// Runs `what` `runs` times and prints the fastest run in ms.
void phase(const std::string& name, int runs, const std::function<std::string()>& what)
{
    double best = 1e18;
    std::string note;
    for (int i = 0; i < runs; ++i)
    {
        Poco::Stopwatch clock;
        clock.start();
        note = what();
        best = std::min(best, clock.elapsed() / 1000.0);
    }
    std::cout << "  " << std::left << std::setw(46) << name << std::right << std::setw(10) << std::fixed
              << std::setprecision(1) << best << " ms   " << note << std::endl;
}

/// Runs `what` `calls` times and prints the mean in microseconds.
void perCall(const std::string& name, int calls, const std::function<void(int)>& what)
{
    Poco::Stopwatch clock;
    clock.start();
    for (int i = 0; i < calls; ++i)
        what(i);
    std::cout << "  " << std::left << std::setw(46) << name << std::right << std::setw(10) << std::fixed
              << std::setprecision(1) << clock.elapsed() / static_cast<double>(calls) << " us/call" << std::endl;
}

std::string count(std::size_t n, const char* what)
{
    return std::to_string(n) + " " + what;
}

/// The loader's five reads (storage::PortfolioRows, the same code the loader calls) alone over every
/// project: execution and extraction into row structs, no status rules.
void sqlPhases(storage::Database& db, int runs)
{
    const storage::PortfolioScope everything({}, {});
    phase("SQL 1 projects", runs, [&] {
        auto lease = db.lease();
        const auto rows =
            storage::PortfolioRows::projects(lease->session(), everything, storage::PortfolioRows::Titles::Omit);
        return count(rows.size(), "rows");
    });
    phase("SQL 2 milestones (streamed in chunks)", runs, [&] {
        auto lease = db.lease();
        std::size_t rows = 0;
        storage::PortfolioRows::milestones(lease->session(), everything, [&](storage::MilestoneRow&&) { ++rows; });
        return count(rows, "rows");
    });
    phase("SQL 3 contributions JOIN partners (streamed)", runs, [&] {
        auto lease = db.lease();
        std::size_t rows = 0;
        storage::PortfolioRows::contributions(lease->session(), everything,
                                              [&](storage::ContributionRow&&) { ++rows; });
        return count(rows, "rows");
    });
    phase("SQL 4 project_objectives", runs, [&] {
        auto lease = db.lease();
        return count(storage::PortfolioRows::objectives(lease->session(), everything).size(), "rows");
    });
    phase("SQL 5 mission_links JOIN missions", runs, [&] {
        auto lease = db.lease();
        return count(storage::PortfolioRows::missions(lease->session(), everything).size(), "rows");
    });
}

/// The portfolio report's reads of the roll-ups (storage::RollupRows, the same code RollupLoader calls)
/// alone over every project, each row extracted and dropped.
void rollupSqlPhases(storage::Database& db, const domain::Date& asOf, int runs)
{
    const storage::PortfolioScope everything({}, {});
    phase("roll-up SQL 1 projects JOIN project_rollups", runs, [&] {
        auto lease = db.lease();
        std::size_t rows = 0;
        storage::RollupRows::projects(lease->session(), everything, storage::PortfolioRows::Titles::Omit,
                                      [&](storage::ProjectRollupRow&&) { ++rows; });
        return count(rows, "rows");
    });
    phase("roll-up SQL 2 contribution_rollups (streamed)", runs, [&] {
        auto lease = db.lease();
        std::size_t rows = 0;
        storage::RollupRows::contributions(lease->session(), everything, [&](storage::PartnerRollupRow&&) { ++rows; });
        return count(rows, "rows");
    });
    phase("roll-up SQL 3 open milestones due by as_of + 90", runs, [&] {
        auto lease = db.lease();
        std::size_t rows = 0;
        storage::RollupRows::openMilestonesDueBy(lease->session(), everything, asOf.plusDays(90),
                                                 [&](storage::DueMilestone&&) { ++rows; });
        return count(rows, "rows");
    });
}

/// The loader's reads for one project as a summary runs them (the scope of one project id, named in the
/// child statements), one by one, to see what each costs.
void summarySqlPhases(storage::Database& db, const std::vector<Int64>& ids)
{
    const int calls = static_cast<int>(ids.size());
    auto scopeOf = [&](int i) {
        const Int64 id = ids[static_cast<std::size_t>(i)];
        storage::PortfolioScope scope({storage::PortfolioScope::projectIs(id)}, {});
        scope.narrowTo({id});
        return scope;
    };
    perCall("  SQL 1 projects (one project, with titles)", calls, [&](int i) {
        auto lease = db.lease();
        (void)storage::PortfolioRows::projects(lease->session(), scopeOf(i), storage::PortfolioRows::Titles::Read);
    });
    perCall("  SQL 2 milestones (one project)", calls, [&](int i) {
        auto lease = db.lease();
        storage::PortfolioRows::milestones(lease->session(), scopeOf(i), [](storage::MilestoneRow&&) {});
    });
    perCall("  SQL 3 contributions (one project)", calls, [&](int i) {
        auto lease = db.lease();
        storage::PortfolioRows::contributions(lease->session(), scopeOf(i), [](storage::ContributionRow&&) {});
    });
    perCall("  SQL 5 mission_links (one project)", calls, [&](int i) {
        auto lease = db.lease();
        (void)storage::PortfolioRows::missions(lease->session(), scopeOf(i));
    });
}

void portfolioPhases(storage::Database& db, const domain::Date& asOf, int runs)
{
    domain::FixedClock clock(Poco::Timestamp{});
    const auto admin = domain::Principal::system();
    report::PortfolioLoader loader(db);
    report::PortfolioQuery query;
    query.asOf = asOf;
    std::vector<report::ProjectFacts> projects;
    phase("PortfolioLoader::load (the 5 statements + rules)", runs, [&] {
        projects = loader.load(admin, query);
        return count(projects.size(), "projects") + ", VmRSS now " + std::to_string(statusKb("VmRSS") / 1024) + " MB";
    });
    report::PortfolioReportInput input;
    input.asOf = asOf;
    input.groupBy = report::Grouping::Framework;
    report::PortfolioReport built;
    phase("buildPortfolioReport (group_by=framework)", runs, [&] {
        built = report::buildPortfolioReport(projects, input);
        return std::string();
    });
    phase("renderPortfolio json (build + stringify)", runs, [&] {
        return std::to_string(report::renderPortfolio(built, report::ReportFormat::Json).body.size()) + " bytes";
    });
    phase("renderPortfolio csv", runs, [&] {
        return std::to_string(report::renderPortfolio(built, report::ReportFormat::Csv).body.size()) + " bytes";
    });
    projects.clear();
    projects.shrink_to_fit();
    phase("RollupLoader::load (the roll-up reads + rules)", runs, [&] {
        storage::ReadSnapshot snapshot(db);
        projects = report::RollupLoader::load(snapshot.session(), admin, query);
        return count(projects.size(), "projects") + ", VmRSS now " + std::to_string(statusKb("VmRSS") / 1024) + " MB";
    });
    phase("buildPortfolioReport of those (group_by=framework)", runs, [&] {
        built = report::buildPortfolioReport(projects, input);
        return std::string();
    });
    input.groupBy = report::Grouping::Partner;
    phase("buildPortfolioReport of those (group_by=partner)", runs, [&] {
        built = report::buildPortfolioReport(projects, input);
        return std::string();
    });
    projects.clear();
    projects.shrink_to_fit();
    report::ReportService reports(db, clock, domain::HealthThresholds{});
    report::PortfolioRequest request;
    request.asOf = asOf;
    request.groupBy = report::Grouping::Framework;
    phase("ReportService::portfolio framework (all of it)", runs, [&] {
        built = reports.portfolio(reports.admit(), admin, request);
        return std::string();
    });
    request.groupBy = report::Grouping::Partner;
    phase("ReportService::portfolio partner", runs, [&] {
        built = reports.portfolio(reports.admit(), admin, request);
        return std::string();
    });
}

void summaryPhases(storage::Database& db, const domain::Date& asOf, int calls)
{
    domain::FixedClock clock(Poco::Timestamp{});
    const auto admin = domain::Principal::system();
    Int64 low = 0, high = 0;
    db.lease()->session() << "SELECT MIN(id), MAX(id) FROM projects", into(low), into(high), now;
    std::mt19937 engine(7);
    std::vector<Int64> ids(static_cast<std::size_t>(calls));
    for (auto& id : ids)
        id = low + static_cast<Int64>(engine() % static_cast<std::uint32_t>(high - low + 1));
    perCall("lease a session", calls, [&](int) { auto lease = db.lease(); });
    perCall("lease + SELECT 1", calls, [&](int) {
        auto lease = db.lease();
        int one = 0;
        lease->session() << "SELECT 1", into(one), now;
    });
    perCall("lease + the sign-in's user SELECT", calls, [&](int) {
        auto lease = db.lease();
        (void)storage::UserStore(db).findById(lease->session(), 1); // the bench user
    });
    report::PortfolioLoader loader(db);
    perCall("PortfolioLoader::load one project (5 statements)", calls, [&](int i) {
        report::PortfolioQuery query;
        query.conditions.push_back(storage::PortfolioScope::projectIs(ids[static_cast<std::size_t>(i)]));
        query.asOf = asOf;
        query.keepAllMilestones = true;
        (void)loader.load(admin, query);
    });
    summarySqlPhases(db, ids);
    // With the server's secret file and a token it issued, the sign-in check each request makes.
    if (Poco::Environment::has("BENCH_TOKEN") && Poco::Environment::has("BENCH_SECRET_FILE"))
    {
        service::ResourceService resources(db, clock);
        service::AuthOptions options;
        options.secret = service::loadOrCreateSecret(Poco::Environment::get("BENCH_SECRET_FILE"));
        service::Authentication auth(db, clock, resources, options);
        const std::string token = Poco::Environment::get("BENCH_TOKEN");
        perCall("Authenticator::authenticate (JWT + user SELECT)", calls,
                [&](int) { (void)auth.authenticator().authenticate(token); });
    }
    report::ReportService reports(db, clock, domain::HealthThresholds{});
    perCall("ReportService::summary + JSON stringify", calls, [&](int i) {
        std::ostringstream out;
        report::summaryJson(reports.summary(admin, ids[static_cast<std::size_t>(i)], asOf))->stringify(out);
    });
}
} // namespace

int main(int argc, char** argv)
{
    if (argc < 2)
    {
        std::cerr << "usage: report_phases DB_URL [AS_OF] [RUNS]\n";
        return 2;
    }
    const auto asOf = domain::Date::parse(argc > 2 ? argv[2] : "2027-03-01");
    const int runs = argc > 3 ? Poco::NumberParser::parse(argv[3]) : 3;
    storage::Database db(storage::DatabaseUrl::parse(argv[1]), 4);
    std::cout << "phases on " << db.url().display << " (fastest of " << runs << " runs; single thread)" << std::endl;
    sqlPhases(db, runs);
    rollupSqlPhases(db, *asOf, runs);
    portfolioPhases(db, *asOf, runs);
    std::cout << "status summary, one random project per call:" << std::endl;
    summaryPhases(db, *asOf, 2000);
    std::cout << "  peak RSS of this process (VmHWM): " << statusKb("VmHWM") / 1024 << " MB" << std::endl;
    return 0;
}
