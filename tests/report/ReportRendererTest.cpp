#include "StatusRulesFixture.h"
#include "captrack/Errors.h"
#include "captrack/report/PortfolioReport.h"
#include "captrack/report/Renderers.h"
#include "captrack/report/StatusSummary.h"

#include <Poco/JSON/Array.h>

#include <cppunit/extensions/HelperMacros.h>

#include <sstream>

using namespace captrack;
using domain::Date;
using domain::MilestoneFacts;
using Poco::JSON::Array;
using Poco::JSON::Object;
using report::ProjectFacts;

namespace
{
const Date AS_OF = *Date::parse("2026-11-26");
const std::string EVIL_TITLE = "<script>alert(1)</script>&\"'";
const std::string ESCAPED_EVIL_TITLE = "&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;";

MilestoneFacts milestone(Poco::Int64 id, const std::string& title, const char* baseline, const char* forecast,
                         const char* actual = nullptr)
{
    MilestoneFacts m;
    m.id = id;
    m.title = title;
    m.baseline = *Date::parse(baseline);
    if (forecast)
        m.forecast = Date::parse(forecast);
    if (actual)
        m.actual = Date::parse(actual);
    m.status = actual ? domain::MilestoneStatus::Done : domain::MilestoneStatus::InProgress;
    return m;
}

report::ContributionFacts contribution(Poco::Int64 partnerId, const std::string& framework, const std::string& state,
                                       Poco::Int64 amount, double months)
{
    report::ContributionFacts c;
    c.partnerId = partnerId;
    c.partnerCode = "P" + std::to_string(partnerId);
    c.framework = framework;
    c.state = domain::storedValue<domain::ContributionState>(state);
    c.amountEur = amount;
    c.personMonths = months;
    return c;
}

/// A project with its status rules applied, as the loader would hand it to the builders.
ProjectFacts project(Poco::Int64 id, const std::string& title, std::vector<MilestoneFacts> milestones,
                     std::vector<report::ContributionFacts> contributions, const std::string& status = "implementation")
{
    ProjectFacts p;
    p.id = id;
    p.code = "PRJ-" + std::to_string(id);
    p.title = title;
    p.kind = domain::ProjectKind::Scientific;
    p.status = domain::storedValue<domain::ProjectStatus>(status);
    p.budgetEur = 1000000 * id + 234567;
    p.milestones = std::move(milestones);
    p.contributions = std::move(contributions);
    p.missions = {"KFOR"};
    p.computed = captrack::testing::judge(domain::nameText(p.status), p.milestones, AS_OF);
    p.rollup = captrack::testing::rollUpOf(p.milestones, AS_OF);
    p.effective = domain::effectiveHealth(p.declared, p.computed.health);
    return p;
}

std::vector<ProjectFacts> sampleProjects()
{
    return {project(1, "Field hospital",
                    {milestone(11, "Site survey", "2026-01-10", nullptr, "2026-01-20"),
                     milestone(12, "Field trial", "2026-09-01", "2026-10-01"),
                     milestone(13, "Report", "2026-11-20", nullptr)},
                    {contribution(1, "EAPC", "committed", 250000, 12.5), contribution(2, "MD", "pledged", 40000, 3)}),
            project(2, EVIL_TITLE, {milestone(21, "Handover", "2027-01-15", nullptr)},
                    {contribution(1, "EAPC", "delivered", 1234567, 0)}),
            project(3, "No contributions", {}, {}, "closed")};
}

report::PortfolioReport samplePortfolio(std::size_t listLimit = 1000)
{
    report::PortfolioReportInput input;
    input.asOf = AS_OF;
    input.groupBy = report::Grouping::Framework;
    input.filters = {{"status", {}}};
    input.listLimit = listLimit;
    input.includeProjects = true;
    return report::buildPortfolioReport(sampleProjects(), input);
}

/// Renders in the format named `format` (as the `format` query parameter gives it).
report::Rendered render(const report::PortfolioReport& portfolio, const std::string& format)
{
    return report::renderPortfolio(portfolio, report::portfolioFormat(format));
}

report::Rendered render(const report::StatusSummary& summary, const std::string& format)
{
    return report::renderSummary(summary, report::summaryFormat(format));
}

/// Splits an RFC 4180 document into records of fields; fails the test on a bare LF.
std::vector<std::vector<std::string>> parseCsv(const std::string& text)
{
    std::vector<std::vector<std::string>> records(1, std::vector<std::string>(1));
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i)
    {
        const char c = text[i];
        std::string& field = records.back().back();
        if (quoted && c == '"' && i + 1 < text.size() && text[i + 1] == '"')
            field += text[++i];
        else if (c == '"')
            quoted = !quoted;
        else if (!quoted && c == ',')
            records.back().emplace_back();
        else if (!quoted && c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')
        {
            ++i;
            records.emplace_back(1);
        }
        else
        {
            CPPUNIT_ASSERT_MESSAGE("bare line break outside quotes", quoted || c != '\n');
            field += c;
        }
    }
    CPPUNIT_ASSERT_MESSAGE("the document ends with CRLF", records.back().size() == 1 && records.back()[0].empty());
    records.pop_back();
    return records;
}

/// The numbers of a row or the totals, in CSV column order, as the JSON holds them.
std::vector<std::string> jsonFigures(const Object& row)
{
    const auto health = row.getObject("health");
    const auto milestones = row.getObject("milestones");
    const auto contributions = row.getObject("contributions");
    std::vector<std::string> out{row.get("projects").toString()};
    for (const char* key : {"green", "amber", "red", "none"})
        out.push_back(health->get(key).toString());
    for (const char* key : {"total", "done", "overdue"})
        out.push_back(milestones->get(key).toString());
    out.push_back(row.get("budget_eur").toString());
    for (const char* key : {"pledged_eur", "committed_eur", "delivered_eur", "person_months"})
        out.push_back(contributions->get(key).toString());
    return out;
}

/// The line of `text` that starts with `prefix`, or "".
std::string lineStartingWith(const std::string& text, const std::string& prefix)
{
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);)
        if (line.rfind(prefix, 0) == 0)
            return line;
    return "";
}

