// What changed between two states of the portfolio, as CSV and as Markdown (docs/HTTP.md "What changed").

#include "CsvWriter.h"
#include "RenderFormats.h"
#include "RenderText.h"

#include <functional>
#include <sstream>

namespace captrack::report::detail
{

namespace
{
/// One figure of the totals, before and after, written the same way in every format.
struct Figure
{
    const char* name;
    std::function<std::string(const StateTotals&)> value;
};

std::string whole(Poco::Int64 value)
{
    return std::to_string(value);
}

const std::vector<Figure>& figures()
{
    static const std::vector<Figure> all{
        {"projects", [](const StateTotals& t) { return whole(t.projects); }},
        {"health green", [](const StateTotals& t) { return whole(t.green); }},
        {"health amber", [](const StateTotals& t) { return whole(t.amber); }},
        {"health red", [](const StateTotals& t) { return whole(t.red); }},
        {"health none", [](const StateTotals& t) { return whole(t.none); }},
        {"milestones", [](const StateTotals& t) { return whole(t.milestones); }},
        {"milestones done", [](const StateTotals& t) { return whole(t.done); }},
        {"milestones overdue", [](const StateTotals& t) { return whole(t.overdue); }},
        {"budget EUR", [](const StateTotals& t) { return whole(t.budgetEur); }},
        {"pledged EUR", [](const StateTotals& t) { return whole(t.pledgedEur); }},
        {"committed EUR", [](const StateTotals& t) { return whole(t.committedEur); }},
        {"delivered EUR", [](const StateTotals& t) { return whole(t.deliveredEur); }},
        {"person-months", [](const StateTotals& t) { return decimalText(t.personMonths); }},
    };
    return all;
}

std::string orNone(const std::optional<std::string>& text)
{
    return text ? *text : "none";
}

std::string joined(const std::vector<std::string>& reasons)
{
    std::string out;
    for (const auto& reason : reasons)
        out += (out.empty() ? "" : "; ") + reason;
    return out;
}

/// A Markdown table: header cells, then rows (cells already escaped).
void table(std::ostringstream& out, const std::vector<std::string>& header,
           const std::vector<std::vector<std::string>>& rows)
{
    if (rows.empty())
    {
        out << "No changes.\n\n";
        return;
    }
    std::string line = "|", rule = "|";
    for (const auto& cell : header)
    {
        line += " " + cell + " |";
        rule += " --- |";
    }
    out << line << "\n" << rule << "\n";
    for (const auto& row : rows)
    {
        line = "|";
        for (const auto& cell : row)
            line += " " + cell + " |";
        out << line << "\n";
    }
    out << "\n";
}
} // namespace

std::string changesCsv(const PortfolioChanges& c)
{
    CsvWriter csv;
    for (const char* name :
         {"section", "project_code", "item", "change", "from", "to", "days", "amount_eur_before", "amount_eur_after"})
        csv.text(name);
    csv.endLine();
    auto line = [&csv](const std::vector<std::string>& cells) {
        for (const auto& cell : cells)
            csv.text(cell);
        csv.endLine();
    };
    for (const auto& figure : figures())
        line({"totals", "", figure.name, "", figure.value(c.before), figure.value(c.after), "", "", ""});
    for (const auto& h : c.health)
    {
        line({"health", h.code, h.title, "effective", orNone(h.from.effective), orNone(h.to.effective), "", "", ""});
        line({"health", h.code, h.title, "computed", orNone(h.from.computed), orNone(h.to.computed), "", "", ""});
        line({"health", h.code, h.title, "declared", orNone(h.from.declared), orNone(h.to.declared), "", "", ""});
        line({"health", h.code, h.title, "reasons", joined(h.from.reasons), joined(h.to.reasons), "", "", ""});
    }
    for (const auto& p : c.projects)
        line({"projects", p.code, p.title, p.change, p.from, p.to, "", "", ""});
    for (const auto& m : c.milestones)
        line({"milestones", m.projectCode, m.title, m.change, m.dueBefore.value_or(""), m.dueAfter.value_or(""),
              std::to_string(m.days), "", ""});
    for (const auto& k : c.contributions)
        line({"contributions", k.projectCode, k.partnerCode, k.change, k.stateBefore.value_or(""),
              k.stateAfter.value_or(""), "", std::to_string(k.amountBefore), std::to_string(k.amountAfter)});
    return csv.str();
}

std::string changesMarkdown(const PortfolioChanges& c)
{
    std::ostringstream out;
    out << "# What changed: " << escapeMarkdown(c.fromName) << " (" << c.fromAsOf << ") to " << escapeMarkdown(c.toName)
        << " (" << c.toAsOf << ")\n\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& figure : figures())
        rows.push_back({capitalised(figure.name), figure.value(c.before), figure.value(c.after)});
    out << "## Totals\n\n";
    table(out, {"Figure", "Before", "After"}, rows);
    rows.clear();
    for (const auto& h : c.health)
        rows.push_back({escapeMarkdown(h.code), escapeMarkdown(h.title), orNone(h.from.effective),
                        orNone(h.to.effective), orNone(h.from.computed) + " → " + orNone(h.to.computed),
                        escapeMarkdown(joined(h.from.reasons)), escapeMarkdown(joined(h.to.reasons))});
    out << "## Health\n\n";
    table(out, {"Project", "Title", "From", "To", "Computed", "Reasons before", "Reasons now"}, rows);
    rows.clear();
    for (const auto& p : c.projects)
        rows.push_back(
            {escapeMarkdown(p.code), escapeMarkdown(p.title), capitalised(humanName(p.change)), p.from, p.to});
    out << "## Projects\n\n";
    table(out, {"Project", "Title", "Change", "From", "To"}, rows);
    rows.clear();
    for (const auto& m : c.milestones)
        rows.push_back({escapeMarkdown(m.projectCode), escapeMarkdown(m.title), capitalised(humanName(m.change)),
                        m.dueBefore.value_or(""), m.dueAfter.value_or(""), m.days ? std::to_string(m.days) : ""});
    out << "## Milestones\n\n";
    table(out, {"Project", "Milestone", "Change", "Due before", "Due after", "Days"}, rows);
    rows.clear();
    for (const auto& k : c.contributions)
        rows.push_back({escapeMarkdown(k.projectCode), escapeMarkdown(k.partnerCode), capitalised(humanName(k.change)),
                        k.stateBefore.value_or(""), k.stateAfter.value_or(""), std::to_string(k.amountBefore),
                        std::to_string(k.amountAfter)});
    out << "## Contributions\n\n";
    table(out, {"Project", "Partner", "Change", "State before", "State after", "EUR before", "EUR after"}, rows);
    return out.str();
}

} // namespace captrack::report::detail
