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
Object::Ptr orderedObject()
{
    return new Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

void writeFigures(const GroupFigures& f, Object& out)
{
    out.set("projects", f.projects);
    Object::Ptr health = orderedObject();
    health->set("green", static_cast<int>(f.green));
    health->set("amber", static_cast<int>(f.amber));
    health->set("red", static_cast<int>(f.red));
    health->set("none", static_cast<int>(f.none));
    out.set("health", health);
    Object::Ptr milestones = orderedObject();
    milestones->set("total", f.milestonesTotal);
    milestones->set("done", f.milestonesDone);
    milestones->set("overdue", f.milestonesOverdue);
    out.set("milestones", milestones);
    out.set("budget_eur", f.budgetEur);
    Object::Ptr contributions = orderedObject();
    contributions->set("pledged_eur", f.contributed.pledged);
    contributions->set("committed_eur", f.contributed.committed);
    contributions->set("delivered_eur", f.contributed.delivered);
    contributions->set("person_months", f.personMonths);
    out.set("contributions", contributions);
}

Array::Ptr rowsJson(const std::vector<GroupRow>& rows)
{
    Array::Ptr out = new Array;
    for (const auto& row : rows)
    {
        Object::Ptr item = orderedObject();
        item->set("key", row.key ? Var(*row.key) : Var());
        item->set("label", row.label);
        writeFigures(row.figures, *item);
        out->add(item);
    }
    return out;
}

Array::Ptr listJson(const MilestoneList& list, const char* daysKey)
{
    Array::Ptr out = new Array;
    for (const auto& m : list.items)
    {
        Object::Ptr item = orderedObject();
        item->set("project_id", m.projectId);
        item->set("project_code", m.projectCode);
        item->set("milestone_id", m.milestoneId);
        item->set("title", m.title);
        item->set("due", m.due.toString());
        item->set(daysKey, static_cast<Poco::Int64>(m.days));
        out->add(item);
    }
    return out;
}

Object::Ptr milestoneJson(const domain::MilestoneFacts& m, const domain::Date& asOf)
{
    Object::Ptr item = orderedObject();
    item->set("id", m.id);
    item->set("title", m.title);
    item->set("baseline_date", m.baseline.toString());
    item->set("forecast_date", jsonDate(m.forecast));
    item->set("actual_date", jsonDate(m.actual));
    item->set("status", domain::nameText(m.status));
    item->set("due", m.due().toString());
    item->set("slip_days", static_cast<Poco::Int64>(m.slipDays()));
    item->set("overdue_days", static_cast<Poco::Int64>(m.overdueDays(asOf)));
    return item;
}

Array::Ptr timelinesJson(const std::vector<TimelineProject>& projects, const domain::Date& asOf)
{
    Array::Ptr out = new Array;
    for (const auto& p : projects)
    {
        Object::Ptr project = orderedObject();
        project->set("id", p.id);
        project->set("code", p.code);
        project->set("title", p.title);
        project->set("status", domain::nameText(p.status));
        project->set("effective_health", jsonHealth(p.effective));
        project->set("progress", p.progress);
        Array::Ptr milestones = new Array;
        for (const auto& m : p.milestones)
            milestones->add(milestoneJson(m, asOf));
        project->set("milestones", milestones);
        out->add(project);
    }
    return out;
}

Object::Ptr filtersJson(const ReportFilters& filters)
{
    Object::Ptr out = orderedObject();
    for (const auto& [name, values] : filters)
    {
        Array::Ptr given = new Array;
        for (const auto& v : values)
            given->add(v);
        out->set(name, given);
    }
    return out;
}
} // namespace

Object::Ptr portfolioJson(const PortfolioReport& report)
{
    Object::Ptr out = orderedObject();
    out->set("as_of", report.asOf.toString());
    out->set("group_by", domain::nameText(report.groupBy));
    out->set("look_ahead_days", static_cast<Poco::Int64>(report.lookAheadDays));
    out->set("filters", filtersJson(report.filters));
    out->set("rows", rowsJson(report.rows));
    Object::Ptr totals = orderedObject();
    writeFigures(report.totals, *totals);
    out->set("totals", totals);
    out->set("overdue", listJson(report.overdue, "overdue_days"));
    out->set("overdue_total", report.overdue.total);
    out->set("due_soon", listJson(report.dueSoon, "days_left"));
    out->set("due_soon_total", report.dueSoon.total);
    if (report.projects)
        out->set("projects", timelinesJson(*report.projects, report.asOf));
    return out;
}

} // namespace captrack::report::detail
