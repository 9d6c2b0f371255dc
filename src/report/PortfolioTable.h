#pragma once

// Folder-private: a portfolio report's input in compact columns, and the one builder of the report over it.

#include "captrack/report/PortfolioReport.h"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace captrack::report
{

/// Names (group keys: frameworks, partner codes, capability areas, objective and mission codes, the names
/// of kinds, statuses and health) kept once each and referred to by number.
class KeyNames
{
public:
    /// The number of `name`, given a new one the first time.
    std::uint32_t numberOf(const std::string& name);
    [[nodiscard]] const std::string& name(std::uint32_t number) const { return _names[number]; }
    [[nodiscard]] std::size_t size() const { return _names.size(); }

private:
    std::vector<std::string> _names;
    std::unordered_map<std::string, std::uint32_t> _numbers;
};

/// What a portfolio report is built from, in a form that costs a few dozen bytes per project and per
/// contributing partner: built by RollupTableLoader from the roll-ups, and by buildPortfolioReport from
/// ProjectFacts. Not shared between threads.
struct PortfolioTable
{
    static constexpr std::uint32_t NO_KEY = static_cast<std::uint32_t>(-1);

    /// One partner's contributions to one project as the principal sees them (its amounts only where
    /// visible), summed by state.
    struct Share
    {
        std::uint32_t framework = NO_KEY; ///< key numbers
        std::uint32_t partner = NO_KEY;
        bool visible = true;
        EurosByState euros;
        double personMonths = 0;
    };

    /// An open milestone the lists may name: overdue, or due within the look-ahead.
    struct Due
    {
        std::uint32_t project = 0; ///< position in `projects`
        Poco::Int64 milestoneId = 0;
        domain::Date due = domain::Date::fromDays(0);
    };

    struct Project
    {
        Poco::Int64 id = 0;
        domain::ProjectKind kind = domain::ProjectKind::Capability;
        domain::ProjectStatus status = domain::ProjectStatus::Pipeline;
        std::optional<domain::Health> effective;
        std::uint32_t area = NO_KEY; ///< capability area's key number
        Poco::Int64 budgetEur = 0;
        int total = 0, done = 0, overdue = 0;     ///< milestones (not cancelled)
        bool included = true;                     ///< false: left out by a filter the loader could not apply
        std::uint32_t firstShare = 0, shares = 0; ///< its range of `shares`
        std::uint32_t firstLink = 0, links = 0;   ///< its range of `links`
    };

    std::vector<Project> projects;
    std::vector<Share> shares;        ///< in ranges by project
    std::vector<std::uint32_t> links; ///< key numbers of objective or mission codes, in ranges by project
    std::vector<Due> due;
    KeyNames keys;
    /// The projects' codes and the due milestones' titles, position for position; both empty where the
    /// loader leaves them to the listed ones (RollupLoader::addListedNames).
    std::vector<std::string> codes, titles;
};

/// The portfolio report of the table's included projects (docs/DOMAIN.md; PortfolioReport): the one
/// implementation of its groups, totals and lists. Leaves `projects` (the timelines) unset.
[[nodiscard]] PortfolioReport buildFromTable(PortfolioTable& table, const PortfolioReportInput& input);

} // namespace captrack::report
