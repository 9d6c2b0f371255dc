// What changed between two states of the portfolio, as the API's JSON answer (docs/HTTP.md "What changed").

#include "RenderFormats.h"

#include <Poco/JSON/Array.h>

namespace captrack::report::detail
{

namespace
{
using Object = Poco::JSON::Object;
using Var = Poco::Dynamic::Var;

Object::Ptr newObject()
{
    return new Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

Var optional(const std::optional<std::string>& text)
{
    return text ? Var(*text) : Var();
}

Object::Ptr totalsJson(const StateTotals& t)
{
    auto health = newObject();
    health->set("green", t.green);
    health->set("amber", t.amber);
    health->set("red", t.red);
    health->set("none", t.none);
    auto milestones = newObject();
    milestones->set("total", t.milestones);
    milestones->set("done", t.done);
    milestones->set("overdue", t.overdue);
    auto contributions = newObject();
    contributions->set("pledged_eur", t.pledgedEur);
    contributions->set("committed_eur", t.committedEur);
    contributions->set("delivered_eur", t.deliveredEur);
    contributions->set("person_months", t.personMonths);
    auto out = newObject();
    out->set("projects", t.projects);
    out->set("health", health);
    out->set("milestones", milestones);
    out->set("budget_eur", t.budgetEur);
    out->set("contributions", contributions);
    return out;
}

Object::Ptr sideJson(const HealthSide& side)
{
    auto out = newObject();
    out->set("declared", optional(side.declared));
    out->set("computed", optional(side.computed));
    out->set("effective", optional(side.effective));
    Poco::JSON::Array::Ptr reasons = new Poco::JSON::Array;
    for (const auto& reason : side.reasons)
        reasons->add(reason);
    out->set("reasons", reasons);
    return out;
}

Object::Ptr endJson(const std::string& name, const std::string& asOf)
{
    auto out = newObject();
    out->set("snapshot", name);
    out->set("as_of", asOf);
    return out;
}
} // namespace

Poco::JSON::Object::Ptr changesJson(const PortfolioChanges& changes)
{
    Poco::JSON::Array::Ptr health = new Poco::JSON::Array;
    for (const auto& h : changes.health)
    {
        auto item = newObject();
        item->set("project_id", h.projectId);
        item->set("project_code", h.code);
        item->set("title", h.title);
        item->set("from", sideJson(h.from));
        item->set("to", sideJson(h.to));
        health->add(item);
    }
    Poco::JSON::Array::Ptr projects = new Poco::JSON::Array;
    for (const auto& p : changes.projects)
    {
        auto item = newObject();
        item->set("project_id", p.projectId);
        item->set("project_code", p.code);
        item->set("title", p.title);
        item->set("change", p.change);
        item->set("from", p.from.empty() ? Var() : Var(p.from));
        item->set("to", p.to.empty() ? Var() : Var(p.to));
        projects->add(item);
    }
    Poco::JSON::Array::Ptr milestones = new Poco::JSON::Array;
    for (const auto& m : changes.milestones)
    {
        auto item = newObject();
        item->set("milestone_id", m.milestoneId);
        item->set("project_id", m.projectId);
        item->set("project_code", m.projectCode);
        item->set("title", m.title);
        item->set("change", m.change);
        item->set("due_before", optional(m.dueBefore));
        item->set("due_after", optional(m.dueAfter));
        item->set("days", static_cast<Poco::Int64>(m.days));
        milestones->add(item);
    }
    Poco::JSON::Array::Ptr contributions = new Poco::JSON::Array;
    for (const auto& c : changes.contributions)
    {
        auto item = newObject();
        item->set("contribution_id", c.contributionId);
        item->set("project_id", c.projectId);
        item->set("project_code", c.projectCode);
        item->set("partner_code", c.partnerCode);
        item->set("change", c.change);
        item->set("state_before", optional(c.stateBefore));
        item->set("state_after", optional(c.stateAfter));
        item->set("amount_eur_before", c.amountBefore);
        item->set("amount_eur_after", c.amountAfter);
        contributions->add(item);
    }
    auto totals = newObject();
    totals->set("before", totalsJson(changes.before));
    totals->set("after", totalsJson(changes.after));
    auto out = newObject();
    out->set("from", endJson(changes.fromName, changes.fromAsOf));
    out->set("to", endJson(changes.toName, changes.toAsOf));
    out->set("totals", totals);
    out->set("health", health);
    out->set("projects", projects);
    out->set("milestones", milestones);
    out->set("contributions", contributions);
    return out;
}

} // namespace captrack::report::detail
