#include "captrack/report/PortfolioReport.h"

#include <algorithm>
#include <set>

namespace captrack::report
{

namespace
{
/// One group's running sums: the figures and which projects are counted already.
struct Tally
{
    std::set<Poco::Int64> projects;
    GroupFigures figures;

    void addProject(const ProjectFacts& p)
    {
        if (!projects.insert(p.id).second)
            return;
        auto& f = figures;
        if (!p.effective)
            ++f.none;
        else
            ++(*p.effective == domain::Health::Green   ? f.green
               : *p.effective == domain::Health::Amber ? f.amber
                                                       : f.red);
        f.milestonesTotal += p.rollup.total;
        f.milestonesDone += p.rollup.done;
        f.milestonesOverdue += p.rollup.overdue;
        f.budgetEur += p.budgetEur;
    }
    void addContribution(const ContributionFacts& c)
    {
        if (!c.amountVisible)
            return;
        figures.contributed.add(c);
        figures.personMonths += c.personMonths;
    }
    [[nodiscard]] GroupFigures done() const
    {
        GroupFigures out = figures;
        out.projects = static_cast<Poco::Int64>(projects.size());
        return out;
    }
};

/// The group keys of a project (none: the project belongs to the row without a key).
std::vector<std::optional<std::string>> keysOf(const ProjectFacts& p, Grouping groupBy)
{
    std::set<std::string> keys;
    switch (groupBy)
    {
    case Grouping::Framework:
    case Grouping::Partner:
        for (const auto& c : p.contributions)
            keys.insert(groupBy == Grouping::Framework ? c.framework : c.partnerCode);
        break;
    case Grouping::Objective:
        keys.insert(p.objectives.begin(), p.objectives.end());
        break;
    case Grouping::Mission:
        keys.insert(p.missions.begin(), p.missions.end());
        break;
    case Grouping::CapabilityArea:
        if (!p.capabilityArea.empty())
            keys.insert(p.capabilityArea);
        break;
    case Grouping::Kind:
        keys.insert(domain::nameText(p.kind));
        break;
    case Grouping::Status:
        keys.insert(domain::nameText(p.status));
        break;
    case Grouping::Health:
        keys.insert(domain::healthName(p.effective));
        break;
    }
    if (keys.empty())
        return {std::nullopt};
    return {keys.begin(), keys.end()};
}

/// Whether a contribution counts in the group `key`: for a partner or framework grouping only that
/// partner's or framework's contributions do.
bool counts(const ContributionFacts& c, Grouping groupBy, const std::optional<std::string>& key)
{
    if (groupBy == Grouping::Framework)
        return key && c.framework == *key;
    if (groupBy == Grouping::Partner)
        return key && c.partnerCode == *key;
    return true;
}

/// An open milestone that is overdue or due soon, by reference until the list is cut.
struct Candidate
{
    const ProjectFacts* project;
    const domain::MilestoneFacts* milestone;
    long days;
};

/// The open milestones that are overdue, and those due within the look-ahead.
struct Lists
{
    std::vector<Candidate> overdue, dueSoon;

    void add(const ProjectFacts& p, const PortfolioReportInput& input)
    {
        for (const auto& m : p.milestones)
        {
            if (!m.isOpen())
                continue;
            const long late = m.overdueDays(input.asOf);
            const long left = m.due().daysSince(input.asOf);
            if (late > 0)
                overdue.push_back({&p, &m, late});
            else if (left >= 0 && left <= input.lookAheadDays)
                dueSoon.push_back({&p, &m, left});
        }
    }
};

/// The first `limit` candidates in the order `before`, and how many there were.
template <class Before> MilestoneList cut(std::vector<Candidate>& candidates, std::size_t limit, Before before)
{
    std::sort(candidates.begin(), candidates.end(), before);
    MilestoneList list;
    list.total = static_cast<Poco::Int64>(candidates.size());
    for (std::size_t i = 0; i < candidates.size() && i < limit; ++i)
    {
        const auto& [p, m, days] = candidates[i];
        list.items.push_back({p->id, p->code, m->id, m->title, m->due(), days});
    }
    return list;
}

std::string labelOf(const PortfolioReportInput& input, const std::string& key)
{
    const auto label = input.labels.find(key);
    return label == input.labels.end() ? key : label->second;
}

/// Named keys in order, the row of projects without a key last.
std::vector<GroupRow> rowsOf(const std::map<std::optional<std::string>, Tally>& tallies,
                             const PortfolioReportInput& input)
{
    std::vector<GroupRow> rows;
    for (const auto& [key, tally] : tallies)
        if (key)
            rows.push_back({key, labelOf(input, *key), tally.done()});
    if (const auto it = tallies.find(std::nullopt); it != tallies.end())
        rows.push_back({std::nullopt, "(none)", it->second.done()});
    return rows;
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
    std::map<std::optional<std::string>, Tally> tallies;
    Tally totals;
    Lists lists;
    for (const auto& p : projects)
    {
        totals.addProject(p);
        for (const auto& c : p.contributions)
            totals.addContribution(c);
        for (const auto& key : keysOf(p, input.groupBy))
        {
            auto& tally = tallies[key];
            tally.addProject(p);
            for (const auto& c : p.contributions)
                if (counts(c, input.groupBy, key))
                    tally.addContribution(c);
        }
        lists.add(p, input);
    }
    PortfolioReport report;
    report.asOf = input.asOf;
    report.groupBy = input.groupBy;
    report.lookAheadDays = input.lookAheadDays;
    report.filters = input.filters;
    report.rows = rowsOf(tallies, input);
    report.totals = totals.done();
    report.overdue = cut(lists.overdue, input.listLimit, [](const Candidate& a, const Candidate& b) {
        return a.days != b.days ? a.days > b.days : a.milestone->id < b.milestone->id;
    });
    report.dueSoon = cut(lists.dueSoon, input.listLimit, [](const Candidate& a, const Candidate& b) {
        return a.days != b.days ? a.days < b.days : a.milestone->id < b.milestone->id;
    });
    if (input.includeProjects)
        report.projects = timelinesOf(projects);
    return report;
}

} // namespace captrack::report
