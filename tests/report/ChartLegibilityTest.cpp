#include "StatusRulesFixture.h"
#include "SvgCheck.h"
#include "XmlCheck.h"
#include "captrack/domain/Utf8.h"
#include "captrack/report/PortfolioReport.h"
#include "captrack/report/Renderers.h"
#include "captrack/report/TrendChart.h"

#include <Poco/JSON/Array.h>

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>

using namespace captrack;
using domain::Date;
using Poco::JSON::Object;

namespace
{
/// Titles of every length: short, long with words, one long word, Cyrillic, markup to escape.
const std::vector<std::string> TITLES{
    "Kick-off",
    "Field trial of the mine detector prototype in the northern training area",
    "Interoperabilitycertificationworkshopforallpartnernationsandorganisations",
    "Польові випробування детектора мін на північному полігоні",
    "R&D <review> of \"sensor\" fusion & data links with the partners' laboratories",
};

/// The day the reports are made on.
const Date AS_OF = *Date::parse("2026-11-26");

/// A trend of `count` milestones whose lines all end within a few days of each other (their names
/// would stand on one another), over `days` of reporting.
report::Trend crowdedTrend(std::size_t count, long days)
{
    report::Trend trend;
    trend.projectCode = "PRJ-1";
    for (std::size_t i = 0; i < count; ++i)
    {
        report::TrendMilestone m;
        m.title = TITLES[i % TITLES.size()] + (i < TITLES.size() ? "" : " " + std::to_string(i));
        m.comparedTo = *Date::parse("2026-09-01");
        for (const long at : {0L, days})
            m.points.push_back({Date::parse("2026-06-01")->plusDays(at).toString(),
                                Date::parse("2026-10-01")->plusDays(at / 2 + static_cast<long>(i % 3))});
        trend.milestones.push_back(std::move(m));
    }
    return trend;
}

domain::MilestoneFacts milestone(Poco::Int64 id, const std::string& title, const Date& baseline, const Date& forecast)
{
    domain::MilestoneFacts m;
    m.id = id;
    m.title = title;
    m.baseline = baseline;
    m.forecast = forecast;
    m.status = domain::MilestoneStatus::InProgress;
    return m;
}

/// A project whose milestones span `months` months from 2026-01-15, with every title above.
report::ProjectFacts project(Poco::Int64 id, long months)
{
    report::ProjectFacts p;
    p.id = id;
    p.code = "PRJ-" + std::to_string(id);
    p.title = TITLES[1];
    p.kind = domain::ProjectKind::Capability;
    p.status = domain::ProjectStatus::Implementation;
    const Date start = *Date::parse("2026-01-15");
    for (std::size_t i = 0; i < TITLES.size(); ++i)
    {
        const Date baseline = start.plusDays(months * 30 * static_cast<long>(i) / static_cast<long>(TITLES.size()));
        p.milestones.push_back(milestone(id * 10 + static_cast<Poco::Int64>(i), TITLES[i], baseline,
                                         baseline.plusDays(20 * static_cast<long>(i))));
    }
    p.computed = captrack::testing::judge(domain::nameText(p.status), p.milestones, AS_OF);
    p.rollup = captrack::testing::rollUpOf(p.milestones, AS_OF);
    p.effective = p.computed.health;
    return p;
}

void expectLegible(const std::string& what, const std::string& svg)
{
    const auto problem = test::xmlProblem(svg);
    CPPUNIT_ASSERT_MESSAGE(what + ": " + problem.value_or(""), !problem);
    const auto problems = test::legibilityProblems(svg);
    std::string all;
    for (const auto& p : problems)
        all += "\n  " + p;
    CPPUNIT_ASSERT_MESSAGE(what + ":" + all, problems.empty());
}
} // namespace

/// The server-drawn charts (trend SVG, HTML report timelines and health bars) stay legible and AA:
/// no text under 12 units, every text colour at least 4.5:1 against what is behind it (WCAG relative
/// luminance), no two labels overlapping, nothing past the edge; long names cut at a word with "…" and
/// kept whole in a <title>. SvgCheck measures the markup: widths as 0.6 × font size × characters.
class ChartLegibilityTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ChartLegibilityTest);
    CPPUNIT_TEST(testTheCheckerFindsWhatItLooksFor);
    CPPUNIT_TEST(testTrendChartOfEveryCrowding);
    CPPUNIT_TEST(testTrendNamesAreCutAtAWordAndKeptWhole);
    CPPUNIT_TEST(testTimelinesOfEverySpan);
    CPPUNIT_TEST(testHealthBarsWithLargeCounts);
    CPPUNIT_TEST_SUITE_END();

