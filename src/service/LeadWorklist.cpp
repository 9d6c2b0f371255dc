#include "captrack/service/LeadWorklist.h"

#include "captrack/domain/Specs.h"
#include "captrack/domain/StatusRules.h"
#include "captrack/storage/ListConditions.h"
#include "captrack/storage/ReadSnapshot.h"

#include <algorithm>
#include <map>
#include <set>

namespace captrack::service
{

using domain::Date;
using domain::Record;
using Poco::Dynamic::Var;

namespace
{
domain::MilestoneFacts factsOf(const Record& milestone)
{
    domain::MilestoneFacts facts;
    facts.id = domain::recordId(milestone);
    facts.baseline = *domain::dateField(milestone, "baseline_date");
    facts.forecast = domain::dateField(milestone, "forecast_date");
    facts.actual = domain::dateField(milestone, "actual_date");
    facts.status = domain::storedValue<domain::MilestoneStatus>(domain::textField(milestone, "status").value_or(""));
    return facts;
}

WorklistItem itemOf(Record milestone, const Date& asOf, const WorklistWindow& window)
{
    WorklistItem item;
    const auto facts = factsOf(milestone);
    const Date due = facts.due();
    // updated_at is RFC 3339 UTC: its first ten characters are the day.
    const auto changed = Date::parse(domain::textField(milestone, "updated_at").value_or("").substr(0, 10));
    item.overdueDays = facts.overdueDays(asOf);
    item.daysLeft = due.daysSince(asOf);
    item.daysUntouched = changed ? std::max(0L, asOf.daysSince(*changed)) : 0;
    if (item.overdueDays > 0)
        item.reasons.push_back(UpdateReason::Overdue);
    else if (item.daysLeft <= window.lookAheadDays)
        item.reasons.push_back(UpdateReason::DueSoon);
    if (item.daysUntouched >= window.staleDays)
        item.reasons.push_back(UpdateReason::Stale);
    item.milestone = std::move(milestone);
    return item;
}

/// The code and title of each project the items belong to (one statement).
std::map<Poco::Int64, std::pair<std::string, std::string>> projectNames(Poco::Data::Session& session,
                                                                        const storage::RecordStore& store,
                                                                        const std::vector<WorklistItem>& items)
{
    std::set<Poco::Int64> ids;
    for (const auto& item : items)
        ids.insert(*domain::intField(item.milestone, "project_id"));
    std::map<Poco::Int64, std::pair<std::string, std::string>> names;
    if (ids.empty())
        return names;
    storage::ListQuery query;
    query.conditions.push_back(storage::ListConditions::idIn(std::vector<Poco::Int64>(ids.begin(), ids.end())));
    query.limit = ids.size();
    for (const auto& project : store.list(session, domain::projectSpec(), query).items)
        names[domain::recordId(project)] = {domain::textField(project, "code").value_or(""),
                                            domain::textField(project, "title").value_or("")};
    return names;
}
} // namespace

const char* reasonName(UpdateReason reason)
{
    switch (reason)
    {
    case UpdateReason::Overdue:
        return "overdue";
    case UpdateReason::DueSoon:
        return "due_soon";
    case UpdateReason::Stale:
        return "stale";
    }
    return "";
}

LeadWorklist::LeadWorklist(storage::Database& database, const domain::Clock& clock, WorklistWindow defaults)
    : _database(database), _clock(clock), _defaults(defaults), _store(database)
{
}

Worklist LeadWorklist::needsUpdate(const domain::Principal& principal, std::optional<Date> asOf,
                                   const WorklistWindow& window) const
{
    _policy.checkOwnWorklist(principal);
    Worklist list;
    list.asOf = asOf.value_or(_clock.today());
    list.window = window;
    // Changed before the day asOf + 1 - staleDays: untouched for at least staleDays days.
    const auto query =
        storage::ListConditions::openMilestonesOfLead(principal.userId, list.asOf.plusDays(window.lookAheadDays),
                                                      list.asOf.plusDays(1 - window.staleDays), MAX_ITEMS);
    // One snapshot: the count, the page and the project names agree with each other.
    storage::ReadSnapshot snapshot(_database);
    auto page = _store.list(snapshot.session(), domain::milestoneSpec(), query);
    list.total = page.total;
    for (auto& milestone : page.items)
        list.items.push_back(itemOf(std::move(milestone), list.asOf, window));
    const auto names = projectNames(snapshot.session(), _store, list.items);
    for (auto& item : list.items)
    {
        const auto name = names.find(*domain::intField(item.milestone, "project_id"));
        if (name != names.end())
            std::tie(item.projectCode, item.projectTitle) = name->second;
    }
    return list;
}

} // namespace captrack::service
