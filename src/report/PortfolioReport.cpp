#include "captrack/report/PortfolioReport.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <set>

namespace captrack::report
{

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace
{
/// One row's running sums.
struct Tally
{
    std::set<Poco::Int64> projects;
    int green = 0, amber = 0, red = 0, none = 0;
    Poco::Int64 milestones = 0, done = 0, overdue = 0, budget = 0;
    EurosByState euros;
    double months = 0;

    void addProject(const ProjectStatus& p)
    {
        if (!projects.insert(p.id).second)
            return;
        if (!p.effective)
            ++none;
        else
            ++(*p.effective == domain::Health::Green ? green : *p.effective == domain::Health::Amber ? amber : red);
        milestones += p.rollup.total;
        done += p.rollup.done;
        overdue += p.rollup.overdue;
        budget += p.budgetEur;
    }
    void addContribution(const ContributionFacts& c)
    {
        if (!c.amountVisible)
            return;
        euros.add(c);
        months += c.personMonths;
    }
    [[nodiscard]] Object::Ptr toJson() const
    {
        Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        writeTo(*out);
        return out;
    }
    void writeTo(Object& out) const
    {
        out.set("projects", static_cast<Poco::Int64>(projects.size()));
        Object::Ptr health = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        health->set("green", green);
        health->set("amber", amber);
        health->set("red", red);
        health->set("none", none);
        out.set("health", health);
        Object::Ptr ms = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        ms->set("total", milestones);
        ms->set("done", done);
        ms->set("overdue", overdue);
        out.set("milestones", ms);
        out.set("budget_eur", budget);
        Object::Ptr contributions = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        contributions->set("pledged_eur", euros.pledged);
        contributions->set("committed_eur", euros.committed);
        contributions->set("delivered_eur", euros.delivered);
        contributions->set("person_months", months);
        out.set("contributions", contributions);
    }
};

/// The group keys of a project, and for contribution-based groupings which contributions count.
std::vector<std::optional<std::string>> keysOf(const ProjectStatus& p, const std::string& groupBy)
{
    std::set<std::string> keys;
    if (groupBy == "framework" || groupBy == "partner")
        for (const auto& c : p.contributions)
            keys.insert(groupBy == "framework" ? c.framework : c.partnerCode);
    else if (groupBy == "objective")
        keys.insert(p.objectives.begin(), p.objectives.end());
    else if (groupBy == "mission")
        keys.insert(p.missions.begin(), p.missions.end());
    else if (groupBy == "capability_area")
    {
        if (!p.capabilityArea.empty())
            keys.insert(p.capabilityArea);
    }
    else if (groupBy == "kind")
        keys.insert(domain::nameText(p.kind));
    else if (groupBy == "status")
        keys.insert(domain::nameText(p.status));
    else if (groupBy == "health")
        keys.insert(domain::healthName(p.effective));
    if (keys.empty())
        return {std::nullopt};
    return {keys.begin(), keys.end()};
}

bool counts(const ContributionFacts& c, const std::string& groupBy, const std::optional<std::string>& key)
{
    if (groupBy == "framework")
        return key && c.framework == *key;
    if (groupBy == "partner")
        return key && c.partnerCode == *key;
    return true;
}

Object::Ptr milestoneItem(const ProjectStatus& p, const domain::MilestoneFacts& m, const char* daysKey, long days)
{
    Object::Ptr item = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    item->set("project_id", p.id);
    item->set("project_code", p.code);
    item->set("milestone_id", m.id);
    item->set("title", m.title);
    item->set("due", m.due().toString());
    item->set(daysKey, static_cast<Poco::Int64>(days));
    return item;
}

std::string labelOf(const PortfolioReportInput& input, const std::string& key)
{
    const auto group = input.labels.find(input.groupBy);
    if (group == input.labels.end())
        return key;
    const auto label = group->second.find(key);
    return label == group->second.end() ? key : label->second;
}

struct ListItem
{
    const ProjectStatus* project;
    const domain::MilestoneFacts* milestone;
    long days;
};

Array::Ptr toArray(std::vector<ListItem>& items, const char* daysKey, std::size_t limit,
                   const std::function<bool(const ListItem&, const ListItem&)>& before)
{
    std::sort(items.begin(), items.end(), before);
    Array::Ptr out = new Array;
    for (std::size_t i = 0; i < items.size() && i < limit; ++i)
        out->add(milestoneItem(*items[i].project, *items[i].milestone, daysKey, items[i].days));
    return out;
}
Var optionalDate(const std::optional<domain::Date>& date)
{
    return date ? Var(date->toString()) : Var();
}

Array::Ptr projectTimelines(const std::vector<ProjectStatus>& projects, const domain::Date& asOf)
{
    Array::Ptr out = new Array;
    for (const auto& p : projects)
    {
        Object::Ptr project = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        project->set("id", p.id);
        project->set("code", p.code);
        project->set("title", p.title);
        project->set("status", domain::nameText(p.status));
        project->set("effective_health", p.effective ? Var(domain::nameText(*p.effective)) : Var());
        project->set("progress", p.rollup.progress);
        Array::Ptr milestones = new Array;
        for (const auto& m : p.milestones)
        {
            Object::Ptr item = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
            item->set("id", m.id);
            item->set("title", m.title);
            item->set("baseline_date", m.baseline.toString());
            item->set("forecast_date", optionalDate(m.forecast));
            item->set("actual_date", optionalDate(m.actual));
            item->set("status", domain::nameText(m.status));
            item->set("due", m.due().toString());
            item->set("slip_days", static_cast<Poco::Int64>(m.slipDays()));
            item->set("overdue_days", static_cast<Poco::Int64>(m.overdueDays(asOf)));
            milestones->add(item);
        }
        project->set("milestones", milestones);
        out->add(project);
    }
    return out;
}
} // namespace

const std::vector<std::string>& groupings()
{
    static const std::vector<std::string> values{"framework", "partner", "capability_area", "objective",
                                                 "mission",   "kind",    "status",          "health"};
    return values;
}

Object::Ptr buildPortfolioReport(const std::vector<ProjectStatus>& projects, const PortfolioReportInput& input)
{
    std::map<std::optional<std::string>, Tally> rows;
    Tally totals;
    std::vector<ListItem> overdue, dueSoon;
    for (const auto& p : projects)
    {
        totals.addProject(p);
        for (const auto& c : p.contributions)
            totals.addContribution(c);
        for (const auto& key : keysOf(p, input.groupBy))
        {
            auto& row = rows[key];
            row.addProject(p);
            for (const auto& c : p.contributions)
                if (counts(c, input.groupBy, key))
                    row.addContribution(c);
        }
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

    Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    out->set("as_of", input.asOf.toString());
    out->set("group_by", input.groupBy);
    out->set("look_ahead_days", static_cast<Poco::Int64>(input.lookAheadDays));
    out->set("filters", input.filters ? input.filters : Object::Ptr(new Object));
    Array::Ptr rowArray = new Array;
    // Named keys in order, the row of projects without a key last.
    for (const auto& [key, tally] : rows)
    {
        if (!key)
            continue;
        Object::Ptr row = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        row->set("key", *key);
        row->set("label", labelOf(input, *key));
        tally.writeTo(*row);
        rowArray->add(row);
    }
    if (const auto it = rows.find(std::nullopt); it != rows.end())
    {
        Object::Ptr row = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        row->set("key", Var());
        row->set("label", "(none)");
        it->second.writeTo(*row);
        rowArray->add(row);
    }
    out->set("rows", rowArray);
    out->set("totals", totals.toJson());
    out->set("overdue", toArray(overdue, "overdue_days", input.listLimit, [](const ListItem& a, const ListItem& b) {
                 return a.days != b.days ? a.days > b.days : a.milestone->id < b.milestone->id;
             }));
    out->set("overdue_total", static_cast<Poco::Int64>(overdue.size()));
    out->set("due_soon", toArray(dueSoon, "days_left", input.listLimit, [](const ListItem& a, const ListItem& b) {
                 return a.days != b.days ? a.days < b.days : a.milestone->id < b.milestone->id;
             }));
    out->set("due_soon_total", static_cast<Poco::Int64>(dueSoon.size()));
    if (input.includeProjects)
        out->set("projects", projectTimelines(projects, input.asOf));
    return out;
}

} // namespace captrack::report
