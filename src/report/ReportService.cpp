#include "captrack/report/ReportService.h"

#include "captrack/Errors.h"
#include "captrack/domain/Specs.h"
#include "captrack/domain/Wording.h"
#include "captrack/report/PortfolioReport.h"
#include "captrack/report/StatusSummary.h"
#include "captrack/service/ListFilters.h"
#include "captrack/storage/PortfolioScope.h"
#include "captrack/storage/ReferenceNames.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <malloc.h>

namespace captrack::report
{

namespace
{
/// From this many projects a report's memory is worth handing back to the system at once.
constexpr std::size_t LARGE_PORTFOLIO = 5000;
} // namespace

ReportService::ReportService(storage::Database& database, const domain::Clock& clock,
                             domain::HealthThresholds thresholds, const ReportLimits& limits)
    : _database(database), _clock(clock), _thresholds(thresholds), _loader(database), _gate(database, limits)
{
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

Poco::JSON::Object::Ptr ReportService::summary(const domain::Principal& principal, Poco::Int64 projectId,
                                               std::optional<domain::Date> asOf) const
{
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

PortfolioQuery ReportService::queryFor(const PortfolioRequest& request, std::vector<std::string>& healthFilter,
                                       Poco::JSON::Object& echo) const
{
    if (std::find(groupings().begin(), groupings().end(), request.groupBy) == groupings().end())
        throw BadRequestError("group_by must be one of framework, partner, capability_area, objective, mission, "
                              "kind, status, health");
    if (request.listLimit > PortfolioRequest::MAX_LIST_LIMIT)
        throw BadRequestError("list_limit must be at most " + std::to_string(PortfolioRequest::MAX_LIST_LIMIT));
    PortfolioQuery query;
    query.asOf = request.asOf.value_or(_clock.today());
    query.thresholds = _thresholds;
    query.keepAllMilestones = request.includeProjects;
    query.keepAllForFirst = 300; // the HTML report draws the timelines of the first 300 projects
    // Objective and mission codes matter only to those groupings (filters on them are SQL).
    query.withObjectives = request.groupBy == "objective";
    query.withMissions = request.groupBy == "mission";
    const auto projectFilters = service::projectFilters();
    for (const auto& [name, values] : request.filters)
    {
        Poco::JSON::Array::Ptr given = new Poco::JSON::Array;
        for (const auto& v : values)
            given->add(v);
        echo.set(name, given);
        if (name == "health")
        {
            for (const auto& v : values)
                if (v != "green" && v != "amber" && v != "red" && v != "none")
                    throw BadRequestError("query parameter health: '" + v + "' is not green, amber, red or none");
            healthFilter = values;
        }
        else if (const auto* field = domain::projectSpec().field(name); field && field->filterable)
            query.conditions.push_back(service::fieldFilter(*field, values));
        else
        {
            const auto filter =
                std::find_if(projectFilters.begin(), projectFilters.end(),
                             [&wanted = name](const service::ListFilter& f) { return f.name == wanted; });
            if (filter == projectFilters.end())
                throw BadRequestError(domain::unknownQueryParameter(name));
            query.conditions.push_back(filter->condition(values));
        }
    }
    return query;
}

void ReportService::check(const PortfolioRequest& request) const
{
    std::vector<std::string> healthFilter;
    Poco::JSON::Object echo;
    (void)queryFor(request, healthFilter, echo);
}

Poco::JSON::Object::Ptr ReportService::portfolio(const ReportGate::Permit&, const domain::Principal& principal,
                                                 const PortfolioRequest& request) const
{
    std::vector<std::string> healthFilter;
    Poco::JSON::Object::Ptr echo = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    const PortfolioQuery query = queryFor(request, healthFilter, *echo);
    auto projects = _loader.load(principal, query);
    if (!healthFilter.empty())
        projects.erase(std::remove_if(projects.begin(), projects.end(),
                                      [&](const ProjectStatus& p) {
                                          return std::find(healthFilter.begin(), healthFilter.end(),
                                                           domain::healthName(p.effective)) == healthFilter.end();
                                      }),
                       projects.end());
    PortfolioReportInput input;
    input.asOf = query.asOf;
    input.groupBy = request.groupBy;
    input.filters = echo;
    input.listLimit = request.listLimit;
    input.includeProjects = request.includeProjects;
    input.lookAheadDays = query.lookAheadDays;
    input.labels[request.groupBy] = labelsFor(request.groupBy);
    auto report = buildPortfolioReport(projects, input);
    const std::size_t loaded = projects.size();
    std::vector<ProjectStatus>().swap(projects);
    // Each server thread allocates from its own malloc arena, and an arena keeps what a large report
    // freed: without a trim, reports served by different threads stack up in RSS (measured at 100k
    // projects: 257 MB over 15 reports, against about 240 MB for any single report).
    if (loaded >= LARGE_PORTFOLIO)
        malloc_trim(0);
    return report;
}

std::map<std::string, std::string> ReportService::labelsFor(const std::string& groupBy) const
{
    using storage::ReferenceTable;
    static const std::map<std::string, ReferenceTable> tables{{"framework", ReferenceTable::Frameworks},
                                                              {"partner", ReferenceTable::Partners},
                                                              {"capability_area", ReferenceTable::CapabilityAreas},
                                                              {"objective", ReferenceTable::Objectives},
                                                              {"mission", ReferenceTable::Missions}};
    const auto table = tables.find(groupBy);
    if (table == tables.end())
        return {};
    auto pLease = _database.lease();
    return storage::ReferenceNames::of(pLease->session(), table->second);
}

} // namespace captrack::report
