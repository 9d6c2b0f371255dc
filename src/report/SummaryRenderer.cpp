#include "HtmlPage.h"
#include "RenderFormats.h"
#include "RenderText.h"
#include "SvgCharts.h"

#include "captrack/domain/TextRules.h"
#include "captrack/report/StatusSummary.h"

#include <utility>
#include <vector>

namespace captrack::report::detail
{

namespace
{
/// Labelled values of one section, as plain (unescaped) text.
using Facts = std::vector<std::pair<std::string, std::string>>;

/// What every format of the summary shows, as text.
struct SummaryView
{
    std::string code, title, status, asOf, text;
    std::optional<domain::Health> computed, declared, effective;
    std::string declaredReason;
    std::vector<std::string> reasons, missions;
    Poco::Int64 progress = 0;
    Facts milestones, contributions;
};

std::vector<std::string> oneLines(const std::vector<std::string>& texts)
{
    std::vector<std::string> out;
    out.reserve(texts.size());
    for (const auto& text : texts)
        out.push_back(oneLine(text));
    return out;
}

Facts milestoneFacts(const StatusSummary& summary)
{
    const auto& counts = summary.milestones;
    Facts facts{{"Progress", std::to_string(summary.progress) + "%"},
                {"Milestones", std::to_string(counts.total) + " total, " + std::to_string(counts.done) + " done, " +
                                   std::to_string(counts.overdue) + " overdue"},
                {"Largest slip", std::to_string(counts.maxSlipDays) + " days"}};
    const auto& next = summary.nextMilestone;
    facts.emplace_back("Next milestone", next ? "M-" + std::to_string(next->id) + " '" + oneLine(next->title) +
                                                    "', due " + next->due.toString()
                                              : std::string("none open"));
    return facts;
}

Facts contributionFacts(const StatusSummary& summary)
{
    const auto& sums = summary.contributions;
    std::string byFramework;
    for (const auto& [name, count] : sums.partnersByFramework)
        byFramework += (byFramework.empty() ? "" : ", ") + name + " " + std::to_string(count);
    std::string partners = std::to_string(sums.partners);
    if (!byFramework.empty())
        partners += " (" + byFramework + ")";
    return {{"Pledged", euros(sums.euros.pledged)},
            {"Committed", euros(sums.euros.committed)},
            {"Delivered", euros(sums.euros.delivered)},
            {"Person-months", decimalText(sums.personMonths)},
            {"Partners", partners}};
}

SummaryView viewOf(const StatusSummary& summary)
{
    SummaryView view;
    view.code = oneLine(summary.projectCode);
    view.title = oneLine(summary.projectTitle);
    view.status = domain::nameText(summary.projectStatus);
    view.asOf = summary.asOf.toString();
    view.text = summary.text;
    view.computed = summary.computed;
    view.declared = summary.declared;
    view.declaredReason = summary.declared ? oneLine(summary.declaredReason) : std::string();
    view.effective = summary.effective;
    view.reasons = oneLines(summary.healthReasons);
    view.missions = oneLines(summary.missions);
    view.progress = summary.progress;
    view.milestones = milestoneFacts(summary);
    view.contributions = contributionFacts(summary);
    return view;
}

Facts healthFacts(const SummaryView& view)
{
    return {{"Effective", domain::healthName(view.effective)},
            {"Computed", domain::healthName(view.computed)},
            {"Declared", view.declared ? domain::nameText(*view.declared) + " (" + view.declaredReason + ")"
                                       : std::string("not declared")}};
}

std::string headline(const SummaryView& view)
{
    return view.code + " — " + view.title;
}

std::string subtitle(const SummaryView& view)
{
    return "Status summary as of " + view.asOf + " (project status: " + view.status + ")";
}

std::string markdownFacts(const Facts& facts)
{
    std::string out;
    for (const auto& [label, value] : facts)
        out += "- **" + label + ":** " + escapeMarkdown(value) + "\n";
    return out;
}

std::string markdownList(const std::vector<std::string>& items, const std::string& empty)
{
    if (items.empty())
        return empty + "\n";
    std::string out;
    for (const auto& item : items)
        out += "- " + escapeMarkdown(item) + "\n";
    return out;
}

std::string plainFacts(const Facts& facts)
{
    std::string out;
    for (const auto& [label, value] : facts)
        out += "  " + label + ":" + std::string(label.size() < 16 ? 16 - label.size() : 1, ' ') + value + "\n";
    return out;
}

std::string plainList(const std::vector<std::string>& items, const std::string& empty, const std::string& indent)
{
    if (items.empty())
        return indent + empty + "\n";
    std::string out;
    for (const auto& item : items)
        out += indent + "- " + item + "\n";
    return out;
}

std::string htmlFacts(const Facts& facts)
{
    std::string out = "<dl class=\"meta\">";
    for (const auto& [label, value] : facts)
        out += "<dt>" + escapeHtml(label) + "</dt><dd>" + escapeHtml(value) + "</dd>";
    return out + "</dl>\n";
}

std::string htmlList(const std::vector<std::string>& items, const std::string& empty)
{
    if (items.empty())
        return "<p class=\"muted\">" + escapeHtml(empty) + "</p>\n";
    std::string out = "<ul>";
    for (const auto& item : items)
        out += "<li>" + escapeHtml(item) + "</li>";
    return out + "</ul>\n";
}

std::string htmlHealth(const SummaryView& view)
{
    std::string out = "<h2>Health</h2>\n<dl class=\"meta\"><dt>Effective</dt><dd>" + healthBadge(view.effective) +
                      "</dd><dt>Computed</dt><dd>" + healthBadge(view.computed) + "</dd><dt>Declared</dt><dd>";
    out += view.declared ? healthBadge(view.declared) + " " + escapeHtml(view.declaredReason) : "not declared";
    out += "</dd></dl>\n<h3>Reasons</h3>\n" + htmlList(view.reasons, "No health rule fired.");
    return out;
}
} // namespace

std::string summaryMarkdown(const StatusSummary& summary)
{
    const SummaryView view = viewOf(summary);
    std::string md = "# " + escapeMarkdown(headline(view)) + "\n\n" + escapeMarkdown(subtitle(view)) + "\n\n";
    md += escapeMarkdown(view.text) + "\n\n## Health\n\n" + markdownFacts(healthFacts(view));
    md += "\nReasons:\n\n" + markdownList(view.reasons, "No health rule fired.");
    md += "\n## Milestones\n\n" + markdownFacts(view.milestones);
    md += "\n## Contributions\n\n" + markdownFacts(view.contributions);
    md += "\n## Missions\n\n" + markdownList(view.missions, "None.");
    return md;
}

std::string summaryPlainText(const StatusSummary& summary)
{
    const SummaryView view = viewOf(summary);
    std::string txt = headline(view) + "\n" + subtitle(view) + "\n\n" + view.text + "\n\n";
    txt += "Health\n" + plainFacts(healthFacts(view)) + "  Reasons:\n" +
           plainList(view.reasons, "No health rule fired.", "    ");
    txt += "\nMilestones\n" + plainFacts(view.milestones);
    txt += "\nContributions\n" + plainFacts(view.contributions);
    txt += "\nMissions\n" + plainList(view.missions, "None.", "  ");
    return domain::displayableText(txt);
}

std::string summaryHtml(const StatusSummary& summary)
{
    const SummaryView view = viewOf(summary);
    std::string body = "<header>\n<h1>" + escapeHtml(headline(view)) + " " + healthBadge(view.effective) +
                       "</h1>\n<p class=\"muted\">" + escapeHtml(subtitle(view)) + "</p>\n</header>\n<main>\n";
    body += "<p class=\"lead\">" + escapeHtml(view.text) + "</p>\n" + htmlHealth(view);
    body += "<h2>Milestones</h2>\n" + progressBar(view.progress) + htmlFacts(view.milestones);
    body += "<h2>Contributions</h2>\n" + htmlFacts(view.contributions);
    body += "<h2>Missions</h2>\n" + htmlList(view.missions, "None.") + "</main>\n";
    body += "<footer>captrack status summary, as of " + escapeHtml(view.asOf) + "</footer>\n";
    return htmlPage(headline(view) + " — status summary " + view.asOf, body);
}

} // namespace captrack::report::detail