std::size_t occurrences(const std::string& text, const std::string& part)
{
    std::size_t count = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size()))
        ++count;
    return count;
}

/// A minimal report with one row whose key and label are `key` and `label`.
report::PortfolioReport oneRowReport(const std::string& key, const std::string& label)
{
    report::GroupFigures figures;
    figures.projects = 2;
    figures.green = 1;
    figures.red = 1;
    figures.milestonesTotal = 5;
    figures.milestonesDone = 2;
    figures.milestonesOverdue = 1;
    figures.budgetEur = 7;
    figures.contributed = {1, 2, 3};
    figures.personMonths = 4.25;
    report::PortfolioReport portfolio;
    portfolio.asOf = AS_OF;
    portfolio.groupBy = report::Grouping::Partner;
    portfolio.rows = {{key, label, figures}};
    portfolio.totals = figures;
    return portfolio;
}
} // namespace

class ReportRendererTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ReportRendererTest);
    CPPUNIT_TEST(testCsvRowsCarryTheJsonNumbers);
    CPPUNIT_TEST(testCsvQuotesPerRfc4180);
    CPPUNIT_TEST(testCsvGuardsAgainstFormulaInjection);
    CPPUNIT_TEST(testMarkdownRowsCarryTheJsonNumbers);
    CPPUNIT_TEST(testMarkdownSaysWhenListsAreCut);
    CPPUNIT_TEST(testMarkdownEscapesUserText);
    CPPUNIT_TEST(testHtmlEscapesUserText);
    CPPUNIT_TEST(testHtmlIsSelfContainedWithSvgCharts);
    CPPUNIT_TEST(testHtmlLeavesOutTimelinesBeyond300Projects);
    CPPUNIT_TEST(testSummaryFormatsCarryTextAndNumbers);
    CPPUNIT_TEST(testUnknownFormatsAreBadRequests);
    CPPUNIT_TEST(testJsonIsOneMoreRendering);
    CPPUNIT_TEST_SUITE_END();

