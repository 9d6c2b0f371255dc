#include "PortfolioView.h"

#include "RenderText.h"

namespace captrack::report::detail
{

using Poco::JSON::Object;

namespace
{
GroupRow figuresOf(const Object& source)
{
    GroupRow row;
    row.projects = integerAt(source, "projects");
    const auto health = objectAt(source, "health");
    row.green = integerAt(*health, "green");
    row.amber = integerAt(*health, "amber");
    row.red = integerAt(*health, "red");
    row.none = integerAt(*health, "none");
    const auto milestones = objectAt(source, "milestones");
    row.milestonesTotal = integerAt(*milestones, "total");
    row.milestonesDone = integerAt(*milestones, "done");
    row.milestonesOverdue = integerAt(*milestones, "overdue");
    row.budgetEur = integerAt(source, "budget_eur");
    const auto contributions = objectAt(source, "contributions");
    row.pledgedEur = integerAt(*contributions, "pledged_eur");
    row.committedEur = integerAt(*contributions, "committed_eur");
    row.deliveredEur = integerAt(*contributions, "delivered_eur");
    row.personMonths = numberAt(*contributions, "person_months");
    return row;
}
} // namespace

std::string MilestoneList::cutNote() const
{
    if (total <= static_cast<Poco::Int64>(items.size()))
        return "";
    return "showing " + std::to_string(items.size()) + " of " + std::to_string(total);
}

std::vector<GroupRow> groupRowsOf(const Object& report)
{
    const auto rows = arrayAt(report, "rows");
    std::vector<GroupRow> out;
    for (std::size_t i = 0; i < rows->size(); ++i)
    {
        const auto source = objectIn(*rows, i);
        GroupRow row = figuresOf(*source);
        row.hasKey = source->has("key") && !source->isNull("key");
        row.key = textAt(*source, "key");
        row.label = textOr(*source, "label", row.key);
        out.push_back(std::move(row));
    }
    return out;
}

GroupRow totalsOf(const Object& report)
{
    GroupRow totals = figuresOf(*objectAt(report, "totals"));
    totals.label = "Total";
    return totals;
}

MilestoneList milestoneListOf(const Object& report, const std::string& listKey, const std::string& daysKey)
{
    const auto items = arrayAt(report, listKey);
    MilestoneList list;
    for (std::size_t i = 0; i < items->size(); ++i)
    {
        const auto source = objectIn(*items, i);
        list.items.push_back({textAt(*source, "project_code"), textAt(*source, "milestone_id"),
                              textAt(*source, "title"), textAt(*source, "due"), integerAt(*source, daysKey)});
    }
    const std::string totalKey = listKey + "_total";
    list.total = report.has(totalKey) ? integerAt(report, totalKey) : static_cast<Poco::Int64>(list.items.size());
    return list;
}

} // namespace captrack::report::detail
