// Where a portfolio report's and a status summary's time goes, timed in-process against a seeded
// database (captrack seed --synthetic N), single-threaded, with captrack's own code (libcaptrack_core.a
// of a Release build) and, for the SQL phases, the loader's five statements run alone with the same
// SQL text and the same column-vector extraction. Nothing here changes src/; it only calls it.
//
//   report_phases DB_URL [AS_OF] [RUNS]      e.g. report_phases sqlite:/tmp/x/captrack.db 2027-03-01 3

#include "captrack/domain/Clock.h"
#include "captrack/report/PortfolioLoader.h"
#include "captrack/report/PortfolioReport.h"
#include "captrack/report/Renderers.h"
#include "captrack/report/ReportService.h"
#include "captrack/report/StatusSummary.h"
#include "captrack/service/Authentication.h"
#include "captrack/service/ResourceService.h"
#include "captrack/service/SecretFile.h"
#include "captrack/storage/Database.h"

#include <Poco/Data/Statement.h>
#include <Poco/Environment.h>
#include <Poco/Nullable.h>
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
using OptionalText = Poco::Nullable<std::string>;

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

/// The loader's five statements, alone: execution and extraction into column vectors, no processing.
void sqlPhases(storage::Database& db, int runs)
{
    const std::string inScope = "project_id IN (SELECT id FROM projects WHERE 1 = 1)";
    phase("SQL 1 projects", runs, [&] {
        auto lease = db.lease();
        std::vector<Int64> ids, budgets;
        std::vector<std::string> codes, titles, kinds, statuses;
        std::vector<OptionalText> areas, declared, reasons;
        lease->session() << "SELECT id, code, title, kind, status, capability_area, budget_eur, declared_health, "
                            "declared_reason FROM projects WHERE 1 = 1 ORDER BY code",
            into(ids), into(codes), into(titles), into(kinds), into(statuses), into(areas), into(budgets),
            into(declared), into(reasons), now;
        return count(ids.size(), "rows");
    });
    phase("SQL 2 milestones (chunks of 20,000)", runs, [&] {
        auto lease = db.lease();
        std::vector<Int64> projectIds, ids, progress, weights;
        std::vector<std::string> titles, baselines, statuses;
        std::vector<OptionalText> forecasts, actuals;
        Poco::Data::Statement select(lease->session());
        select << "SELECT project_id, id, title, baseline_date, forecast_date, actual_date, status, progress, weight "
                  "FROM milestones WHERE status <> 'cancelled' AND " +
                      inScope + " ORDER BY project_id, id",
            into(projectIds), into(ids), into(titles), into(baselines), into(forecasts), into(actuals), into(statuses),
            into(progress), into(weights), limit(20000);
        std::size_t rows = 0;
        while (!select.done())
        {
            select.execute();
            rows += ids.size();
            for (auto* v : {&projectIds, &ids, &progress, &weights})
                v->clear();
            for (auto* v : {&titles, &baselines, &statuses})
                v->clear();
            forecasts.clear();
            actuals.clear();
        }
        return count(rows, "rows");
    });
    phase("SQL 3 contributions JOIN partners", runs, [&] {
        auto lease = db.lease();
        std::vector<Int64> projectIds, partnerIds, amounts;
        std::vector<std::string> codes, frameworks, roles, states;
        std::vector<double> months;
        Poco::Data::Statement select(lease->session());
        select << "SELECT c.project_id, c.partner_id, p.code, p.framework, c.role, c.state, c.amount_eur, "
                  "c.person_months FROM contributions c JOIN partners p ON p.id = c.partner_id WHERE c." +
                      inScope + " ORDER BY c.project_id, c.id",
            into(projectIds), into(partnerIds), into(codes), into(frameworks), into(roles), into(states), into(amounts),
            into(months), limit(20000);
        std::size_t rows = 0;
        while (!select.done())
        {
            select.execute();
            rows += projectIds.size();
            for (auto* v : {&projectIds, &partnerIds, &amounts})
                v->clear();
            for (auto* v : {&codes, &frameworks, &roles, &states})
                v->clear();
            months.clear();
        }
        return count(rows, "rows");
    });
    for (const auto& [name, sql] : std::vector<std::pair<std::string, std::string>>{
             {"SQL 4 project_objectives", "SELECT project_id, objective_code FROM project_objectives WHERE " + inScope +
                                              " ORDER BY project_id, objective_code"},
             {"SQL 5 mission_links JOIN missions",
              "SELECT l.project_id, m.code FROM mission_links l JOIN missions m ON m.id = l.mission_id WHERE l." +
                  inScope + " ORDER BY l.project_id, m.code"}})
    {
        phase(name, runs, [&, sql = sql] {
            auto lease = db.lease();
            std::vector<Int64> projectIds;
            std::vector<std::string> codes;
            lease->session() << sql, into(projectIds), into(codes), now;
            return count(projectIds.size(), "rows");
        });
    }
}

