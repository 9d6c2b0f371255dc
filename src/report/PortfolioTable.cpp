#include "PortfolioTable.h"

#include <algorithm>

namespace captrack::report
{

using Project = PortfolioTable::Project;
using Share = PortfolioTable::Share;
using Due = PortfolioTable::Due;

std::uint32_t KeyNames::numberOf(const std::string& name)
{
    const auto [it, added] = _numbers.emplace(name, static_cast<std::uint32_t>(_names.size()));
    if (added)
        _names.push_back(name);
    return it->second;
}

namespace
{
/// One group's running sums. Projects come one at a time, each once, so a project is counted when it
/// first arrives.
struct Tally
{
    std::optional<std::uint32_t> lastProject;
    Poco::Int64 projects = 0;
    GroupFigures figures;

    void addProject(std::uint32_t at, const Project& p)
    {
        if (lastProject == at)
            return;
        lastProject = at;
        ++projects;
        auto& f = figures;
        if (!p.effective)
            ++f.none;
        else
            ++(*p.effective == domain::Health::Green   ? f.green
               : *p.effective == domain::Health::Amber ? f.amber
                                                       : f.red);
        f.milestonesTotal += p.total;
        f.milestonesDone += p.done;
        f.milestonesOverdue += p.overdue;
        f.budgetEur += p.budgetEur;
    }
    void addShare(const Share& s)
    {
        if (!s.visible)
            return;
        figures.contributed.pledged += s.euros.pledged;
        figures.contributed.committed += s.euros.committed;
        figures.contributed.delivered += s.euros.delivered;
        figures.personMonths += s.personMonths;
    }
    [[nodiscard]] GroupFigures done() const
    {
        GroupFigures out = figures;
        out.projects = projects;
        return out;
    }
};

/// The key numbers of the names of kinds, statuses and health (none included), for those groupings.
struct NameKeys
{
    explicit NameKeys(KeyNames& keys)
    {
        for (const auto kind : domain::allValues<domain::ProjectKind>())
            this->kind.push_back(keys.numberOf(domain::nameText(kind)));
        for (const auto status : domain::allValues<domain::ProjectStatus>())
            this->status.push_back(keys.numberOf(domain::nameText(status)));
        for (const auto health : domain::allValues<domain::Health>())
            this->health.push_back(keys.numberOf(domain::healthName(health)));
        none = keys.numberOf(domain::healthName(std::nullopt));
    }
    std::vector<std::uint32_t> kind, status, health;
    std::uint32_t none = 0;
};

/// The key numbers of a project's groups, each once, into `keys` (only NO_KEY: the row without a key).
void keysOf(const PortfolioTable& table, const Project& p, Grouping groupBy, const NameKeys& names,
            std::vector<std::uint32_t>& keys)
{
    keys.clear();
    const auto shares = table.shares.begin() + p.firstShare;
    switch (groupBy)
    {
    case Grouping::Framework:
    case Grouping::Partner:
        for (auto s = shares; s != shares + p.shares; ++s)
            keys.push_back(groupBy == Grouping::Framework ? s->framework : s->partner);
        break;
    case Grouping::Objective:
    case Grouping::Mission:
        keys.insert(keys.end(), table.links.begin() + p.firstLink, table.links.begin() + p.firstLink + p.links);
        break;
    case Grouping::CapabilityArea:
        if (p.area != PortfolioTable::NO_KEY)
            keys.push_back(p.area);
        break;
    case Grouping::Kind:
        keys.push_back(names.kind[static_cast<std::size_t>(p.kind)]);
        break;
    case Grouping::Status:
        keys.push_back(names.status[static_cast<std::size_t>(p.status)]);
        break;
    case Grouping::Health:
        keys.push_back(p.effective ? names.health[static_cast<std::size_t>(*p.effective)] : names.none);
        break;
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    if (keys.empty())
        keys.push_back(PortfolioTable::NO_KEY);
}

/// Whether a partner's contributions count in the group `key`: for a partner or framework grouping only
/// that partner's or framework's do.
bool counts(const Share& s, Grouping groupBy, std::uint32_t key)
{
    if (groupBy == Grouping::Framework)
        return key != PortfolioTable::NO_KEY && s.framework == key;
    if (groupBy == Grouping::Partner)
        return key != PortfolioTable::NO_KEY && s.partner == key;
    return true;
}

/// An open milestone that is overdue or due soon, by reference until the list is cut.
struct Candidate
{
    const Due* due;
    long days;
};

/// The first `limit` candidates in the order `before`, and how many there were.
template <class Before>
MilestoneList cut(const PortfolioTable& table, std::vector<Candidate>& candidates, std::size_t limit, Before before)
{
    std::sort(candidates.begin(), candidates.end(), before);
    MilestoneList list;
    list.total = static_cast<Poco::Int64>(candidates.size());
    for (std::size_t i = 0; i < candidates.size() && i < limit; ++i)
    {
        const Due& d = *candidates[i].due;
        const auto at = static_cast<std::size_t>(candidates[i].due - table.due.data());
        list.items.push_back({table.projects[d.project].id,
                              table.codes.empty() ? std::string() : table.codes[d.project], d.milestoneId,
                              table.titles.empty() ? std::string() : table.titles[at], d.due, candidates[i].days});
    }
    return list;
}

/// The overdue list (most overdue first) and the due-soon list (soonest first), each cut at the limit.
void addLists(const PortfolioTable& table, const PortfolioReportInput& input, PortfolioReport& report)
{
    std::vector<Candidate> overdue, dueSoon;
    for (const auto& d : table.due)
    {
        if (!table.projects[d.project].included)
            continue;
        const long left = d.due.daysSince(input.asOf);
        if (left < 0)
            overdue.push_back({&d, -left});
        else if (left <= input.lookAheadDays)
            dueSoon.push_back({&d, left});
    }
    report.overdue = cut(table, overdue, input.listLimit, [](const Candidate& a, const Candidate& b) {
        return a.days != b.days ? a.days > b.days : a.due->milestoneId < b.due->milestoneId;
    });
    report.dueSoon = cut(table, dueSoon, input.listLimit, [](const Candidate& a, const Candidate& b) {
        return a.days != b.days ? a.days < b.days : a.due->milestoneId < b.due->milestoneId;
    });
}

std::string labelOf(const PortfolioReportInput& input, const std::string& key)
{
    const auto label = input.labels.find(key);
    return label == input.labels.end() ? key : label->second;
}

/// Named keys in order, the row of projects without a key last.
std::vector<GroupRow> rowsOf(const KeyNames& keys, const std::vector<Tally>& tallies, const std::optional<Tally>& none,
                             const PortfolioReportInput& input)
{
    std::vector<std::uint32_t> used;
    for (std::uint32_t k = 0; k < tallies.size(); ++k)
        if (tallies[k].projects > 0)
            used.push_back(k);
    std::sort(used.begin(), used.end(), [&](std::uint32_t a, std::uint32_t b) { return keys.name(a) < keys.name(b); });
    std::vector<GroupRow> rows;
    for (const auto k : used)
        rows.push_back({keys.name(k), labelOf(input, keys.name(k)), tallies[k].done()});
    if (none)
        rows.push_back({std::nullopt, "(none)", none->done()});
    return rows;
}
} // namespace

PortfolioReport buildFromTable(PortfolioTable& table, const PortfolioReportInput& input)
{
    const NameKeys names(table.keys);
    std::vector<Tally> tallies(table.keys.size());
    std::optional<Tally> none;
    Tally totals;
    std::vector<std::uint32_t> keys;
    for (std::uint32_t at = 0; at < table.projects.size(); ++at)
    {
        const Project& p = table.projects[at];
        if (!p.included)
            continue;
        const auto shares = table.shares.begin() + p.firstShare;
        totals.addProject(at, p);
        for (auto s = shares; s != shares + p.shares; ++s)
            totals.addShare(*s);
        keysOf(table, p, input.groupBy, names, keys);
        for (const auto key : keys)
        {
            Tally& tally = key == PortfolioTable::NO_KEY ? (none ? *none : none.emplace()) : tallies[key];
            tally.addProject(at, p);
            for (auto s = shares; s != shares + p.shares; ++s)
                if (counts(*s, input.groupBy, key))
                    tally.addShare(*s);
        }
    }
    PortfolioReport report;
    report.asOf = input.asOf;
    report.groupBy = input.groupBy;
    report.lookAheadDays = input.lookAheadDays;
    report.filters = input.filters;
    report.rows = rowsOf(table.keys, tallies, none, input);
    report.totals = totals.done();
    addLists(table, input, report);
    return report;
}

} // namespace captrack::report
