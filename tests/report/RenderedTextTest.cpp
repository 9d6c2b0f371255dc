#include "StatusRulesFixture.h"
#include "XmlCheck.h"

#include "captrack/domain/Utf8.h"
#include "captrack/report/PortfolioReport.h"
#include "captrack/report/Renderers.h"
#include "captrack/report/StatusSummary.h"
#include "captrack/report/TrendChart.h"

#include <Poco/JSON/Array.h>

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>

using namespace captrack;
using domain::Date;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace
{
const Date AS_OF = *Date::parse("2026-11-26");

/// 80 Ukrainian characters (two bytes each): a cut after an odd number of bytes splits a letter.
std::string ukrainianTitle()
{
    std::string title;
    for (int i = 0; i < 8; ++i)
        title += "Польовий т"; // ten characters
    return title;
}

/// Text that rows written before the text rule may hold: controls, DEL, C1, a right-to-left override,
/// a byte that is not UTF-8 and a non-character.
const std::string HOSTILE = std::string("Trial\x01\x0B\x1B[2J\x7F") + "\xC2\x85" + "\xE2\x80\xAE" + "gnp\xFF" +
                            "\xEF\xBF\xBE" + std::string(1, '\0') + " end";

domain::MilestoneFacts milestone(Poco::Int64 id, const std::string& title, const char* baseline, const char* forecast)
{
    domain::MilestoneFacts m;
    m.id = id;
    m.title = title;
    m.baseline = *Date::parse(baseline);
    m.forecast = Date::parse(forecast);
    m.status = domain::MilestoneStatus::InProgress;
    return m;
}

report::ProjectFacts project(Poco::Int64 id, const std::string& title)
{
    report::ProjectFacts p;
    p.id = id;
    p.code = "PRJ-" + std::to_string(id);
    p.title = title;
    p.kind = domain::ProjectKind::Capability;
    p.status = domain::ProjectStatus::Implementation;
    p.declared = domain::Health::Amber;
    p.declaredReason = title;
    p.milestones = {milestone(id * 10 + 1, title, "2026-09-01", "2026-10-01"),
                    milestone(id * 10 + 2, HOSTILE, "2026-12-01", "2026-12-20")};
    p.missions = {"KFOR"};
    p.computed = captrack::testing::judge(domain::nameText(p.status), p.milestones, AS_OF);
    p.rollup = captrack::testing::rollUpOf(p.milestones, AS_OF);
    p.effective = domain::effectiveHealth(p.declared, p.computed.health);
    return p;
}

report::PortfolioReport portfolioOf(const std::string& title)
{
    report::PortfolioReportInput input;
    input.asOf = AS_OF;
    input.groupBy = report::Grouping::Status;
    input.includeProjects = true;
    return report::buildPortfolioReport({project(1, title), project(2, HOSTILE)}, input);
}

/// A trend (ScheduleAnalysis::trend) of one milestone with two forecasts.
report::Trend trendOf(const std::string& title)
{
    report::Trend trend;
    trend.projectCode = "PRJ-1";
    for (const auto& name : {title, HOSTILE})
    {
        report::TrendMilestone m;
        m.title = name;
        m.comparedTo = *Date::parse("2026-09-01");
        for (const auto& [at, due] :
             {std::pair<const char*, const char*>{"2026-06-01", "2026-09-01"}, {"2026-08-01", "2026-10-15"}})
            m.points.push_back({at, Date::parse(due)});
        trend.milestones.push_back(std::move(m));
    }
    return trend;
}

void expectDisplayable(const std::string& what, const std::string& document)
{
    const auto problem = test::undisplayableCharacter(document);
    CPPUNIT_ASSERT_MESSAGE(what + ": " + problem.value_or(""), !problem);
}

void expectWellFormedXml(const std::string& what, const std::string& document)
{
    const auto problem = test::xmlProblem(document);
    CPPUNIT_ASSERT_MESSAGE(what + ": " + problem.value_or(""), !problem);
}
} // namespace

