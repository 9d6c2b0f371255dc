#include "captrack/report/StatusSummary.h"

#include <Poco/JSON/Array.h>

#include <map>
#include <set>
#include <sstream>

namespace captrack::report
{

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace
{
Var healthValue(const std::optional<domain::Health>& health)
{
    return health ? Var(domain::nameText(*health)) : Var();
}

std::string upper(std::string text)
{
    for (auto& c : text)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

std::string summaryText(const ProjectStatus& p, const domain::Date& asOf, Poco::Int64 pledged, Poco::Int64 committed,
                        Poco::Int64 delivered, std::size_t partners)
{
    std::ostringstream text;
    text << p.code << " '" << p.title << "' ";
    if (p.effective)
        text << "is " << upper(domain::nameText(*p.effective)) << " as of " << asOf.toString();
    else
        text << "is " << domain::nameOf(p.status) << " (no health is computed for " << domain::nameOf(p.status)
             << " projects) as of " << asOf.toString();
    if (p.declared)
        text << " (declared " << domain::nameOf(*p.declared) << ": " << p.declaredReason << "; computed "
             << domain::healthName(p.computed.health) << ")";
    text << ". Progress " << p.rollup.progress << "% with " << p.rollup.done << " of " << p.rollup.total
         << " milestones done";
    if (p.rollup.overdue > 0)
        text << ", " << p.rollup.overdue << " overdue";
    text << ".";
    if (!p.computed.reasons.empty())
        text << " " << p.computed.reasons.front() << (p.computed.reasons.size() > 1 ? " (and more)." : ".");
    if (p.rollup.next)
        text << " Next: '" << p.rollup.next->title << "' due " << p.rollup.next->due().toString() << ".";
    if (p.rollup.maxSlipDays > 0)
        text << " Largest slip " << p.rollup.maxSlipDays << " days.";
    text << " Contributions: " << euros(committed) << " committed, " << euros(delivered) << " delivered and "
         << euros(pledged) << " pledged, from " << partners << (partners == 1 ? " partner." : " partners.");
    if (!p.missions.empty())
    {
        text << " Supports";
        for (std::size_t i = 0; i < p.missions.size(); ++i)
            text << (i == 0 ? " " : ", ") << p.missions[i];
        text << ".";
    }
    return text.str();
}
} // namespace

std::string euros(Poco::Int64 amount)
{
    std::string digits = std::to_string(amount < 0 ? -amount : amount);
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3)
        digits.insert(static_cast<std::size_t>(i), ",");
    return std::string(amount < 0 ? "-" : "") + "€" + digits;
}

Object::Ptr contributionRollup(const std::vector<ContributionFacts>& contributions)
{
    EurosByState euros;
    double months = 0;
    std::set<Poco::Int64> partners;
    std::map<std::string, std::set<Poco::Int64>> byFramework;
    for (const auto& c : contributions)
    {
        partners.insert(c.partnerId);
        byFramework[c.framework].insert(c.partnerId);
        if (!c.amountVisible)
            continue;
        euros.add(c);
        months += c.personMonths;
    }
    Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    out->set("pledged_eur", euros.pledged);
    out->set("committed_eur", euros.committed);
    out->set("delivered_eur", euros.delivered);
    out->set("person_months", months);
    out->set("partners", static_cast<Poco::Int64>(partners.size()));
    Object::Ptr frameworks = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& [framework, ids] : byFramework)
        frameworks->set(framework, static_cast<Poco::Int64>(ids.size()));
    out->set("by_framework", frameworks);
    return out;
}

Object::Ptr buildStatusSummary(const ProjectStatus& p, const domain::Date& asOf)
{
    Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    out->set("project_id", p.id);
    out->set("project_code", p.code);
    out->set("project_title", p.title);
    out->set("project_status", domain::nameText(p.status));
    out->set("as_of", asOf.toString());
    out->set("computed_health", healthValue(p.computed.health));
    Array::Ptr reasons = new Array;
    for (const auto& reason : p.computed.reasons)
        reasons->add(reason);
    out->set("health_reasons", reasons);
    out->set("declared_health", healthValue(p.declared));
    out->set("declared_reason", p.declared ? Var(p.declaredReason) : Var());
    out->set("effective_health", healthValue(p.effective));
    out->set("progress", p.rollup.progress);

    Object::Ptr milestones = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    milestones->set("total", p.rollup.total);
    milestones->set("done", p.rollup.done);
    milestones->set("overdue", p.rollup.overdue);
    milestones->set("max_slip_days", static_cast<Poco::Int64>(p.rollup.maxSlipDays));
    out->set("milestones", milestones);
    if (p.rollup.next)
    {
        Object::Ptr next = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        next->set("id", p.rollup.next->id);
        next->set("title", p.rollup.next->title);
        next->set("due", p.rollup.next->due().toString());
        out->set("next_milestone", next);
    }
    else
        out->set("next_milestone", Var());

    const auto contributions = contributionRollup(p.contributions);
    out->set("contributions", contributions);
    Array::Ptr missions = new Array;
    for (const auto& code : p.missions)
        missions->add(code);
    out->set("missions", missions);
    out->set("text", summaryText(p, asOf, contributions->getValue<Poco::Int64>("pledged_eur"),
                                 contributions->getValue<Poco::Int64>("committed_eur"),
                                 contributions->getValue<Poco::Int64>("delivered_eur"),
                                 static_cast<std::size_t>(contributions->getValue<Poco::Int64>("partners"))));
    return out;
}

} // namespace captrack::report
