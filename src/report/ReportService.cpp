#include "captrack/report/ReportService.h"

#include "captrack/Metrics.h"

#include "PortfolioTable.h"
#include "RollupTableLoader.h"

#include "captrack/Errors.h"
#include "captrack/domain/Specs.h"
#include "captrack/domain/Wording.h"
#include "captrack/report/PortfolioReport.h"
#include "captrack/report/RollupLoader.h"
#include "captrack/report/StatusSummary.h"
#include "captrack/service/ListFilters.h"
#include "captrack/storage/PortfolioScope.h"
#include "captrack/storage/ReadSnapshot.h"
#include "captrack/storage/ReferenceNames.h"

#include <algorithm>
#include <malloc.h>

namespace captrack::report
{

namespace
{
/// From this many projects a report's memory is worth handing back to the system at once.
constexpr std::size_t LARGE_PORTFOLIO = 5000;

/// Allocations from this size on get pages of their own from the system and give them back when freed.
constexpr int OWN_PAGES_FROM_BYTES = 1 << 20;

/// A report's large arrays (megabytes at 100,000 projects) go straight to and from the system. By default
/// glibc raises that size to whatever large block was last freed, so the next report's arrays come from
/// the serving thread's malloc arena instead, and an arena other than the main one keeps the top of its
/// heap (malloc_trim does not give it back): measured, 30 MB more RSS after every report served by
/// another thread, to 380 MB after 21 reports. Fixing the size (mallopt) stops that raising.
void largeBlocksToTheSystem()
{
    static const bool set = mallopt(M_MMAP_THRESHOLD, OWN_PAGES_FROM_BYTES) == 1;
    (void)set;
}
} // namespace

ReportService::ReportService(storage::Database& database, const domain::Clock& clock,
                             domain::HealthThresholds thresholds, const ReportLimits& limits)
    : _database(database), _clock(clock), _thresholds(thresholds), _loader(database), _gate(database, limits)
{
    largeBlocksToTheSystem();
}

std::size_t ReportService::purgeExpiredPermits() const
{
    return _gate.purgeExpired();
}

ReportGate::Permit ReportService::admit() const
{
    return _gate.admit();
}

const std::vector<std::string>& ReportService::filterNames()
{
    static const std::vector<std::string> names{"kind",      "status",  "framework", "partner", "capability_area",
                                                "objective", "mission", "health"};
    return names;
}

StatusSummary ReportService::summary(const domain::Principal& principal, Poco::Int64 projectId,
                                     std::optional<domain::Date> asOf) const
{
    const metrics::ReportTimer timer(metrics::Report::Summary);
    PortfolioQuery query;
    query.conditions.push_back(storage::PortfolioScope::projectIs(projectId));
    query.asOf = asOf.value_or(_clock.today());
    query.thresholds = _thresholds;
    query.keepAllMilestones = true;
    query.withObjectives = false; // a summary names missions, not objectives
    const auto projects = _loader.load(principal, query);
    if (projects.empty())
        throw NotFoundError("no project with id " + std::to_string(projectId));
    return buildStatusSummary(projects.front(), query.asOf);
}

Grouping ReportService::grouping(const std::string& text)
{
    const auto grouping = domain::parseName<Grouping>(text);
    if (!grouping)
        throw BadRequestError("group_by must be one of framework, partner, capability_area, objective, mission, "
                              "kind, status, health");
    return *grouping;
}

namespace
{
/// The health values of the `health` filter (none: projects without a health).
std::vector<std::optional<domain::Health>> healthValues(const std::vector<std::string>& values)
{
    std::vector<std::optional<domain::Health>> out;
    for (const auto& v : values)
    {
        if (v == "none")
            out.emplace_back(std::nullopt);
        else if (const auto health = domain::parseName<domain::Health>(v))
            out.emplace_back(*health);
        else
            throw BadRequestError("query parameter health: '" + v + "' is not green, amber, red or none");
    }
    return out;
}

/// The SQL condition of a project filter other than health. BadRequestError for an unknown one.
storage::Condition filterCondition(const std::string& name, const std::vector<std::string>& values)
{
    return service::filterByName(domain::projectSpec(), service::projectFilters(), name, values);
}
} // namespace

PortfolioQuery ReportService::queryFor(const PortfolioRequest& request,
                                       std::vector<std::optional<domain::Health>>& healthFilter) const
{
    if (request.listLimit > PortfolioRequest::MAX_LIST_LIMIT)
        throw BadRequestError("list_limit must be at most " + std::to_string(PortfolioRequest::MAX_LIST_LIMIT));
    PortfolioQuery query;
    query.asOf = request.asOf.value_or(_clock.today());
    query.thresholds = _thresholds;
    query.keepAllMilestones = request.includeProjects;
    query.keepAllForFirst = 300; // the HTML report draws the timelines of the first 300 projects
    // Objective and mission codes matter only to those groupings (filters on them are SQL).
    query.withObjectives = request.groupBy == Grouping::Objective;
    query.withMissions = request.groupBy == Grouping::Mission;
    for (const auto& [name, values] : request.filters)
    {
        if (name == "health")
            healthFilter = healthValues(values);
        else
            query.conditions.push_back(filterCondition(name, values));
    }
    return query;
}

void ReportService::check(const PortfolioRequest& request) const
{
    std::vector<std::optional<domain::Health>> healthFilter;
    (void)queryFor(request, healthFilter);
}

PortfolioReport ReportService::portfolio(const ReportGate::Permit&, const domain::Principal& principal,
                                         const PortfolioRequest& request) const
{
    const metrics::ReportTimer timer(metrics::Report::Portfolio);
    PortfolioReport report;
    std::size_t loaded = 0;
    {
        // One snapshot for the roll-ups, the labels and the names of the listed milestones; the report is
        // built in between, a few tens of milliseconds at 100,000 projects.
        storage::ReadSnapshot snapshot(_database);
        report = build(snapshot.session(), principal, request, loaded);
    }
    // Each server thread allocates from its own malloc arena, and an arena keeps what a large report
    // freed: without a trim, reports served by different threads stack up in RSS (measured at 100k
    // projects: 257 MB over 15 reports, against about 240 MB for any single report).
    if (loaded >= LARGE_PORTFOLIO)
        malloc_trim(0);
    return report;
}

PortfolioReport ReportService::build(Poco::Data::Session& session, const domain::Principal& principal,
                                     const PortfolioRequest& request, std::size_t& loaded) const
{
    std::vector<std::optional<domain::Health>> healthFilter;
    const PortfolioQuery query = queryFor(request, healthFilter);
    PortfolioReportInput input;
    input.asOf = query.asOf;
    input.groupBy = request.groupBy;
    input.filters.assign(request.filters.begin(), request.filters.end());
    input.listLimit = request.listLimit;
    input.includeProjects = request.includeProjects;
    input.lookAheadDays = query.lookAheadDays;
    input.labels = labelsFor(session, request.groupBy);
    PortfolioReport report;
    if (request.includeProjects)
        report = withTimelines(session, principal, query, healthFilter, input, loaded);
    else
    {
        auto table = RollupTableLoader::load(session, principal, query, request.groupBy, healthFilter);
        loaded = table.projects.size();
        report = buildFromTable(table, input);
    }
    RollupLoader::addListedNames(session, report);
    return report;
}

PortfolioReport ReportService::withTimelines(Poco::Data::Session& session, const domain::Principal& principal,
                                             const PortfolioQuery& query,
                                             const std::vector<std::optional<domain::Health>>& healthFilter,
                                             const PortfolioReportInput& input, std::size_t& loaded)
{
    auto projects = RollupLoader::load(session, principal, query);
    if (!healthFilter.empty())
        projects.erase(std::remove_if(projects.begin(), projects.end(),
                                      [&](const ProjectFacts& p) {
                                          return std::find(healthFilter.begin(), healthFilter.end(), p.effective) ==
                                                 healthFilter.end();
                                      }),
                       projects.end());
    loaded = projects.size();
    return buildPortfolioReport(projects, input);
}

std::map<std::string, std::string> ReportService::labelsFor(Poco::Data::Session& session, Grouping groupBy)
{
    using storage::ReferenceTable;
    std::optional<ReferenceTable> table;
    switch (groupBy)
    {
    case Grouping::Framework:
        table = ReferenceTable::Frameworks;
        break;
    case Grouping::Partner:
        table = ReferenceTable::Partners;
        break;
    case Grouping::CapabilityArea:
        table = ReferenceTable::CapabilityAreas;
        break;
    case Grouping::Objective:
        table = ReferenceTable::Objectives;
        break;
    case Grouping::Mission:
        table = ReferenceTable::Missions;
        break;
    case Grouping::Kind:
    case Grouping::Status:
    case Grouping::Health:
        return {};
    }
    return storage::ReferenceNames::of(session, *table);
}

} // namespace captrack::report
