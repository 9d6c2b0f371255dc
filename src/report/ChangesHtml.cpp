// What changed between two states of the portfolio, as one self-contained HTML page: each health change
// drawn as the badge it had and the badge it has, the health counts before and after as bars.

#include "HtmlPage.h"
#include "RenderFormats.h"
#include "RenderText.h"

#include <sstream>

namespace captrack::report::detail
{

namespace
{
std::optional<domain::Health> healthOf(const std::optional<std::string>& name)
{
    return name ? domain::parseName<domain::Health>(*name) : std::nullopt;
}

std::string cell(const std::string& text, bool number = false)
{
    return std::string(number ? "<td class=\"n\">" : "<td>") + text + "</td>";
}

/// The health counts of one side as a bar of four coloured parts, widths in proportion.
std::string healthBar(const std::string& label, const StateTotals& t)
{
    const Poco::Int64 total = std::max<Poco::Int64>(1, t.green + t.amber + t.red + t.none);
    std::ostringstream svg;
    svg << "<figure><figcaption>" << escapeHtml(label) << "</figcaption><svg role=\"img\" aria-label=\""
        << escapeHtml(label) << ": " << t.green << " green, " << t.amber << " amber, " << t.red << " red, " << t.none
        << " none\" viewBox=\"0 0 400 24\" width=\"400\" height=\"24\">";
    double x = 0;
    const std::pair<std::optional<domain::Health>, Poco::Int64> parts[] = {{domain::Health::Green, t.green},
                                                                           {domain::Health::Amber, t.amber},
                                                                           {domain::Health::Red, t.red},
                                                                           {std::nullopt, t.none}};
    for (const auto& [health, count] : parts)
    {
        const double width = 400.0 * static_cast<double>(count) / static_cast<double>(total);
        svg << "<rect x=\"" << x << "\" y=\"0\" width=\"" << width << "\" height=\"24\" fill=\"" << healthColour(health)
            << "\"/>";
        x += width;
    }
    svg << "</svg></figure>";
    return svg.str();
}

std::string section(const std::string& title, const std::string& head, const std::vector<std::string>& rows)
{
    std::string out = "<h2>" + escapeHtml(title) + "</h2>\n";
    if (rows.empty())
        return out + "<p class=\"muted\">No changes.</p>\n";
    out += "<div class=\"scroll\"><table class=\"wide\"><thead><tr>" + head + "</tr></thead><tbody>\n";
    for (const auto& row : rows)
        out += "<tr>" + row + "</tr>\n";
    return out + "</tbody></table></div>\n";
}

std::string th(const std::vector<const char*>& names)
{
    std::string out;
    for (const char* name : names)
        out += std::string("<th scope=\"col\">") + name + "</th>";
    return out;
}
} // namespace

std::string changesHtml(const PortfolioChanges& c)
{
    const std::string title =
        "What changed: " + c.fromName + " (" + c.fromAsOf + ") to " + c.toName + " (" + c.toAsOf + ")";
    std::string body = "<h1>" + escapeHtml(title) + "</h1>\n";
    body += healthBar("Health before (" + c.fromAsOf + ")", c.before) +
            healthBar("Health after (" + c.toAsOf + ")", c.after);
    const auto totals = [&c] {
        const std::pair<const char*, std::pair<Poco::Int64, Poco::Int64>> rows[] = {
            {"Projects", {c.before.projects, c.after.projects}},
            {"Milestones", {c.before.milestones, c.after.milestones}},
            {"Milestones done", {c.before.done, c.after.done}},
            {"Milestones overdue", {c.before.overdue, c.after.overdue}},
            {"Budget (EUR)", {c.before.budgetEur, c.after.budgetEur}},
            {"Pledged (EUR)", {c.before.pledgedEur, c.after.pledgedEur}},
            {"Committed (EUR)", {c.before.committedEur, c.after.committedEur}},
            {"Delivered (EUR)", {c.before.deliveredEur, c.after.deliveredEur}}};
        std::vector<std::string> out;
        for (const auto& [name, values] : rows)
            out.push_back(cell(name) + cell(std::to_string(values.first), true) +
                          cell(std::to_string(values.second), true));
        out.push_back(cell("Person-months") + cell(decimalText(c.before.personMonths), true) +
                      cell(decimalText(c.after.personMonths), true));
        return out;
    }();
    body += section("Totals", th({"Figure", "Before", "After"}), totals);
    std::vector<std::string> rows;
    for (const auto& h : c.health)
    {
        auto reasons = [](const HealthSide& side) {
            std::string out;
            for (const auto& reason : side.reasons)
                out += (out.empty() ? "" : "<br>") + escapeHtml(reason);
            return out;
        };
        rows.push_back(cell(escapeHtml(h.code)) + cell(escapeHtml(h.title)) +
                       cell(healthBadge(healthOf(h.from.effective)) + " → " + healthBadge(healthOf(h.to.effective))) +
                       cell(healthBadge(healthOf(h.from.computed)) + " → " + healthBadge(healthOf(h.to.computed))) +
                       cell(reasons(h.from)) + cell(reasons(h.to)));
    }
    body +=
        section("Health",
                th({"Project", "Title", "Effective health", "Computed health", "Reasons before", "Reasons now"}), rows);
    rows.clear();
    for (const auto& p : c.projects)
        rows.push_back(cell(escapeHtml(p.code)) + cell(escapeHtml(p.title)) +
                       cell(escapeHtml(capitalised(humanName(p.change)))) + cell(escapeHtml(p.from)) +
                       cell(escapeHtml(p.to)));
    body += section("Projects", th({"Project", "Title", "Change", "From", "To"}), rows);
    rows.clear();
    for (const auto& m : c.milestones)
        rows.push_back(cell(escapeHtml(m.projectCode)) + cell(escapeHtml(m.title)) +
                       cell(escapeHtml(capitalised(humanName(m.change)))) + cell(m.dueBefore.value_or("")) +
                       cell(m.dueAfter.value_or("")) + cell(m.days ? std::to_string(m.days) : "", true));
    body += section("Milestones", th({"Project", "Milestone", "Change", "Due before", "Due after", "Days"}), rows);
    rows.clear();
    for (const auto& k : c.contributions)
        rows.push_back(cell(escapeHtml(k.projectCode)) + cell(escapeHtml(k.partnerCode)) +
                       cell(escapeHtml(capitalised(humanName(k.change)))) +
                       cell(escapeHtml(k.stateBefore.value_or(""))) + cell(escapeHtml(k.stateAfter.value_or(""))) +
                       cell(std::to_string(k.amountBefore), true) + cell(std::to_string(k.amountAfter), true));
    body +=
        section("Contributions",
                th({"Project", "Partner", "Change", "State before", "State after", "EUR before", "EUR after"}), rows);
    return htmlPage(title, body);
}

} // namespace captrack::report::detail
