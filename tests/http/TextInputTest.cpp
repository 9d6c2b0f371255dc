#include "ApiAssertions.h"
#include "SvgCheck.h"
#include "XmlCheck.h"

#include "captrack/domain/Utf8.h"

#include <Poco/Data/Session.h>

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>

using namespace captrack::test::api;
using captrack::test::HttpTestServer;
using namespace Poco::Data::Keywords;

namespace
{
/// 80 Ukrainian characters (160 bytes) that a byte cut at 28 splits inside a letter.
std::string ukrainianTitle()
{
    std::string title;
    for (int i = 0; i < 8; ++i)
        title += "Польовий т";
    return title;
}

/// What a row written before the text rule may hold: controls, DEL, a C1 control, a right-to-left
/// override and a non-character (all valid UTF-8, which both databases store).
const std::string OLD_HOSTILE_TITLE = "Old\x01\x0B\x1B[2J\x7F\xC2\x85\xE2\x80\xAEgnp\xEF\xBF\xBE end";
} // namespace

/// Text that cannot deceive or break (issue 8, finding 14), through the real server: codes from a safe
/// alphabet, the text rule in every text field, strict JSON types, and reports that stay well-formed
/// for Ukrainian titles and for rows written before these rules.
class TextInputTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TextInputTest);
    CPPUNIT_TEST(testCodesThatCouldLookAlikeAre422AndNothingIsStored);
    CPPUNIT_TEST(testTextFieldsRefuseControlAndBidirectionalCharacters);
    CPPUNIT_TEST(testMultiLineFieldsKeepLineFeedsAndTabs);
    CPPUNIT_TEST(testBaselineNameAndReasonFollowTheTextRule);
    CPPUNIT_TEST(testJsonTypesAreStrict);
    CPPUNIT_TEST(testScienceAndTechnologyCodeStillLoads);
    CPPUNIT_TEST(testUkrainianTitlesKeepEveryReportWellFormed);
    CPPUNIT_TEST(testRowsWrittenBeforeTheRulesStillRenderWellFormed);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        auto& s = *(_pServer = std::make_unique<HttpTestServer>());
        s.seedReference();
        _project = s.create(API + "/projects", R"({"code": "P-1", "title": "One", "kind": "capability"})");
    }
    void tearDown() override { _pServer.reset(); }

    void testCodesThatCouldLookAlikeAre422AndNothingIsStored()
    {
        auto& s = *_pServer;
        const std::pair<const char*, const char*> codes[] = {
            {"right-to-left override", R"(P-1\u202E)"},
            {"zero-width space", "P\xE2\x80\x8B-1"},
            {"line break", R"(P-\n1)"},
            {"control character", R"(P-\u00071)"},
            {"tab", R"(P-\t1)"},
            {"space inside", "P -1"},
            {"Cyrillic P", "\xD0\xA0-1"},
            {"leading dash", "-P1"},
            {"slash", "P/1"},
            {"ampersand", "P&1"},
        };
        for (const auto& [what, code] : codes)
        {
            Unchanged unchanged(s, {"projects"});
            expectInvalid(std::string("project code with ") + what, "code",
                          s.post(API + "/projects",
                                 std::string(R"({"code": ")") + code + R"(", "title": "T", "kind": "capability"})"));
            expectInvalid(std::string("partner code with ") + what, "code",
                          s.post(API + "/partners", std::string(R"({"code": ")") + code +
                                                        R"(", "name": "N", "kind": "nation", "framework": "MD"})"));
            unchanged.check(what);
        }
        expectStatus("a plain code", 201, s.post(API + "/projects", R"({"code": "SPS-2027_014.a", "title": "T",
            "kind": "capability"})"));
    }

    void testTextFieldsRefuseControlAndBidirectionalCharacters()
    {
        auto& s = *_pServer;
        const std::string milestones = API + "/projects/" + std::to_string(_project) + "/milestones";
        const char* titles[] = {R"(Trial\u0007)",        R"(Trial\u001B[2J)", R"(Trial\u0085)", R"(Trial\u202Egnp)",
                                R"(Trial\u2066x\u2069)", R"(Trial\nTwo)",     R"(Trial\tTwo)",  R"(Zero\u200Bwidth)",
                                R"(Bom\uFEFF)",          R"(Non\uFFFF)"};
        for (const char* title : titles)
        {
            Unchanged unchanged(s, {"projects", "milestones"});
            expectInvalid(std::string("project title ") + title, "title",
                          s.post(API + "/projects",
                                 std::string(R"({"code": "P-9", "title": ")") + title + R"(", "kind": "capability"})"));
            expectInvalid(
                std::string("milestone title ") + title, "title",
                s.post(milestones, std::string(R"({"title": ")") + title + R"(", "baseline_date": "2027-05-01"})"));
            unchanged.check(title);
        }
        Unchanged unchanged(s, {"projects"}, {API + "/projects/P-1"});
        expectInvalid("PATCH title with U+202E", "title",
                      s.patch(API + "/projects/P-1", R"({"title": "One\u202E"})", 1));
        expectInvalid("description with U+202E", "description",
                      s.patch(API + "/projects/P-1", R"({"description": "a\u202Eb"})", 1));
        unchanged.check("PATCH");
    }

    void testMultiLineFieldsKeepLineFeedsAndTabs()
    {
        auto& s = *_pServer;
        const auto updated = s.patch(API + "/projects/P-1", R"({"description": "First line\n\tindented\u200Bsecond",
            "declared_health": "amber", "declared_reason": "Host nation\nmoved the trial"})",
                                     1);
        expectStatus("description with LF and tab", 200, updated);
        CPPUNIT_ASSERT_EQUAL(std::string("First line\n\tindented\xE2\x80\x8Bsecond"), text(updated, "description"));
        expectInvalid("CR in a description", "description",
                      s.patch(API + "/projects/P-1", R"({"description": "Windows\r\nline"})", 2));
        expectInvalid("U+2028 in a reason", "declared_reason",
                      s.patch(API + "/projects/P-1", R"({"declared_reason": "a\u2028b"})", 2));
    }

    void testBaselineNameAndReasonFollowTheTextRule()
    {
        auto& s = *_pServer;
        const std::string baselines = API + "/projects/" + std::to_string(_project) + "/baselines";
        Unchanged unchanged(s, {"baselines"});
        expectInvalid("name with U+200B", "name", s.post(baselines, R"({"name": "Q1\u200B", "reason": "Replan"})"));
        expectInvalid("name with LF", "name", s.post(baselines, R"({"name": "Q1\nQ2", "reason": "Replan"})"));
        expectInvalid("reason with U+202E", "reason", s.post(baselines, R"({"name": "Q1", "reason": "\u202EReplan"})"));
        expectInvalid("reason with BEL", "reason", s.post(baselines, R"({"name": "Q1", "reason": "Replan\u0007"})"));
        unchanged.check("baselines");
        expectStatus("reason on two lines", 201,
                     s.post(baselines, R"({"name": "Q1", "reason": "Replan\nafter trial"})"));
    }

    void testJsonTypesAreStrict()
    {
        auto& s = *_pServer;
        const std::string milestones = API + "/projects/" + std::to_string(_project) + "/milestones";
        const std::pair<std::string, std::string> cases[] = {
            {R"("budget_eur": true)", "budget_eur"},
            {R"("budget_eur": "5")", "budget_eur"},
            {R"("budget_eur": 1.0)", "budget_eur"},
            {R"("budget_eur": 1e2)", "budget_eur"},
            {R"("budget_eur": [5])", "budget_eur"},
            {R"("lead_user_id": true)", "lead_user_id"},
            {R"("lead_user_id": 1.0)", "lead_user_id"},
            {R"("title": 5)", "title"},
            {R"("title": true)", "title"},
            {R"("kind": 1)", "kind"},
            {R"("start_date": 20270101)", "start_date"},
            {R"("objectives": [1])", "objectives"},
            {R"("objectives": "SO1")", "objectives"},
        };
        for (const auto& [member, field] : cases)
        {
            Unchanged unchanged(s, {"projects"});
            std::string body = "{" + member;
            for (const auto& [name, value] : {std::pair<std::string, const char*>{"code", R"("P-9")"},
                                              {"title", R"("T")"},
                                              {"kind", R"("capability")"}})
                if (name != field)
                    body += ", \"" + name + "\": " + value;
            expectInvalid(member, field, s.post(API + "/projects", body + "}"));
            unchanged.check(member);
        }
        expectInvalid("depends_on [true]", "depends_on",
                      s.post(milestones, R"({"title": "M", "baseline_date": "2027-05-01", "depends_on": [true]})"));
        expectInvalid("disabled 1", "disabled",
                      s.post(API + "/users", R"({"username": "erin", "display_name": "Erin", "role": "reviewer",
                          "disabled": 1, "password": "a-long-password-1"})"));
        expectInvalid("person_months true", "person_months",
                      s.post(API + "/projects/" + std::to_string(_project) + "/contributions",
                             R"({"partner_id": )" + std::to_string(s.partnerId("UKR")) +
                                 R"(, "role": "contributor", "kind": "funding", "person_months": true})"));
    }

    void testScienceAndTechnologyCodeStillLoads()
    {
        auto& s = *_pServer;
        expectStatus("capability area S&T", 201,
                     s.post(API + "/capability-areas", R"({"code": "S&T", "name": "Science and technology"})"));
        expectStatus("project in S&T", 201, s.post(API + "/projects", R"({"code": "P-2", "title": "T",
            "kind": "scientific", "capability_area": "S&T"})"));
        expectInvalid("capability area with U+202E", "code",
                      s.post(API + "/capability-areas", R"({"code": "S&T\u202E", "name": "Lookalike"})"));
    }

    void testUkrainianTitlesKeepEveryReportWellFormed()
    {
        auto& s = *_pServer;
        const std::string title = ukrainianTitle();
        const auto project = s.create(API + "/projects", R"({"code": "UA-1", "title": ")" + title +
                                                             R"(", "kind": "capability", "status": "implementation"})");
        addMilestoneWithTwoForecasts(project, title);
        checkReports(project, title, addOverdueMilestone(project, title));
    }

    void testRowsWrittenBeforeTheRulesStillRenderWellFormed()
    {
        auto& s = *_pServer;
        const auto project = s.create(API + "/projects", R"({"code": "OLD-1", "title": "Old", "kind": "capability",
            "status": "implementation"})");
        const auto milestone = addMilestoneWithTwoForecasts(project, "Old");
        const auto overdue = addOverdueMilestone(project, "Old and late");
        {
            auto pLease = s.db().database().lease();
            std::string title = OLD_HOSTILE_TITLE;
            for (Poco::Int64 id : {milestone, overdue})
                pLease->session() << "UPDATE milestones SET title = ? WHERE id = ?", use(title), bind(id), now;
            pLease->session() << "UPDATE projects SET title = ? WHERE id = ?", use(title), bind(project), now;
        }
        checkReports(project, "", overdue);
    }