/// Every renderer shortens by characters, never bytes, and emits only what its format allows, however
/// old or hostile the stored text: the SVG and HTML parse as XML, and no format carries a control
/// character, a bidirectional override or bytes that are not UTF-8.
class RenderedTextTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RenderedTextTest);
    CPPUNIT_TEST(testTrendChartCutsTitlesByCharactersAndStaysWellFormed);
    CPPUNIT_TEST(testHtmlReportsStayWellFormedXml);
    CPPUNIT_TEST(testEveryFormatEmitsOnlyDisplayableText);
    CPPUNIT_TEST(testCsvStillGuardsFormulasAfterReplacingControls);
    CPPUNIT_TEST_SUITE_END();

public:
    void testTrendChartCutsTitlesByCharactersAndStaysWellFormed()
    {
        const std::string title = ukrainianTitle();
        const std::string svg = report::trendChartSvg(trendOf(title));
        expectWellFormedXml("trend SVG", svg);
        expectDisplayable("trend SVG", svg);
        const auto labels = test::xmlTexts(svg, "text");
        // The name's room right of the plot holds 25 characters: cut at the last word that fits.
        const std::string cut = domain::utf8::shortenedAtWord(title, 25);
        CPPUNIT_ASSERT_MESSAGE(svg, std::find(labels.begin(), labels.end(), cut) != labels.end());
        CPPUNIT_ASSERT_EQUAL(std::string("Польовий тПольовий…"), cut);
        const auto titles = test::xmlTexts(svg, "title");
        CPPUNIT_ASSERT_MESSAGE(svg, std::find(titles.begin(), titles.end(), title) != titles.end()); // whole
    }

    void testHtmlReportsStayWellFormedXml()
    {
        const auto portfolio = report::renderPortfolio(portfolioOf(ukrainianTitle()), report::ReportFormat::Html).body;
        const auto problem = test::htmlAsXmlProblem(portfolio);
        CPPUNIT_ASSERT_MESSAGE(problem.value_or(""), !problem);
        const auto charts = test::svgElements(portfolio);
        CPPUNIT_ASSERT(charts.size() >= 3); // health bars and two timelines
        for (const auto& svg : charts)
            expectWellFormedXml("portfolio SVG", svg);
        CPPUNIT_ASSERT(portfolio.find(ukrainianTitle()) != std::string::npos);
        const auto summary = report::buildStatusSummary(project(2, HOSTILE), AS_OF);
        const auto summaryProblem =
            test::htmlAsXmlProblem(report::renderSummary(summary, report::ReportFormat::Html).body);
        CPPUNIT_ASSERT_MESSAGE(summaryProblem.value_or(""), !summaryProblem);
    }

    void testEveryFormatEmitsOnlyDisplayableText()
    {
        using F = report::ReportFormat;
        const auto portfolio = portfolioOf(HOSTILE);
        const auto summary = report::buildStatusSummary(project(2, HOSTILE), AS_OF);
        for (const auto format : {F::Csv, F::Markdown, F::Html})
            expectDisplayable("portfolio " + domain::nameText(format), report::renderPortfolio(portfolio, format).body);
        for (const auto format : {F::Text, F::Markdown, F::Html})
            expectDisplayable("summary " + domain::nameText(format), report::renderSummary(summary, format).body);
        CPPUNIT_ASSERT(report::renderSummary(summary, F::Text).body.find("Trial\xEF\xBF\xBD") != std::string::npos);
    }

    void testCsvStillGuardsFormulasAfterReplacingControls()
    {
        auto portfolio = portfolioOf("x");
        portfolio.rows.at(0).label = "=1+1\x07";
        const auto csv = report::renderPortfolio(portfolio, report::ReportFormat::Csv).body;
        CPPUNIT_ASSERT_MESSAGE(csv, csv.find(",'=1+1\xEF\xBF\xBD,") != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RenderedTextTest);
