#include "HtmlPage.h"
#include "MilestoneTimeline.h"
#include "PortfolioView.h"
#include "RenderFormats.h"
#include "RenderText.h"
#include "SvgCharts.h"

#include "captrack/report/StatusSummary.h"

#include <algorithm>
#include <utility>

namespace captrack::report::detail
{

using Poco::JSON::Object;

namespace
{
/// Timelines are drawn for at most this many projects, to keep the page printable and quick to open.
constexpr std::size_t MAX_TIMELINE_PROJECTS = 300;

std::string numberCell(const std::string& text)
{
    return "<td class=\"n\">" + text + "</td>";
}

std::string figureCells(const GroupRow& row)
{
    std::string out;
    for (const Poco::Int64 count : {row.projects, row.green, row.amber, row.red, row.none, row.milestonesTotal,
                                    row.milestonesDone, row.milestonesOverdue})
        out += numberCell(std::to_string(count));
    for (const Poco::Int64 amount : {row.budgetEur, row.pledgedEur, row.committedEur, row.deliveredEur})
        out += numberCell(escapeHtml(euros(amount)));
    return out + numberCell(escapeHtml(row.personMonths));
}

std::string groupTableHead(const std::string& groupBy)
{
    std::string head = "<thead><tr><th rowspan=\"2\" scope=\"col\">" + escapeHtml(capitalised(groupBy)) +
                       "</th><th rowspan=\"2\" class=\"n\" scope=\"col\">Projects</th><th colspan=\"4\" "
                       "scope=\"colgroup\">Health</th><th colspan=\"3\" scope=\"colgroup\">Milestones</th>"
                       "<th rowspan=\"2\" class=\"n\" scope=\"col\">Budget</th><th colspan=\"4\" "
                       "scope=\"colgroup\">Contributions</th></tr>\n<tr>";
    const std::pair<const char*, const char*> healths[] = {
        {"green", "Green"}, {"amber", "Amber"}, {"red", "Red"}, {"none", "None"}};
    for (const auto& [health, name] : healths)
        head +=
            std::string("<th class=\"n\" scope=\"col\"><span class=\"dot ") + health + "\"></span>" + name + "</th>";
    for (const char* name : {"Total", "Done", "Overdue", "Pledged", "Committed", "Delivered"})
        head += std::string("<th class=\"n\" scope=\"col\">") + name + "</th>";
    return head + "<th class=\"n wrap\" scope=\"col\">Person-months</th></tr></thead>\n";
}

std::string groupTable(const Object& report, const std::string& groupBy)
{
    std::string table = "<div class=\"scroll\"><table class=\"wide\">\n" + groupTableHead(groupBy) + "<tbody>\n";
    for (const auto& row : groupRowsOf(report))
    {
        const std::string key = row.hasKey && row.key != row.label
                                    ? " <span class=\"muted\">(" + escapeHtml(row.key) + ")</span>"
                                    : std::string();
        table += "<tr><th scope=\"row\">" + escapeHtml(row.label) + key + "</th>" + figureCells(row) + "</tr>\n";
    }
    table += "</tbody>\n<tfoot><tr><th scope=\"row\">Total</th>" + figureCells(totalsOf(report)) + "</tr></tfoot>\n";
    return table + "</table></div>\n";
}

std::string milestoneTable(const MilestoneList& list, const std::string& daysHeading, const std::string& empty)
{
    if (list.items.empty())
        return "<p class=\"muted\">" + empty + "</p>\n";
    std::string table;
    if (const std::string note = list.cutNote(); !note.empty())
        table += "<p class=\"note\">" + escapeHtml(note) + "</p>\n";
    table += "<div class=\"scroll\"><table>\n<thead><tr><th scope=\"col\">Project</th><th scope=\"col\">Milestone"
             "</th><th scope=\"col\">Title</th><th scope=\"col\">Due</th><th class=\"n\" scope=\"col\">" +
             daysHeading + "</th></tr></thead>\n<tbody>\n";
    for (const auto& item : list.items)
        table += "<tr><td class=\"nowrap\">" + escapeHtml(item.projectCode) + "</td><td class=\"nowrap\">M-" +
                 escapeHtml(item.milestoneId) + "</td><td>" + escapeHtml(item.title) + "</td><td class=\"n\">" +
                 escapeHtml(item.due) + "</td>" + numberCell(std::to_string(item.days)) + "</tr>\n";
    return table + "</tbody></table></div>\n";
}

std::string projectBlock(const Object& project, const std::string& asOf, std::size_t index)
{
    const std::string health = textAt(project, "effective_health");
    std::string block = "<div class=\"project\">\n<h3>" + escapeHtml(textAt(project, "code")) + " — " +
                        escapeHtml(textAt(project, "title")) + " " + healthBadge(health) + "</h3>\n";
    block += "<p class=\"muted\">Status " + escapeHtml(textAt(project, "status")) + " · progress " +
             std::to_string(integerAt(project, "progress")) + "% · " +
             std::to_string(arrayAt(project, "milestones")->size()) + " milestones</p>\n";
    block += milestoneTimeline(project, asOf, "timeline-" + std::to_string(index));
    return block + "</div>\n";
}

std::string timelinesSection(const Object& report, const std::string& asOf)
{
    const auto projects = arrayAt(report, "projects");
    std::string section = "<section>\n<h2>Milestone timelines</h2>\n";
    if (projects->size() == 0)
        return section + "<p class=\"muted\">No projects.</p>\n</section>\n";
    section += timelineLegend();
    const std::size_t drawn = std::min(projects->size(), MAX_TIMELINE_PROJECTS);
    for (std::size_t i = 0; i < drawn; ++i)
        section += projectBlock(*objectIn(*projects, i), asOf, i + 1);
    if (projects->size() > drawn)
        section += "<p class=\"note\">Timelines are drawn for the first " + std::to_string(drawn) + " projects; " +
                   std::to_string(projects->size() - drawn) + " more were left out.</p>\n";
    return section + "</section>\n";
}

std::string overviewSection(const GroupRow& totals)
{
    const HealthCounts counts{totals.green, totals.amber, totals.red, totals.none};
    return "<section>\n<h2>Status overview</h2>\n<div class=\"chart\">" + healthBarChart(counts, "health-chart") +
           "<dl class=\"meta\"><dt>Projects</dt><dd>" + std::to_string(totals.projects) +
           "</dd><dt>Milestones</dt><dd>" + std::to_string(totals.milestonesTotal) + " total, " +
           std::to_string(totals.milestonesDone) + " done, " + std::to_string(totals.milestonesOverdue) +
           " overdue</dd><dt>Budget</dt><dd>" + escapeHtml(euros(totals.budgetEur)) + "</dd></dl></div>\n</section>\n";
}

std::string pageHeader(const Object& report, const std::string& asOf, const std::string& groupBy)
{
    return "<header>\n<h1>Portfolio report</h1>\n<dl class=\"meta\"><dt>As of</dt><dd>" + escapeHtml(asOf) +
           "</dd><dt>Grouped by</dt><dd>" + escapeHtml(groupBy) + "</dd><dt>Filters</dt><dd>" +
           escapeHtml(filtersText(*objectAt(report, "filters"))) + "</dd></dl>\n</header>\n";
}
} // namespace

std::string portfolioHtml(const Object& report)
{
    const std::string asOf = textAt(report, "as_of");
    const std::string groupBy = humanName(textAt(report, "group_by"));
    const GroupRow totals = totalsOf(report);
    std::string body = pageHeader(report, asOf, groupBy) + "<main>\n" + overviewSection(totals);
    body += "<section>\n<h2>By " + escapeHtml(groupBy) + "</h2>\n" + groupTable(report, groupBy) + "</section>\n";
    body +=
        "<section>\n<h2>Overdue milestones</h2>\n" +
        milestoneTable(milestoneListOf(report, "overdue", "overdue_days"), "Days overdue", "No milestone is overdue.") +
        "</section>\n";
    body += "<section>\n<h2>Due soon</h2>\n" +
            milestoneTable(milestoneListOf(report, "due_soon", "days_left"), "Days left", "No milestone is due soon.") +
            "</section>\n";
    body += timelinesSection(report, asOf) + "</main>\n<footer>captrack portfolio report, as of " + escapeHtml(asOf) +
            "</footer>\n";
    return htmlPage("Portfolio report " + asOf + " by " + groupBy, body);
}

} // namespace captrack::report::detail
