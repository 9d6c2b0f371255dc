#include "captrack/report/PortfolioChanges.h"

#include "captrack/domain/Date.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace captrack::report
{

using storage::ContributionStateRow;
using storage::MilestoneStateRow;
using storage::ProjectStateRow;

namespace
{
template <typename Row, typename Key> std::map<Poco::Int64, const Row*> byId(const std::vector<Row>& rows, Key key)
{
    std::map<Poco::Int64, const Row*> index;
    for (const auto& row : rows)
        index[key(row)] = &row;
    return index;
}

std::string dueOf(const MilestoneStateRow& m)
{
    return m.forecastDate ? *m.forecastDate : m.baselineDate;
}

bool isOpen(const MilestoneStateRow& m)
{
    return m.status != "done" && m.status != "cancelled";
}

/// Days a milestone is overdue at `asOf` (0 when it is not): docs/DOMAIN.md.
long overdueDays(const MilestoneStateRow& m, const std::string& asOf)
{
    if (!isOpen(m))
        return 0;
    const auto due = domain::Date::parse(dueOf(m));
    const auto day = domain::Date::parse(asOf);
    if (!due || !day || !(*due < *day))
        return 0;
    return static_cast<long>(day->days() - due->days());
}

long daysBetween(const std::string& from, const std::string& to)
{
    const auto a = domain::Date::parse(from);
    const auto b = domain::Date::parse(to);
    return a && b ? static_cast<long>(b->days() - a->days()) : 0;
}

HealthSide sideOf(const ProjectStateRow& p)
{
    return {p.declaredHealth, p.computedHealth, p.effectiveHealth, p.healthReasons};
}

void compareProjects(const storage::PortfolioState& before, const storage::PortfolioState& after, PortfolioChanges& out)
{
    const auto old = byId(before.projects, [](const ProjectStateRow& p) { return p.projectId; });
    const auto now = byId(after.projects, [](const ProjectStateRow& p) { return p.projectId; });
    for (const auto& [id, p] : now)
    {
        const auto was = old.find(id);
        if (was == old.end())
        {
            out.projects.push_back({id, p->code, p->title, "added", "", p->status});
            continue;
        }
        const ProjectStateRow& q = *was->second;
        if (q.status != p->status)
            out.projects.push_back(
                {id, p->code, p->title, p->status == "closed" ? "closed" : "status", q.status, p->status});
        if (p->baselines > q.baselines)
            out.projects.push_back(
                {id, p->code, p->title, "rebaselined", std::to_string(q.baselines), std::to_string(p->baselines)});
        if (q.effectiveHealth != p->effectiveHealth || q.computedHealth != p->computedHealth)
            out.health.push_back({id, p->code, p->title, sideOf(q), sideOf(*p)});
    }
    for (const auto& [id, q] : old)
        if (!now.count(id))
            out.projects.push_back({id, q->code, q->title, "removed", q->status, ""});
}

void compareMilestones(const storage::PortfolioState& before, const storage::PortfolioState& after,
                       const std::map<Poco::Int64, std::string>& codes, PortfolioChanges& out)
{
    const auto old = byId(before.milestones, [](const MilestoneStateRow& m) { return m.milestoneId; });
    for (const auto& m : after.milestones)
    {
        const auto code = codes.count(m.projectId) ? codes.at(m.projectId) : std::string();
        auto change = [&](const std::string& kind, std::optional<std::string> dueBefore, long days) {
            out.milestones.push_back(
                {m.milestoneId, m.projectId, code, m.title, kind, std::move(dueBefore), dueOf(m), days});
        };
        const auto was = old.find(m.milestoneId);
        if (was == old.end())
        {
            change("added", std::nullopt, 0);
            continue;
        }
        const MilestoneStateRow& q = *was->second;
        if (m.status == "cancelled" && q.status != "cancelled")
            change("cancelled", dueOf(q), 0);
        else if (m.status == "done" && q.status != "done")
            change("completed", dueOf(q), 0);
        if (!isOpen(m))
            continue;
        const long slip = daysBetween(dueOf(q), dueOf(m));
        if (slip > 0)
            change("slipped", dueOf(q), slip);
        const long overdue = overdueDays(m, after.asOf);
        if (overdue > 0 && overdueDays(q, before.asOf) == 0)
            change("newly_overdue", dueOf(q), overdue);
    }
}

void compareContributions(const storage::PortfolioState& before, const storage::PortfolioState& after,
                          const std::map<Poco::Int64, std::string>& codes, PortfolioChanges& out)
{
    const auto old = byId(before.contributions, [](const ContributionStateRow& c) { return c.contributionId; });
    const auto now = byId(after.contributions, [](const ContributionStateRow& c) { return c.contributionId; });
    auto codeOf = [&codes](Poco::Int64 project) { return codes.count(project) ? codes.at(project) : std::string(); };
    for (const auto& [id, c] : now)
    {
        const auto was = old.find(id);
        if (was == old.end())
        {
            out.contributions.push_back({id, c->projectId, codeOf(c->projectId), c->partnerCode, "added", std::nullopt,
                                         c->state, 0, c->amountEur});
            continue;
        }
        const ContributionStateRow& q = *was->second;
        if (q.state != c->state || q.amountEur != c->amountEur)
            out.contributions.push_back({id, c->projectId, codeOf(c->projectId), c->partnerCode,
                                         q.state != c->state ? "state" : "amount", q.state, c->state, q.amountEur,
                                         c->amountEur});
    }
    for (const auto& [id, q] : old)
        if (!now.count(id))
            out.contributions.push_back({id, q->projectId, codeOf(q->projectId), q->partnerCode, "removed", q->state,
                                         std::nullopt, q->amountEur, 0});
}

template <typename Change> void sortByProject(std::vector<Change>& changes)
{
    std::stable_sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) {
        return std::tie(a.projectCode, a.projectId) < std::tie(b.projectCode, b.projectId);
    });
}
} // namespace