public:
    void testCsvRowsCarryTheJsonNumbers()
    {
        const auto portfolio = samplePortfolio();
        const auto json = report::portfolioJson(portfolio);
        const auto rendered = render(portfolio, "csv");
        CPPUNIT_ASSERT_EQUAL(std::string("text/csv; charset=utf-8"), rendered.contentType);
        const auto records = parseCsv(rendered.body);
        const auto rows = json->getArray("rows");
        CPPUNIT_ASSERT_EQUAL(rows->size() + 2, records.size());
        CPPUNIT_ASSERT_EQUAL(std::string("key,label,projects,green,amber,red,none,milestones_total,milestones_done,"
                                         "milestones_overdue,budget_eur,pledged_eur,committed_eur,delivered_eur,"
                                         "person_months\r\n"),
                             rendered.body.substr(0, rendered.body.find('\n') + 1));
        for (std::size_t i = 0; i < rows->size(); ++i)
        {
            const auto row = rows->getObject(static_cast<unsigned>(i));
            const auto& record = records[i + 1];
            CPPUNIT_ASSERT_EQUAL(row->isNull("key") ? std::string() : row->getValue<std::string>("key"), record[0]);
            CPPUNIT_ASSERT_EQUAL(row->getValue<std::string>("label"), record[1]);
            CPPUNIT_ASSERT(jsonFigures(*row) == std::vector<std::string>(record.begin() + 2, record.end()));
        }
        const auto& total = records.back();
        CPPUNIT_ASSERT_EQUAL(std::string("TOTAL"), total[0]);
        CPPUNIT_ASSERT_EQUAL(std::string(), total[1]);
        CPPUNIT_ASSERT(jsonFigures(*json->getObject("totals")) ==
                       std::vector<std::string>(total.begin() + 2, total.end()));
        CPPUNIT_ASSERT_EQUAL(std::string("12.5"), records[1].back()); // EAPC person-months, not rounded
    }

    void testCsvQuotesPerRfc4180()
    {
        const auto body = render(oneRowReport("K1", "Alpha, \"Beta\"\r\nGamma"), "csv").body;
        CPPUNIT_ASSERT(body.find("\r\nK1,\"Alpha, \"\"Beta\"\"\r\nGamma\",2,1,0,1,0,5,2,1,7,1,2,3,4.25\r\n") !=
                       std::string::npos);
        CPPUNIT_ASSERT(body.find("\r\nTOTAL,,2,1,0,1,0,5,2,1,7,1,2,3,4.25\r\n") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("Alpha, \"Beta\"\r\nGamma"), parseCsv(body)[1][1]);
    }

    void testCsvGuardsAgainstFormulaInjection()
    {
        struct Case
        {
            const char* label;
            const char* field;
        };
        const Case cases[] = {{"=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""},
                              {"+41", "'+41"},
                              {"-2+3", "'-2+3"},
                              {"@SUM(A1)", "'@SUM(A1)"},
                              {"Plain - text", "Plain - text"}};
        for (const auto& c : cases)
        {
            const auto body = render(oneRowReport("=K", c.label), "csv").body;
            CPPUNIT_ASSERT_MESSAGE(c.label, body.find("\r\n'=K," + std::string(c.field) + ",2,") != std::string::npos);
        }
    }

    void testMarkdownRowsCarryTheJsonNumbers()
    {
        const auto portfolio = samplePortfolio();
        const auto json = report::portfolioJson(portfolio);
        const auto rendered = render(portfolio, "md");
        CPPUNIT_ASSERT_EQUAL(std::string("text/markdown; charset=utf-8"), rendered.contentType);
        CPPUNIT_ASSERT(rendered.body.find("2026-11-26") < rendered.body.find('\n'));
        CPPUNIT_ASSERT(rendered.body.find("framework") < rendered.body.find('\n'));
        const auto rows = json->getArray("rows");
        for (std::size_t i = 0; i < rows->size(); ++i)
        {
            const auto row = rows->getObject(static_cast<unsigned>(i));
            const auto figures = jsonFigures(*row);
            std::string expected = " |";
            for (std::size_t f = 0; f < figures.size(); ++f)
            {
                const bool amount = f >= 8 && f <= 11;
                expected += " " + (amount ? report::euros(std::stoll(figures[f])) : figures[f]) + " |";
            }
            const std::string line = lineStartingWith(rendered.body, "| " + row->getValue<std::string>("label") + " |");
            CPPUNIT_ASSERT_MESSAGE(line, !line.empty() && line.find(expected) != std::string::npos);
        }
        CPPUNIT_ASSERT(lineStartingWith(rendered.body, "| **Total** |").find(" | €6,703,701 | ") != std::string::npos);
    }

    void testMarkdownSaysWhenListsAreCut()
    {
        const auto portfolio = samplePortfolio(1);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), report::portfolioJson(portfolio)->getValue<Poco::Int64>("overdue_total"));
        const auto body = render(portfolio, "md").body;
        CPPUNIT_ASSERT(body.find("showing 1 of 2") != std::string::npos);
        CPPUNIT_ASSERT(body.find("| PRJ-2 | M-21 |") != std::string::npos); // due soon, not cut
    }

    void testMarkdownEscapesUserText()
    {
        const auto body = render(oneRowReport("K", "R&D | <img src=x> *new*\nline"), "md").body;
        CPPUNIT_ASSERT(
            body.find("| R&D \\| \\<img src=x\\> \\*new\\* line | K | 2 | 1 | 0 | 1 | 0 | 5 | 2 | 1 | €7 | €1 | "
                      "€2 | €3 | 4.25 |\n") != std::string::npos);
        for (auto at = body.find('<'); at != std::string::npos; at = body.find('<', at + 1))
            CPPUNIT_ASSERT_EQUAL('\\', body[at - 1]); // no raw HTML
    }

    void testHtmlEscapesUserText()
    {
        auto portfolio = samplePortfolio();
        portfolio.rows.at(0).label = EVIL_TITLE;
        const auto rendered = render(portfolio, "html");
        CPPUNIT_ASSERT_EQUAL(std::string("text/html; charset=utf-8"), rendered.contentType);
        CPPUNIT_ASSERT(occurrences(rendered.body, ESCAPED_EVIL_TITLE) >= 2); // the row label and a project title
        CPPUNIT_ASSERT(rendered.body.find("<script") == std::string::npos);
        CPPUNIT_ASSERT(rendered.body.find("alert(1)</") == std::string::npos);
    }

    void testHtmlIsSelfContainedWithSvgCharts()
    {
        const auto portfolio = samplePortfolio();
        const auto body = render(portfolio, "html").body;
        CPPUNIT_ASSERT(body.rfind("<!DOCTYPE html>", 0) == 0);
        for (const char* forbidden : {"<script", "http://", "https://", " src=", "url(", "<link", "@import"})
            CPPUNIT_ASSERT_MESSAGE(forbidden, body.find(forbidden) == std::string::npos);
        CPPUNIT_ASSERT(body.find("@media print") != std::string::npos);
        CPPUNIT_ASSERT(body.find("<title id=\"health-chart-title\">") != std::string::npos);
        CPPUNIT_ASSERT(body.find("<desc id=\"health-chart-desc\">3 projects: green 1, amber 0, red 1, none 1.") !=
                       std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), occurrences(body, "<svg class=\"timeline\"")); // PRJ-3 has none
        CPPUNIT_ASSERT(body.find("<title>M-12 Field trial (in progress): baseline 2026-09-01, due 2026-10-01, slip 30 "
                                 "days, overdue 56 days</title>") != std::string::npos);
        CPPUNIT_ASSERT(body.find("stroke=\"#c62828\" stroke-width=\"2.5\"") != std::string::npos); // drawn red
        CPPUNIT_ASSERT(body.find("as of 2026-11-26") != std::string::npos);
        CPPUNIT_ASSERT(body.find(">Sep 2026<") != std::string::npos || body.find(">Sep<") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(body, render(portfolio, "html").body); // deterministic
    }

    void testHtmlLeavesOutTimelinesBeyond300Projects()
    {
        auto portfolio = samplePortfolio();
        const auto first = portfolio.projects->at(0);
        portfolio.projects = std::vector<report::TimelineProject>(302, first);
        const auto body = render(portfolio, "html").body;
        CPPUNIT_ASSERT_EQUAL(std::size_t(300), occurrences(body, "<svg class=\"timeline\""));
        CPPUNIT_ASSERT(body.find("2 more were left out") != std::string::npos);
    }

    void testSummaryFormatsCarryTextAndNumbers()
    {
        auto p = sampleProjects()[0];
        p.declared = domain::Health::Green;
        p.declaredReason = "Trial moved with the host nation";
        p.effective = p.declared;
        const auto summary = report::buildStatusSummary(p, AS_OF);
        const std::string text = summary.text;
        const auto txt = render(summary, "txt");
        CPPUNIT_ASSERT_EQUAL(std::string("text/plain; charset=utf-8"), txt.contentType);
        CPPUNIT_ASSERT(txt.body.find(text) != std::string::npos);
        for (const auto& format : {"txt", "md", "html"})
        {
            const auto body = render(summary, format).body;
            for (const char* part : {"€250,000", "€40,000", "15.5", "Trial moved with the host nation", "KFOR"})
                CPPUNIT_ASSERT_MESSAGE(std::string(format) + ": " + part, body.find(part) != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(format, body.find("red") != std::string::npos); // computed, beside declared
        }
        const auto html = render(summary, "html");
        CPPUNIT_ASSERT_EQUAL(std::string("text/html; charset=utf-8"), html.contentType);
        CPPUNIT_ASSERT(html.body.find("<span class=\"badge green\">") != std::string::npos);
        CPPUNIT_ASSERT(html.body.find("<script") == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("text/markdown; charset=utf-8"), render(summary, "md").contentType);
        const auto evil = report::buildStatusSummary(sampleProjects()[1], AS_OF);
        CPPUNIT_ASSERT(render(evil, "html").body.find(ESCAPED_EVIL_TITLE) != std::string::npos);
    }

    void testUnknownFormatsAreBadRequests()
    {
        const auto summary = report::buildStatusSummary(sampleProjects()[0], AS_OF);
        const auto portfolio = samplePortfolio();
        for (const char* format : {"csv", "svg", "pdf", "HTML", ""})
            CPPUNIT_ASSERT_THROW_MESSAGE(format, (void)render(summary, format), BadRequestError);
        for (const char* format : {"txt", "svg", "pdf", "Xlsx", ""})
            CPPUNIT_ASSERT_THROW_MESSAGE(format, (void)render(portfolio, format), BadRequestError);
    }

    /// JSON is one more rendering of the same struct: the API's answer, byte for byte.
    void testJsonIsOneMoreRendering()
    {
        const auto portfolio = samplePortfolio();
        const auto rendered = render(portfolio, "json");
        CPPUNIT_ASSERT_EQUAL(std::string("application/json"), rendered.contentType);
        std::ostringstream expected;
        report::portfolioJson(portfolio)->stringify(expected);
        CPPUNIT_ASSERT_EQUAL(expected.str(), rendered.body);
        const auto summary = report::buildStatusSummary(sampleProjects()[0], AS_OF);
        std::ostringstream summaryJson;
        report::summaryJson(summary)->stringify(summaryJson);
        CPPUNIT_ASSERT_EQUAL(summaryJson.str(), render(summary, "json").body);
        CPPUNIT_ASSERT(summaryJson.str().find("\"text\":\"" + report::summaryJson(summary)->getValue<std::string>(
                                                                  "text")) != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ReportRendererTest);
