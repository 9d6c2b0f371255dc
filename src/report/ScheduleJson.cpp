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
Array::Ptr pointsJson(const std::vector<TrendPoint>& points)
{
    Array::Ptr out = new Array;
    for (const auto& point : points)
    {
        Object::Ptr item = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        item->set("at", point.at);
        item->set("due", jsonDate(point.due));
        out->add(item);
    }
    return out;
}

Object::Ptr trendMilestoneJson(const TrendMilestone& m)
{
    Object::Ptr item = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    item->set("id", m.id);
    item->set("title", m.title);
    item->set("status", domain::nameText(m.status));
    item->set("baseline_date", m.baseline.toString());
    item->set("compared_to", m.comparedTo.toString());
    item->set("due", m.due.toString());
    item->set("actual_date", jsonDate(m.actual));
    item->set("slip_days", static_cast<Poco::Int64>(m.slipDays));
    item->set("points", pointsJson(m.points));
    return item;
}

Object::Ptr lateMilestoneJson(const LateMilestone& m)
{
    Object::Ptr item = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    item->set("id", m.id);
    item->set("title", m.title);
    item->set("baseline_date", m.baseline.toString());
    item->set("due", m.due.toString());
    item->set("projected_finish", m.projectedFinish.toString());
    item->set("overdue_days", static_cast<Poco::Int64>(m.overdueDays));
    item->set("slip_days", static_cast<Poco::Int64>(m.slipDays));
    item->set("pushed_days", static_cast<Poco::Int64>(m.pushedDays));
    Array::Ptr pushedBy = new Array;
    for (const auto id : m.pushedBy)
        pushedBy->add(id);
    item->set("pushed_by", pushedBy);
    return item;
}

Object::Ptr projectImpactJson(const ProjectImpact& p)
{
    Object::Ptr project = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    project->set("project_id", p.projectId);
    project->set("project_code", p.projectCode);
    project->set("title", p.title);
    project->set("relation", p.relation);
    project->set("effective_health", jsonHealth(p.effective));
    Array::Ptr late = new Array;
    for (const auto& m : p.lateMilestones)
        late->add(lateMilestoneJson(m));
    project->set("late_milestones", late);
    return project;
}
} // namespace

Object::Ptr trendJson(const Trend& trend)
{
    Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    out->set("project_id", trend.projectId);
    out->set("project_code", trend.projectCode);
    out->set("baseline", trend.baseline ? Var(*trend.baseline) : Var());
    Array::Ptr milestones = new Array;
    for (const auto& m : trend.milestones)
        milestones->add(trendMilestoneJson(m));
    out->set("milestones", milestones);
    return out;
}

Object::Ptr missionImpactJson(const MissionImpact& impact)
{
    Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    out->set("mission_id", impact.missionId);
    out->set("mission_code", impact.missionCode);
    out->set("as_of", impact.asOf.toString());
    Array::Ptr projects = new Array;
    for (const auto& p : impact.projects)
        projects->add(projectImpactJson(p));
    out->set("projects", projects);
    out->set("projects_total", impact.projectsTotal);
    out->set("projects_with_late_milestones", impact.projectsWithLateMilestones);
    return out;
}

} // namespace captrack::report::detail