public:
    /// A test that cannot fail is a defect: the checker sees small, faint, overlapping and cut labels.
    void testTheCheckerFindsWhatItLooksFor()
    {
        CPPUNIT_ASSERT_DOUBLES_EQUAL(21.0, test::contrastRatio("#000", "#ffffff"), 1e-9);
        CPPUNIT_ASSERT_DOUBLES_EQUAL(3.08, test::contrastRatio("#ef6c00", "#fff"), 0.01); // the old orange
        const std::string open = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 200 100\">";
        CPPUNIT_ASSERT_EQUAL(
            std::size_t(0),
            test::legibilityProblems(open + "<text x=\"10\" y=\"20\" font-size=\"12\">Fine</text></svg>").size());
        for (const char* bad : {
                 "<text x=\"10\" y=\"20\" font-size=\"11\">Small</text>",
                 "<text x=\"10\" y=\"20\" font-size=\"12\" fill=\"#ef6c00\">Faint</text>",
                 "<rect x=\"0\" y=\"0\" width=\"200\" height=\"100\" fill=\"#1f2933\"/><text x=\"10\" y=\"20\" "
                 "font-size=\"12\">Dark on dark</text>",
                 "<g font-size=\"12\"><text x=\"10\" y=\"20\">Overlapping</text><text x=\"50\" "
                 "y=\"24\">here</text></g>",
                 "<text x=\"150\" y=\"20\" font-size=\"12\">Past the edge</text>",
                 "<text x=\"100\" y=\"5\" font-size=\"12\" text-anchor=\"middle\">Cut</text>",
             })
            CPPUNIT_ASSERT_MESSAGE(bad, !test::legibilityProblems(open + bad + "</svg>").empty());
    }

    void testTrendChartOfEveryCrowding()
    {
        for (const std::size_t count : {std::size_t(1), std::size_t(5), std::size_t(12), std::size_t(40)})
            for (const long days : {1L, 30L, 400L, 4000L})
            {
                const std::string svg = report::trendChartSvg(crowdedTrend(count, days));
                expectLegible("trend of " + std::to_string(count) + " over " + std::to_string(days) + " days", svg);
                CPPUNIT_ASSERT(test::svgLabels(svg).size() >= 13); // 10 dates, 2 axis names, 1 milestone
            }
        expectLegible("empty trend", report::trendChartSvg(crowdedTrend(0, 1)));
    }

    void testTrendNamesAreCutAtAWordAndKeptWhole()
    {
        const std::string svg = report::trendChartSvg(crowdedTrend(TITLES.size(), 30));
        const auto titles = test::xmlTexts(svg, "title");
        std::size_t cut = 0;
        for (const auto& label : test::svgLabels(svg))
        {
            const auto whole = std::find_if(TITLES.begin(), TITLES.end(), [&](const std::string& title) {
                return label.text == title || (label.text.size() > 3 && title.rfind(label.text.substr(0, 3), 0) == 0);
            });
            if (whole == TITLES.end())
                continue; // an axis label
            CPPUNIT_ASSERT_MESSAGE(*whole, std::find(titles.begin(), titles.end(), *whole) != titles.end());
            if (label.text == *whole)
                continue;
            ++cut;
            const std::string ellipsis = "…";
            CPPUNIT_ASSERT_MESSAGE(label.text, label.text.size() > ellipsis.size() &&
                                                   label.text.compare(label.text.size() - ellipsis.size(),
                                                                      ellipsis.size(), ellipsis) == 0);
            const std::string kept = label.text.substr(0, label.text.size() - ellipsis.size());
            CPPUNIT_ASSERT_MESSAGE(label.text, whole->rfind(kept, 0) == 0);
            // At a word: the title goes on with a space, unless its first word alone is too long.
            const bool oneWord = whole->find(' ') > kept.size();
            CPPUNIT_ASSERT_MESSAGE(label.text, oneWord || (*whole)[kept.size()] == ' ');
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), cut);
    }

    void testTimelinesOfEverySpan()
    {
        for (const long months : {1L, 7L, 16L, 17L, 33L, 60L, 97L, 400L})
        {
            report::PortfolioReportInput input;
            input.asOf = AS_OF;
            input.groupBy = report::Grouping::Status;
            input.includeProjects = true;
            const auto report = report::buildPortfolioReport({project(1, months), project(2, months / 2 + 1)}, input);
            const auto charts = test::svgElements(report::renderPortfolio(report, report::ReportFormat::Html).body);
            std::size_t timelines = 0;
            for (const auto& svg : charts)
            {
                expectLegible("portfolio over " + std::to_string(months) + " months", svg);
                timelines += svg.find("class=\"timeline\"") != std::string::npos ? 1 : 0;
            }
            CPPUNIT_ASSERT_EQUAL(std::size_t(2), timelines);
        }
    }

    void testHealthBarsWithLargeCounts()
    {
        report::PortfolioReportInput input;
        input.asOf = AS_OF;
        input.groupBy = report::Grouping::Status;
        auto report = report::buildPortfolioReport({project(1, 12)}, input);
        // A portfolio of a million projects, all green: the longest count label beside the longest bar.
        report.totals.green = 1000000;
        report.totals.amber = 999999;
        const auto charts = test::svgElements(report::renderPortfolio(report, report::ReportFormat::Html).body);
        CPPUNIT_ASSERT(!charts.empty());
        expectLegible("health bars", charts.front());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ChartLegibilityTest);
