#include "CsvWriter.h"
#include "RenderFormats.h"
#include "RenderText.h"

#include "captrack/report/StatusSummary.h"

namespace captrack::report::detail
{

namespace
{
const char* const CSV_HEADER[] = {
    "key",        "label",       "projects",         "green",           "amber",
    "red",        "none",        "milestones_total", "milestones_done", "milestones_overdue",
    "budget_eur", "pledged_eur", "committed_eur",    "delivered_eur",   "person_months"};

void writeCsvFigures(CsvWriter& csv, const GroupFigures& f)
{
    for (const Poco::Int64 value :
         {f.projects, f.green, f.amber, f.red, f.none, f.milestonesTotal, f.milestonesDone, f.milestonesOverdue,
          f.budgetEur, f.contributed.pledged, f.contributed.committed, f.contributed.delivered})
        csv.number(value);
    csv.numeric(decimalText(f.personMonths));
    csv.endLine();
}

/// The cells after the group columns of a Markdown row, each followed by " |".
std::string markdownFigures(const GroupFigures& f)
{
    std::string out;
    for (const Poco::Int64 count :
         {f.projects, f.green, f.amber, f.red, f.none, f.milestonesTotal, f.milestonesDone, f.milestonesOverdue})
        out += " " + std::to_string(count) + " |";
    for (const Poco::Int64 amount :
         {f.budgetEur, f.contributed.pledged, f.contributed.committed, f.contributed.delivered})
        out += " " + euros(amount) + " |";
    return out + " " + decimalText(f.personMonths) + " |\n";
}

std::string markdownGroups(const PortfolioReport& report)
{
    std::string md = "| Group | Key | Projects | Green | Amber | Red | None | Milestones | Done | Overdue | Budget | "
                     "Pledged | Committed | Delivered | Person-months |\n"
                     "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    for (const auto& row : report.rows)
        md += "| " + escapeMarkdown(row.label) + " | " + (row.key ? escapeMarkdown(*row.key) : "—") + " |" +
              markdownFigures(row.figures);
    return md + "| **Total** | |" + markdownFigures(report.totals);
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
        md += "| " + escapeMarkdown(item.projectCode) + " | M-" + std::to_string(item.milestoneId) + " | " +
              escapeMarkdown(item.title) + " | " + item.due.toString() + " | " + std::to_string(item.days) + " |\n";
    return md;
}
} // namespace

std::string portfolioCsv(const PortfolioReport& report)
{
    CsvWriter csv;
    for (const char* name : CSV_HEADER)
        csv.text(name);
    csv.endLine();
    for (const auto& row : report.rows)
    {
        csv.text(row.key.value_or(std::string()));
        csv.text(row.label);
        writeCsvFigures(csv, row.figures);
    }
    csv.text("TOTAL");
    csv.text("");
    writeCsvFigures(csv, report.totals);
    return csv.str();
}

std::string portfolioMarkdown(const PortfolioReport& report)
{
    const std::string asOf = report.asOf.toString();
    const std::string groupBy = humanName(domain::nameText(report.groupBy));
    std::string md = "# Portfolio report as of " + escapeMarkdown(asOf) + ", grouped by " + escapeMarkdown(groupBy) +
                     "\n\n- **As of:** " + escapeMarkdown(asOf) + "\n- **Grouped by:** " + escapeMarkdown(groupBy) +
                     "\n- **Filters:** " + escapeMarkdown(filtersText(report.filters)) + "\n";
    md += "\n## Groups\n\n" + markdownGroups(report);
    md += "\n## Overdue milestones\n\n" + markdownMilestones(report.overdue, "Days overdue");
    md += "\n## Due soon\n\n" + markdownMilestones(report.dueSoon, "Days left");
    return md;
}

} // namespace captrack::report::detail