StateTotals totalsOf(const storage::PortfolioState& state)
{
    StateTotals totals;
    for (const auto& p : state.projects)
    {
        ++totals.projects;
        totals.budgetEur += p.budgetEur;
        const auto& health = p.effectiveHealth;
        (health == std::optional<std::string>("green")   ? totals.green
         : health == std::optional<std::string>("amber") ? totals.amber
         : health == std::optional<std::string>("red")   ? totals.red
                                                         : totals.none)++;
    }
    for (const auto& m : state.milestones)
    {
        if (m.status == "cancelled")
            continue;
        ++totals.milestones;
        totals.done += m.status == "done" ? 1 : 0;
        totals.overdue += overdueDays(m, state.asOf) > 0 ? 1 : 0;
    }
    for (const auto& c : state.contributions)
    {
        (c.state == "delivered"   ? totals.deliveredEur
         : c.state == "committed" ? totals.committedEur
                                  : totals.pledgedEur) += c.amountEur;
        totals.personMonths += c.personMonths;
    }
    return totals;
}

PortfolioChanges comparePortfolios(const storage::PortfolioState& before, const storage::PortfolioState& after)
{
    PortfolioChanges out;
    out.fromAsOf = before.asOf;
    out.toAsOf = after.asOf;
    out.before = totalsOf(before);
    out.after = totalsOf(after);
    std::map<Poco::Int64, std::string> codes;
    for (const auto* state : {&before, &after})
        for (const auto& p : state->projects)
            codes[p.projectId] = p.code;
    compareProjects(before, after, out);
    compareMilestones(before, after, codes, out);
    compareContributions(before, after, codes, out);
    auto byCode = [](const auto& a, const auto& b) {
        return std::tie(a.code, a.projectId) < std::tie(b.code, b.projectId);
    };
    std::stable_sort(out.health.begin(), out.health.end(), byCode);
    std::stable_sort(out.projects.begin(), out.projects.end(), byCode);
    sortByProject(out.milestones);
    sortByProject(out.contributions);
    return out;
}

} // namespace captrack::report
