#include "RenderFormats.h"
#include "XlsxWorkbook.h"

namespace captrack::report::detail
{

namespace
{
const std::vector<XlsxColumn> FIGURE_COLUMNS = {{"Projects", 10},
                                                {"Green", 8},
                                                {"Amber", 8},
                                                {"Red", 8},
                                                {"No health", 10},
                                                {"Milestones", 11},
                                                {"Done", 8},
                                                {"Overdue", 9},
                                                {"Budget (EUR)", 16},
                                                {"Pledged (EUR)", 16},
                                                {"Committed (EUR)", 16},
                                                {"Delivered (EUR)", 16},
                                                {"Person-months", 14}};

const std::vector<XlsxColumn> LIST_COLUMNS = {
    {"Project id", 10}, {"Project code", 16}, {"Milestone id", 12}, {"Title", 48}, {"Due", 12}};

void writeFigures(XlsxSheet& sheet, const GroupFigures& f)
{
    sheet.whole(f.projects).whole(f.green).whole(f.amber).whole(f.red).whole(f.none);
    sheet.whole(f.milestonesTotal).whole(f.milestonesDone).whole(f.milestonesOverdue);
    sheet.euros(f.budgetEur).euros(f.contributed.pledged).euros(f.contributed.committed);
    sheet.euros(f.contributed.delivered).decimal(f.personMonths);
}

std::string filterText(const std::vector<std::string>& values)
{
    std::string out;
    for (const auto& value : values)
        out += (out.empty() ? "" : ", ") + value;
    return out;
}

void addSummary(XlsxWorkbook& workbook, const PortfolioReport& report)
{
    auto& sheet = addFiguresSheet(workbook);
    sheet.row().text("As of").date(report.asOf).text("as_of");
    sheet.row().text("Grouped by").text(domain::nameText(report.groupBy)).text("group_by");
    sheet.row().text("Look-ahead (days)").whole(report.lookAheadDays).text("look_ahead_days");
    for (const auto& [name, values] : report.filters)
        sheet.row().text("Filter " + name).text(filterText(values)).text("filters." + name);
    const GroupFigures& t = report.totals;
    sheet.row().text("Projects").whole(t.projects).text("totals.projects");
    sheet.row().text("Health green").whole(t.green).text("totals.health.green");
    sheet.row().text("Health amber").whole(t.amber).text("totals.health.amber");
    sheet.row().text("Health red").whole(t.red).text("totals.health.red");
    sheet.row().text("No health").whole(t.none).text("totals.health.none");
    sheet.row().text("Milestones").whole(t.milestonesTotal).text("totals.milestones.total");
    sheet.row().text("Milestones done").whole(t.milestonesDone).text("totals.milestones.done");
    sheet.row().text("Milestones overdue").whole(t.milestonesOverdue).text("totals.milestones.overdue");
    sheet.row().text("Budget").euros(t.budgetEur).text("totals.budget_eur");
    sheet.row().text("Pledged").euros(t.contributed.pledged).text("totals.contributions.pledged_eur");
    sheet.row().text("Committed").euros(t.contributed.committed).text("totals.contributions.committed_eur");
    sheet.row().text("Delivered").euros(t.contributed.delivered).text("totals.contributions.delivered_eur");
    sheet.row().text("Person-months").decimal(t.personMonths).text("totals.contributions.person_months");
    sheet.row().text("Overdue milestones (all)").whole(report.overdue.total).text("overdue_total");
    sheet.row().text("Due soon (all)").whole(report.dueSoon.total).text("due_soon_total");
    sheet.filterRowsSoFar();
}

void addGroups(XlsxWorkbook& workbook, const PortfolioReport& report)
{
    std::vector<XlsxColumn> columns{{"Key", 16}, {"Label", 36}};
    columns.insert(columns.end(), FIGURE_COLUMNS.begin(), FIGURE_COLUMNS.end());
    auto& sheet = workbook.addSheet("Groups", columns);
    for (const auto& row : report.rows)
    {
        sheet.row().maybeText(row.key).text(row.label);
        writeFigures(sheet, row.figures);
    }
    // The totals row stays out of the filter, so that sorting the groups never moves it.
    sheet.filterRowsSoFar();
    sheet.row().label("Total").blank();
    writeFigures(sheet, report.totals);
}

void addList(XlsxWorkbook& workbook, const std::string& name, const MilestoneList& list, const char* daysHeader)
{
    auto columns = LIST_COLUMNS;
    columns.push_back({daysHeader, 12});
    auto& sheet = workbook.addSheet(name, columns);
    for (const auto& m : list.items)
        sheet.row().whole(m.projectId).text(m.projectCode).whole(m.milestoneId).text(m.title).date(m.due).whole(m.days);
    sheet.filterRowsSoFar();
}

void addProjects(XlsxWorkbook& workbook, const std::vector<TimelineProject>& projects)
{
    auto& sheet = workbook.addSheet(
        "Projects",
        {{"Id", 8}, {"Code", 16}, {"Title", 48}, {"Status", 14}, {"Effective health", 16}, {"Progress", 10}});
    for (const auto& p : projects)
    {
        sheet.row().whole(p.id).text(p.code).text(p.title).text(domain::nameText(p.status));
        sheet.maybeText(p.effective ? std::optional<std::string>(domain::nameText(*p.effective)) : std::nullopt);
        sheet.percent(p.progress);
    }
    sheet.filterRowsSoFar();
}
} // namespace

std::string portfolioXlsx(const PortfolioReport& report)
{
    XlsxWorkbook workbook(report.asOf);
    addSummary(workbook, report);
    addGroups(workbook, report);
    addList(workbook, "Overdue", report.overdue, "Days overdue");
    addList(workbook, "Due soon", report.dueSoon, "Days left");
    if (report.projects)
        addProjects(workbook, *report.projects);
    return workbook.bytes();
}

} // namespace captrack::report::detail