private:
    /// A milestone due 2027-05-01 with two forecasts, so that the trend chart has a line to label.
    Poco::Int64 addMilestoneWithTwoForecasts(Poco::Int64 project, const std::string& title)
    {
        auto& s = *_pServer;
        const auto id = s.create(API + "/projects/" + std::to_string(project) + "/milestones",
                                 R"({"title": ")" + title + R"(", "baseline_date": "2027-05-01"})");
        const std::string path = API + "/milestones/" + std::to_string(id);
        expectStatus("first forecast", 200, s.patch(path, R"({"forecast_date": "2027-06-01"})", 1));
        expectStatus("second forecast", 200, s.patch(path, R"({"forecast_date": "2027-07-01"})", 2));
        return id;
    }

    /// A milestone overdue as of the fixed clock's day, so that the portfolio report lists it (with its title).
    Poco::Int64 addOverdueMilestone(Poco::Int64 project, const std::string& title)
    {
        return _pServer->create(API + "/projects/" + std::to_string(project) + "/milestones",
                                R"({"title": ")" + title + R"(", "baseline_date": "2027-02-01"})");
    }

    /// The trend SVG parses as XML and carries the title cut by characters at a word (to the 25 the room
    /// right of its plot holds, docs/TEXT.md "Charts"), and stays legible; the HTML summary and
    /// portfolio report read as XHTML; no format carries what it may not, and the portfolio report's
    /// Markdown and HTML list the overdue milestone, so that its title is in what they are checked on.
    void checkReports(Poco::Int64 project, const std::string& title, Poco::Int64 overdue)
    {
        auto& s = *_pServer;
        const std::string base = API + "/projects/" + std::to_string(project);
        const auto svg = s.get(base + "/trend?format=svg");
        expectStatus("trend svg", 200, svg);
        const auto problem = captrack::test::xmlProblem(svg.body);
        CPPUNIT_ASSERT_MESSAGE("trend SVG: " + problem.value_or("") + "\n" + svg.body, !problem);
        if (!title.empty())
        {
            const auto labels = captrack::test::xmlTexts(svg.body, "text");
            const std::string cut = captrack::domain::utf8::shortenedAtWord(title, 25);
            CPPUNIT_ASSERT_MESSAGE(svg.body, std::find(labels.begin(), labels.end(), cut) != labels.end());
        }
        const auto illegible = captrack::test::legibilityProblems(svg.body);
        CPPUNIT_ASSERT_MESSAGE(illegible.empty() ? "" : illegible.front(), illegible.empty());
        for (const std::string& path : {base + "/summary?format=html", API + "/reports/portfolio?format=html"})
        {
            const auto page = s.get(path);
            expectStatus(path, 200, page);
            const auto pageProblem = captrack::test::htmlAsXmlProblem(page.body);
            CPPUNIT_ASSERT_MESSAGE(path + ": " + pageProblem.value_or(""), !pageProblem);
        }
        for (const std::string& path :
             {base + "/trend?format=svg", base + "/summary?format=txt", base + "/summary?format=md",
              base + "/summary?format=html", API + "/reports/portfolio?format=html",
              API + "/reports/portfolio?format=csv", API + "/reports/portfolio?format=md"})
        {
            // A refusal or a 500 carries no title at all: only a rendered answer is evidence.
            const auto rendered = s.get(path);
            expectStatus(path, 200, rendered);
            const auto bad = captrack::test::undisplayableCharacter(rendered.body);
            CPPUNIT_ASSERT_MESSAGE(path + ": " + bad.value_or(""), !bad);
        }
        for (const char* format : {"md", "html"})
        {
            const auto report = s.get(API + "/reports/portfolio?format=" + format);
            CPPUNIT_ASSERT_MESSAGE(std::string(format) + " lists M-" + std::to_string(overdue) + ":\n" + report.body,
                                   report.body.find("M-" + std::to_string(overdue)) != std::string::npos);
        }
    }

    std::unique_ptr<HttpTestServer> _pServer;
    Poco::Int64 _project = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(TextInputTest);
