#include "JsonValues.h"
#include "RenderFormats.h"

#include <Poco/JSON/Array.h>

namespace captrack::report::detail
{

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace
{
Array::Ptr textArray(const std::vector<std::string>& texts)
{
    Array::Ptr out = new Array;
    for (const auto& text : texts)
        out->add(text);
    return out;
}

Object::Ptr milestonesJson(const domain::MilestoneRollup& rollup)
{
    Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    out->set("total", rollup.total);
    out->set("done", rollup.done);
    out->set("overdue", rollup.overdue);
    out->set("max_slip_days", static_cast<Poco::Int64>(rollup.maxSlipDays));
    return out;
}

Var nextJson(const std::optional<NextMilestone>& next)
{
    if (!next)
        return Var();
    Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    out->set("id", next->id);
    out->set("title", next->title);
    out->set("due", next->due.toString());
    return out;
}

Object::Ptr contributionsJson(const ContributionRollup& rollup)
{
    Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    out->set("pledged_eur", rollup.euros.pledged);
    out->set("committed_eur", rollup.euros.committed);
    out->set("delivered_eur", rollup.euros.delivered);
    out->set("person_months", rollup.personMonths);
    out->set("partners", rollup.partners);
    Object::Ptr frameworks = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& [framework, count] : rollup.partnersByFramework)
        frameworks->set(framework, count);
    out->set("by_framework", frameworks);
    return out;
}
} // namespace

Object::Ptr summaryJson(const StatusSummary& summary)
{
    Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    out->set("project_id", summary.projectId);
    out->set("project_code", summary.projectCode);
    out->set("project_title", summary.projectTitle);
    out->set("project_status", domain::nameText(summary.projectStatus));
    out->set("as_of", summary.asOf.toString());
    out->set("computed_health", jsonHealth(summary.computed));
    out->set("health_reasons", textArray(summary.healthReasons));
    out->set("declared_health", jsonHealth(summary.declared));
    out->set("declared_reason", summary.declared ? Var(summary.declaredReason) : Var());
    out->set("effective_health", jsonHealth(summary.effective));
    out->set("progress", summary.progress);
    out->set("milestones", milestonesJson(summary.milestones));
    out->set("next_milestone", nextJson(summary.nextMilestone));
    out->set("contributions", contributionsJson(summary.contributions));
    out->set("missions", textArray(summary.missions));
    out->set("text", summary.text);
    return out;
}

} // namespace captrack::report::detail
