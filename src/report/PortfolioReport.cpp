#include "captrack/report/PortfolioReport.h"

#include "PortfolioTable.h"

namespace captrack::report
{

namespace
{
PortfolioTable::Share shareOf(const ContributionFacts& c, KeyNames& keys)
{
    PortfolioTable::Share s;
    s.framework = keys.numberOf(c.framework);
    s.partner = keys.numberOf(c.partnerCode);
    s.visible = c.amountVisible;
    s.euros.add(c);
    s.personMonths = c.personMonths;
    return s;
}

/// The table of `projects`: each contribution a share of its own, the links the grouping needs, the open
/// milestones each project holds (all that a list may name).
PortfolioTable tableOf(const std::vector<ProjectFacts>& projects, Grouping groupBy)
{
    PortfolioTable table;
    table.projects.reserve(projects.size());
    for (const auto& p : projects)
    {
        const auto at = static_cast<std::uint32_t>(table.projects.size());
        PortfolioTable::Project row;
        row.id = p.id;
        row.kind = p.kind;
        row.status = p.status;
        row.effective = p.effective;
        row.area = p.capabilityArea.empty() ? PortfolioTable::NO_KEY : table.keys.numberOf(p.capabilityArea);
        row.budgetEur = p.budgetEur;
        row.total = p.rollup.total;
        row.done = p.rollup.done;
        row.overdue = p.rollup.overdue;
        row.firstShare = static_cast<std::uint32_t>(table.shares.size());
        for (const auto& c : p.contributions)
            table.shares.push_back(shareOf(c, table.keys));
        row.shares = static_cast<std::uint32_t>(table.shares.size()) - row.firstShare;
        row.firstLink = static_cast<std::uint32_t>(table.links.size());
        const auto* codes = groupBy == Grouping::Objective ? &p.objectives
                            : groupBy == Grouping::Mission ? &p.missions
                                                           : nullptr;
        if (codes)
            for (const auto& code : *codes)
                table.links.push_back(table.keys.numberOf(code));
        row.links = static_cast<std::uint32_t>(table.links.size()) - row.firstLink;
        for (const auto& m : p.milestones)
            if (m.isOpen())
            {
                table.due.push_back({at, m.id, m.due()});
                table.titles.push_back(m.title);
            }
        table.projects.push_back(std::move(row));
        table.codes.push_back(p.code);
    }
    return table;
}

std::vector<TimelineProject> timelinesOf(const std::vector<ProjectFacts>& projects)
{
    std::vector<TimelineProject> out;
    out.reserve(projects.size());
    for (const auto& p : projects)
        out.push_back({p.id, p.code, p.title, p.status, p.effective, p.rollup.progress, p.milestones});
    return out;
}
} // namespace

std::string MilestoneList::cutNote() const
{
    if (total <= static_cast<Poco::Int64>(items.size()))
        return "";
    return "showing " + std::to_string(items.size()) + " of " + std::to_string(total);
}

PortfolioReport buildPortfolioReport(const std::vector<ProjectFacts>& projects, const PortfolioReportInput& input)
{
    auto table = tableOf(projects, input.groupBy);
    PortfolioReport report = buildFromTable(table, input);
    if (input.includeProjects)
        report.projects = timelinesOf(projects);
    return report;
}

} // namespace captrack::report
