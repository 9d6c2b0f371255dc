#include "RenderFormats.h"
#include "XlsxWorkbook.h"

namespace captrack::report::detail
{

namespace
{
std::optional<std::string> healthText(const std::optional<domain::Health>& health)
{
    return health ? std::optional<std::string>(domain::nameText(*health)) : std::nullopt;
}

void addProjectFigures(XlsxSheet& sheet, const StatusSummary& s)
{
    sheet.row().text("Project id").whole(s.projectId).text("project_id");
    sheet.row().text("Project code").text(s.projectCode).text("project_code");
    sheet.row().text("Project title").text(s.projectTitle).text("project_title");
    sheet.row().text("Project status").text(domain::nameText(s.projectStatus)).text("project_status");
    sheet.row().text("As of").date(s.asOf).text("as_of");
    sheet.row().text("Computed health").maybeText(healthText(s.computed)).text("computed_health");
    sheet.row().text("Declared health").maybeText(healthText(s.declared)).text("declared_health");
    sheet.row()
        .text("Declared reason")
        .maybeText(s.declared ? std::optional<std::string>(s.declaredReason) : std::nullopt)
        .text("declared_reason");
    sheet.row().text("Effective health").maybeText(healthText(s.effective)).text("effective_health");
    sheet.row().text("Progress").percent(s.progress).text("progress");
}

void addMilestoneFigures(XlsxSheet& sheet, const StatusSummary& s)
{
    sheet.row().text("Milestones").whole(s.milestones.total).text("milestones.total");
    sheet.row().text("Milestones done").whole(s.milestones.done).text("milestones.done");
    sheet.row().text("Milestones overdue").whole(s.milestones.overdue).text("milestones.overdue");
    sheet.row().text("Largest slip (days)").whole(s.milestones.maxSlipDays).text("milestones.max_slip_days");
    const auto& next = s.nextMilestone;
    sheet.row().text("Next milestone id");
    (next ? sheet.whole(next->id) : sheet.blank()).text("next_milestone.id");
    sheet.row().text("Next milestone").maybeText(next ? std::optional<std::string>(next->title) : std::nullopt);
    sheet.text("next_milestone.title");
    sheet.row().text("Next milestone due").maybeDate(next ? std::optional<domain::Date>(next->due) : std::nullopt);
    sheet.text("next_milestone.due");
}

void addContributionFigures(XlsxSheet& sheet, const ContributionRollup& c)
{
    sheet.row().text("Pledged").euros(c.euros.pledged).text("contributions.pledged_eur");
    sheet.row().text("Committed").euros(c.euros.committed).text("contributions.committed_eur");
    sheet.row().text("Delivered").euros(c.euros.delivered).text("contributions.delivered_eur");
    sheet.row().text("Person-months").decimal(c.personMonths).text("contributions.person_months");
    sheet.row().text("Partners").whole(c.partners).text("contributions.partners");
    for (const auto& [framework, count] : c.partnersByFramework)
        sheet.row().text("Partners " + framework).whole(count).text("contributions.by_framework." + framework);
}

void addTextList(XlsxWorkbook& workbook, const std::string& name, const std::string& header,
                 const std::vector<std::string>& texts, double width)
{
    auto& sheet = workbook.addSheet(name, {{header, width}});
    for (const auto& text : texts)
        sheet.row().text(text);
    sheet.filterRowsSoFar();
}
} // namespace

std::string summaryXlsx(const StatusSummary& summary)
{
    XlsxWorkbook workbook(summary.asOf);
    auto& figures = addFiguresSheet(workbook);
    addProjectFigures(figures, summary);
    addMilestoneFigures(figures, summary);
    addContributionFigures(figures, summary.contributions);
    figures.row().text("Summary").text(summary.text).text("text");
    figures.filterRowsSoFar();
    addTextList(workbook, "Health reasons", "Reason", summary.healthReasons, 60);
    addTextList(workbook, "Missions", "Mission", summary.missions, 14);
    return workbook.bytes();
}

} // namespace captrack::report::detail
