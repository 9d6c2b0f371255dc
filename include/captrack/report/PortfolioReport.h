#pragma once

#include "captrack/report/Grouping.h"
#include "captrack/report/ProjectFacts.h"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace captrack::report
{

/// The filters of a request as given: name and values, in the order they are echoed.
using ReportFilters = std::vector<std::pair<std::string, std::vector<std::string>>>;

/// The figures of one group of a portfolio report (or of its totals).
struct GroupFigures
{
    Poco::Int64 projects = 0; ///< each project once
    Poco::Int64 green = 0, amber = 0, red = 0, none = 0;
    Poco::Int64 milestonesTotal = 0, milestonesDone = 0, milestonesOverdue = 0;
    Poco::Int64 budgetEur = 0;
    EurosByState contributed; ///< visible amounts only
    double personMonths = 0;
};

/// One group of a portfolio report: its key (none for the projects without one), label and figures.
struct GroupRow
{
    std::optional<std::string> key;
    std::string label;
    GroupFigures figures;
};

/// An entry of the overdue or due-soon list.
struct ListedMilestone
{
    Poco::Int64 projectId = 0;
    std::string projectCode;
    Poco::Int64 milestoneId = 0;
    std::string title;
    domain::Date due = domain::Date::fromDays(0);
    long days = 0; ///< days overdue, or days left
};

/// One of the report's milestone lists, cut at the list limit, with its uncut length.
struct MilestoneList
{
    std::vector<ListedMilestone> items;
    Poco::Int64 total = 0;

    /// "showing N of TOTAL" when the list was cut, else "".
    [[nodiscard]] std::string cutNote() const;
};

/// A project with its milestones, for the HTML report's timelines.
struct TimelineProject
{
    Poco::Int64 id = 0;
    std::string code;
    std::string title;
    domain::ProjectStatus status = domain::ProjectStatus::Pipeline;
    std::optional<domain::Health> effective;
    int progress = 0;
    std::vector<domain::MilestoneFacts> milestones;
};

/// The portfolio report of docs/DOMAIN.md: rows per group key (a project is in every group it belongs to;
/// a partner or framework row counts only that partner's or framework's contributions), named keys in
/// order and the row without a key last; totals (each project once); the overdue milestones (most overdue
/// first) and those due within the look-ahead (soonest first). Every renderer (report/Renderers.h) reads
/// this, JSON included.
struct PortfolioReport
{
    domain::Date asOf = domain::Date::fromDays(0);
    Grouping groupBy = Grouping::Status;
    long lookAheadDays = 90;
    ReportFilters filters;
    std::vector<GroupRow> rows;
    GroupFigures totals;
    MilestoneList overdue;
    MilestoneList dueSoon;
    std::optional<std::vector<TimelineProject>> projects; ///< only when asked for (includeProjects)
};

/// What the report is built over.
struct PortfolioReportInput
{
    domain::Date asOf = domain::Date::fromDays(0);
    Grouping groupBy = Grouping::Status;
    ReportFilters filters; ///< echoed as given
    long lookAheadDays = 90;
    std::size_t listLimit = 1000;              ///< at most this many overdue / due-soon items
    std::map<std::string, std::string> labels; ///< display names of the group keys (key when absent)
    /// Adds `projects`: each project with its milestones (for the HTML report's timelines); needs the
    /// projects loaded with all their milestones.
    bool includeProjects = false;
};

/// Builds the portfolio report of `projects`, which hold each project once (as the loaders give them).
/// Stateless and thread-safe; throws only std::bad_alloc.
[[nodiscard]] PortfolioReport buildPortfolioReport(const std::vector<ProjectFacts>& projects,
                                                   const PortfolioReportInput& input);

} // namespace captrack::report
