#include "CsvWriter.h"
#include "PortfolioView.h"
#include "RenderFormats.h"
#include "RenderText.h"

#include "captrack/report/StatusSummary.h"

namespace captrack::report::detail
{

using Poco::JSON::Object;

namespace
{
const char* const CSV_HEADER[] = {
    "key",        "label",       "projects",         "green",           "amber",
    "red",        "none",        "milestones_total", "milestones_done", "milestones_overdue",
    "budget_eur", "pledged_eur", "committed_eur",    "delivered_eur",   "person_months"};

void writeCsvFigures(CsvWriter& csv, const GroupRow& row)
{
    for (const Poco::Int64 value :
         {row.projects, row.green, row.amber, row.red, row.none, row.milestonesTotal, row.milestonesDone,
          row.milestonesOverdue, row.budgetEur, row.pledgedEur, row.committedEur, row.deliveredEur})
        csv.number(value);
    csv.numeric(row.personMonths);
    csv.endLine();
}

/// The cells after the group columns of a Markdown row, each followed by " |".
std::string markdownFigures(const GroupRow& row)
{
    std::string out;
    for (const Poco::Int64 count : {row.projects, row.green, row.amber, row.red, row.none, row.milestonesTotal,
                                    row.milestonesDone, row.milestonesOverdue})
        out += " " + std::to_string(count) + " |";
    for (const Poco::Int64 amount : {row.budgetEur, row.pledgedEur, row.committedEur, row.deliveredEur})
        out += " " + euros(amount) + " |";
    return out + " " + row.personMonths + " |\n";
}

std::string markdownGroups(const Object& report)
{
    std::string md = "| Group | Key | Projects | Green | Amber | Red | None | Milestones | Done | Overdue | Budget | "
                     "Pledged | Committed | Delivered | Person-months |\n"
                     "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    for (const auto& row : groupRowsOf(report))
        md += "| " + escapeMarkdown(row.label) + " | " + (row.hasKey ? escapeMarkdown(row.key) : "—") + " |" +
              markdownFigures(row);
    return md + "| **Total** | |" + markdownFigures(totalsOf(report));
}

std::string markdownMilestones(const MilestoneList& list, const std::string& daysHeading)
{
    if (list.items.empty())
        return "None.\n";
    std::string md;
    if (const std::string note = list.cutNote(); !note.empty())
        md += "_" + note + "_\n\n";
    md += "| Project | Milestone | Title | Due | " + daysHeading + " |\n|---|---|---|---|---:|\n";
    for (const auto& item : list.items)
        md += "| " + escapeMarkdown(item.projectCode) + " | M-" + escapeMarkdown(item.milestoneId) + " | " +
              escapeMarkdown(item.title) + " | " + item.due + " | " + std::to_string(item.days) + " |\n";
    return md;
}
} // namespace

std::string portfolioCsv(const Object& report)
{
    CsvWriter csv;
    for (const char* name : CSV_HEADER)
        csv.text(name);
    csv.endLine();
    for (const auto& row : groupRowsOf(report))
    {
        csv.text(row.hasKey ? row.key : std::string());
        csv.text(row.label);
        writeCsvFigures(csv, row);
    }
    csv.text("TOTAL");
    csv.text("");
    writeCsvFigures(csv, totalsOf(report));
    return csv.str();
}

std::string portfolioMarkdown(const Object& report)
{
    const std::string asOf = textAt(report, "as_of");
    const std::string groupBy = humanName(textAt(report, "group_by"));
    std::string md = "# Portfolio report as of " + escapeMarkdown(asOf) + ", grouped by " + escapeMarkdown(groupBy) +
                     "\n\n- **As of:** " + escapeMarkdown(asOf) + "\n- **Grouped by:** " + escapeMarkdown(groupBy) +
                     "\n- **Filters:** " + escapeMarkdown(filtersText(*objectAt(report, "filters"))) + "\n";
    md += "\n## Groups\n\n" + markdownGroups(report);
    md += "\n## Overdue milestones\n\n" +
          markdownMilestones(milestoneListOf(report, "overdue", "overdue_days"), "Days overdue");
    md += "\n## Due soon\n\n" + markdownMilestones(milestoneListOf(report, "due_soon", "days_left"), "Days left");
    return md;
}

} // namespace captrack::report::detail
