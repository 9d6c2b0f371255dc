#include "captrack/report/MilestoneCalendar.h"

#include "captrack/domain/StatusRules.h"
#include "captrack/service/Catalogue.h"
#include "captrack/storage/ListConditions.h"
#include "captrack/storage/ReadSnapshot.h"

#include <map>
#include <set>

namespace captrack::report
{

using domain::Record;

namespace
{
CalendarMilestone calendarMilestoneOf(const Record& milestone)
{
    domain::MilestoneFacts facts;
    facts.baseline = domain::dateField(milestone, "baseline_date").value_or(domain::Date::fromDays(0));
    facts.forecast = domain::dateField(milestone, "forecast_date");
    facts.actual = domain::dateField(milestone, "actual_date");
    facts.status = domain::storedValue<domain::MilestoneStatus>(domain::textField(milestone, "status").value_or(""));
    CalendarMilestone entry;
    entry.id = domain::recordId(milestone);
    entry.title = domain::textField(milestone, "title").value_or("");
    entry.status = facts.status;
    entry.progress = static_cast<int>(domain::intField(milestone, "progress").value_or(0));
    entry.due = facts.due();
    entry.slipDays = facts.slipDays();
    entry.updatedAt = domain::textField(milestone, "updated_at").value_or("");
    return entry;
}
} // namespace

MilestoneCalendar::MilestoneCalendar(storage::Database& database) : _database(database), _store(database) {}

std::vector<CalendarMilestone> MilestoneCalendar::milestonesFor(const domain::Principal& principal) const
{
    const auto& catalogue = service::Catalogue::instance();
    storage::ListQuery milestoneQuery;
    milestoneQuery.limit = MAX_EVENTS;
    _policy.restrictList(principal, catalogue.milestones, milestoneQuery);
    // One snapshot: every milestone's project is read as it was when the milestone was.
    storage::ReadSnapshot snapshot(_database);
    const auto milestones = _store.list(snapshot.session(), catalogue.milestones.spec, milestoneQuery).items;

    std::set<Poco::Int64> projectIds;
    for (const auto& milestone : milestones)
        projectIds.insert(domain::intField(milestone, "project_id").value_or(0));
    std::map<Poco::Int64, const Record*> projects;
    storage::Page projectPage;
    if (!projectIds.empty())
    {
        storage::ListQuery projectQuery;
        projectQuery.conditions.push_back(
            storage::ListConditions::idIn(std::vector<Poco::Int64>(projectIds.begin(), projectIds.end())));
        projectQuery.limit = projectIds.size();
        _policy.restrictList(principal, catalogue.projects, projectQuery);
        projectPage = _store.list(snapshot.session(), catalogue.projects.spec, projectQuery);
        for (const auto& project : projectPage.items)
            projects[domain::recordId(project)] = &project;
    }

    std::vector<CalendarMilestone> entries;
    entries.reserve(milestones.size());
    for (const auto& milestone : milestones)
    {
        // A milestone whose project the principal may not see is left out (both lists apply one rule).
        const auto project = projects.find(domain::intField(milestone, "project_id").value_or(0));
        if (project == projects.end())
            continue;
        CalendarMilestone entry = calendarMilestoneOf(milestone);
        entry.projectId = project->first;
        entry.projectCode = domain::textField(*project->second, "code").value_or("");
        entry.projectTitle = domain::textField(*project->second, "title").value_or("");
        entries.push_back(std::move(entry));
    }
    return entries;
}

} // namespace captrack::report
