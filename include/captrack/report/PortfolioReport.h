#pragma once

#include "captrack/report/ProjectStatus.h"

#include <Poco/JSON/Object.h>

#include <map>
#include <string>
#include <vector>

namespace captrack::report
{

/// The groupings of DESIGN.md's portfolio report.
[[nodiscard]] const std::vector<std::string>& groupings();

/// Display names for group keys, by grouping (e.g. labels["framework"]["EAPC"]).
using GroupLabels = std::map<std::string, std::map<std::string, std::string>>;

/// What the report is built over.
struct PortfolioReportInput
{
    domain::Date asOf = domain::Date::fromDays(0);
    std::string groupBy = "status";
    Poco::JSON::Object::Ptr filters; ///< echoed as given
    long lookAheadDays = 90;
    std::size_t listLimit = 1000; ///< at most this many overdue / due-soon items
    GroupLabels labels;
    /// Adds "projects": each project with its milestones (for the HTML report's timelines); needs
    /// the projects loaded with all their milestones.
    bool includeProjects = false;
};

/// The portfolio report of DESIGN.md as JSON: rows per group key (a project is in every group it
/// belongs to; a partner or framework row counts only that partner's or framework's contributions),
/// totals (each project once), the overdue milestones (most overdue first) and those due within the
/// look-ahead (soonest first), with overdue_total and due_soon_total when the lists are cut. Stateless.
[[nodiscard]] Poco::JSON::Object::Ptr buildPortfolioReport(const std::vector<ProjectStatus>& projects,
                                                           const PortfolioReportInput& input);

} // namespace captrack::report
