#include "HtmlPage.h"
#include "MilestoneTimeline.h"
#include "RenderFormats.h"
#include "RenderText.h"
#include "SvgCharts.h"

#include "captrack/report/StatusSummary.h"

#include <algorithm>
#include <utility>

namespace captrack::report::detail
{

namespace
{
/// Timelines are drawn for at most this many projects, to keep the page printable and quick to open.
constexpr std::size_t MAX_TIMELINE_PROJECTS = 300;

std::string numberCell(const std::string& text)
{
    return "<td class=\"n\">" + text + "</td>";
}

std::string figureCells(const GroupFigures& f)
{
    std::string out;
    for (const Poco::Int64 count :
         {f.projects, f.green, f.amber, f.red, f.none, f.milestonesTotal, f.milestonesDone, f.milestonesOverdue})
        out += numberCell(std::to_string(count));
    for (const Poco::Int64 amount :
         {f.budgetEur, f.contributed.pledged, f.contributed.committed, f.contributed.delivered})
        out += numberCell(escapeHtml(euros(amount)));
    return out + numberCell(escapeHtml(decimalText(f.personMonths)));
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

std::string groupTable(const PortfolioReport& report, const std::string& groupBy)
{
    std::string table = "<div class=\"scroll\"><table class=\"wide\">\n" + groupTableHead(groupBy) + "<tbody>\n";
    for (const auto& row : report.rows)
    {
        const std::string key = row.key && *row.key != row.label
                                    ? " <span class=\"muted\">(" + escapeHtml(*row.key) + ")</span>"
                                    : std::string();
        table +=
            "<tr><th scope=\"row\">" + escapeHtml(row.label) + key + "</th>" + figureCells(row.figures) + "</tr>\n";
    }
    table += "</tbody>\n<tfoot><tr><th scope=\"row\">Total</th>" + figureCells(report.totals) + "</tr></tfoot>\n";
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
                 std::to_string(item.milestoneId) + "</td><td>" + escapeHtml(item.title) + "</td><td class=\"n\">" +
                 item.due.toString() + "</td>" + numberCell(std::to_string(item.days)) + "</tr>\n";
    return table + "</tbody></table></div>\n";
}

std::string projectBlock(const TimelineProject& project, const domain::Date& asOf, std::size_t index)
{
    std::string block = "<div class=\"project\">\n<h3>" + escapeHtml(project.code) + " — " + escapeHtml(project.title) +
                        " " + healthBadge(project.effective) + "</h3>\n";
    block += "<p class=\"muted\">Status " + escapeHtml(domain::nameText(project.status)) + " · progress " +
             std::to_string(project.progress) + "% · " + std::to_string(project.milestones.size()) +
             " milestones</p>\n";
    block += milestoneTimeline(project, asOf, "timeline-" + std::to_string(index));
    return block + "</div>\n";
}

std::string timelinesSection(const std::vector<TimelineProject>& projects, const domain::Date& asOf)
{
    std::string section = "<section>\n<h2>Milestone timelines</h2>\n";
    if (projects.empty())
        return section + "<p class=\"muted\">No projects.</p>\n</section>\n";
    section += timelineLegend();
    const std::size_t drawn = std::min(projects.size(), MAX_TIMELINE_PROJECTS);
    for (std::size_t i = 0; i < drawn; ++i)
        section += projectBlock(projects[i], asOf, i + 1);
    if (projects.size() > drawn)
        section += "<p class=\"note\">Timelines are drawn for the first " + std::to_string(drawn) + " projects; " +
                   std::to_string(projects.size() - drawn) + " more were left out.</p>\n";
    return section + "</section>\n";
}

std::string overviewSection(const GroupFigures& totals)
{
    const HealthCounts counts{totals.green, totals.amber, totals.red, totals.none};
    return "<section>\n<h2>Status overview</h2>\n<div class=\"chart\">" + healthBarChart(counts, "health-chart") +
           "<dl class=\"meta\"><dt>Projects</dt><dd>" + std::to_string(totals.projects) +
           "</dd><dt>Milestones</dt><dd>" + std::to_string(totals.milestonesTotal) + " total, " +
           std::to_string(totals.milestonesDone) + " done, " + std::to_string(totals.milestonesOverdue) +
           " overdue</dd><dt>Budget</dt><dd>" + escapeHtml(euros(totals.budgetEur)) + "</dd></dl></div>\n</section>\n";
}

std::string pageHeader(const PortfolioReport& report, const std::string& asOf, const std::string& groupBy)
{
    return "<header>\n<h1>Portfolio report</h1>\n<dl class=\"meta\"><dt>As of</dt><dd>" + escapeHtml(asOf) +
           "</dd><dt>Grouped by</dt><dd>" + escapeHtml(groupBy) + "</dd><dt>Filters</dt><dd>" +
           escapeHtml(filtersText(report.filters)) + "</dd></dl>\n</header>\n";
}
} // namespace

std::string portfolioHtml(const PortfolioReport& report)
{
    const std::string asOf = report.asOf.toString();
    const std::string groupBy = humanName(domain::nameText(report.groupBy));
    std::string body = pageHeader(report, asOf, groupBy) + "<main>\n" + overviewSection(report.totals);
    body += "<section>\n<h2>By " + escapeHtml(groupBy) + "</h2>\n" + groupTable(report, groupBy) + "</section>\n";
    body += "<section>\n<h2>Overdue milestones</h2>\n" +
            milestoneTable(report.overdue, "Days overdue", "No milestone is overdue.") + "</section>\n";
    body += "<section>\n<h2>Due soon</h2>\n" +
            milestoneTable(report.dueSoon, "Days left", "No milestone is due soon.") + "</section>\n";
    static const std::vector<TimelineProject> noProjects;
    body += timelinesSection(report.projects ? *report.projects : noProjects, report.asOf) +
            "</main>\n<footer>captrack portfolio report, as of " + escapeHtml(asOf) + "</footer>\n";
    return htmlPage("Portfolio report " + asOf + " by " + groupBy, body);
}

} // namespace captrack::report::detail