/// The loader's statements for one project as a summary runs them (scope "id = ?"), one by one, and
/// the milestones statement in two simpler forms, to see what each costs.
void summarySqlPhases(storage::Database& db, const std::vector<Int64>& ids)
{
    const int calls = static_cast<int>(ids.size());
    const std::string inScope = "project_id IN (SELECT id FROM projects WHERE (id = ?))";
    auto timeStatement = [&](const std::string& name, const std::string& sql, bool chunked) {
        perCall(name, calls, [&](int i) {
            auto lease = db.lease();
            Int64 id = ids[static_cast<std::size_t>(i)];
            std::vector<Int64> a, b, c, d;
            std::vector<std::string> e, f, g;
            std::vector<OptionalText> h, k;
            Poco::Data::Statement select(lease->session());
            select << sql, use(id), into(a), into(b), into(e), into(f), into(h), into(k), into(g), into(c), into(d);
            if (chunked)
            {
                select, limit(20000);
                while (!select.done())
                    select.execute();
            }
            else
                select.execute();
        });
    };
    const std::string columns =
        "SELECT project_id, id, title, baseline_date, forecast_date, actual_date, status, progress, weight ";
    timeStatement("  SQL 2 milestones IN (subquery), limit(20000)",
                  columns + "FROM milestones WHERE status <> 'cancelled' AND " + inScope + " ORDER BY project_id, id",
                  true);
    timeStatement("  same without limit()",
                  columns + "FROM milestones WHERE status <> 'cancelled' AND " + inScope + " ORDER BY project_id, id",
                  false);
    timeStatement("  as project_id = ? ORDER BY id, no limit()",
                  columns + "FROM milestones WHERE status <> 'cancelled' AND project_id = ? ORDER BY id", false);
    perCall("  SQL 4 project_objectives (one project)", calls, [&](int i) {
        auto lease = db.lease();
        Int64 id = ids[static_cast<std::size_t>(i)];
        std::vector<Int64> projectIds;
        std::vector<std::string> codes;
        lease->session() << "SELECT project_id, objective_code FROM project_objectives WHERE " + inScope +
                                " ORDER BY project_id, objective_code",
            use(id), into(projectIds), into(codes), now;
    });
}

void portfolioPhases(storage::Database& db, const domain::Date& asOf, int runs)
{
    domain::FixedClock clock(Poco::Timestamp{});
    const auto admin = domain::Principal::system();
    report::PortfolioLoader loader(db);
    report::PortfolioQuery query;
    query.asOf = asOf;
    std::vector<report::ProjectStatus> projects;
    phase("PortfolioLoader::load (the 5 statements + rules)", runs, [&] {
        projects = loader.load(admin, query);
        return count(projects.size(), "projects") + ", VmRSS now " + std::to_string(statusKb("VmRSS") / 1024) + " MB";
    });
    report::PortfolioReportInput input;
    input.asOf = asOf;
    input.groupBy = "framework";
    input.filters = new Poco::JSON::Object;
    Poco::JSON::Object::Ptr json;
    phase("buildPortfolioReport (group_by=framework)", runs, [&] {
        json = report::buildPortfolioReport(projects, input);
        return std::string();
    });
    phase("JSON stringify", runs, [&] {
        std::ostringstream out;
        json->stringify(out);
        return std::to_string(out.str().size()) + " bytes";
    });
    phase("renderPortfolio csv", runs,
          [&] { return std::to_string(report::renderPortfolio(*json, "csv").body.size()) + " bytes"; });
    projects.clear();
    projects.shrink_to_fit();
    report::ReportService reports(db, clock, domain::HealthThresholds{});
    report::PortfolioRequest request;
    request.asOf = asOf;
    request.groupBy = "framework";
    phase("ReportService::portfolio framework (all of it)", runs, [&] {
        json = reports.portfolio(reports.admit(), admin, request);
        return std::string();
    });
    request.groupBy = "partner";
    phase("ReportService::portfolio partner", runs, [&] {
        json = reports.portfolio(reports.admit(), admin, request);
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
        Int64 id = 0, userId = 1; // the bench user
        std::string username, role;
        Poco::Nullable<Int64> partner;
        Int64 disabled = 0;
        lease->session() << "SELECT id, username, role, partner_id, disabled FROM users WHERE id = ?", use(userId),
            into(id), into(username), into(role), into(partner), into(disabled), now;
    });
    report::PortfolioLoader loader(db);
    perCall("PortfolioLoader::load one project (5 statements)", calls, [&](int i) {
        report::PortfolioQuery query;
        query.conditions.push_back({"id = ?", {Poco::Dynamic::Var(ids[static_cast<std::size_t>(i)])}});
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
        reports.summary(admin, ids[static_cast<std::size_t>(i)], asOf)->stringify(out);
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
    portfolioPhases(db, *asOf, runs);
    std::cout << "status summary, one random project per call:" << std::endl;
    summaryPhases(db, *asOf, 2000);
    std::cout << "  peak RSS of this process (VmHWM): " << statusKb("VmHWM") / 1024 << " MB" << std::endl;
    return 0;
}
