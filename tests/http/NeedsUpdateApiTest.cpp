#include "ApiAssertions.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <vector>

#include <cppunit/extensions/HelperMacros.h>

#include <map>
#include <sstream>

using namespace captrack::test;
using namespace captrack::test::api;

namespace
{
constexpr Poco::Timestamp::TimeDiff DAY = 24LL * 3600 * 1000 * 1000;

/// The reasons of each item, joined by "+", the items by ",".
std::string reasons(const HttpResult& result)
{
    const auto items = result.json()->getArray("items");
    std::string out;
    for (std::size_t i = 0; i < items->size(); ++i)
    {
        const auto why = items->getObject(static_cast<unsigned>(i))->getArray("reasons");
        out += i ? "," : "";
        for (std::size_t k = 0; k < why->size(); ++k)
            out += (k ? "+" : "") + why->getElement<std::string>(static_cast<unsigned>(k));
    }
    return out;
}

std::string stringified(const Poco::Dynamic::Var& value)
{
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(value, out);
    return out.str();
}
} // namespace

/// GET /api/v1/me/needs-update through the real server and database. Every milestone is made on
/// 2027-03-01 (the test clock); the clock then moves on 35 days to 2027-04-05, the as-of day, where
/// the milestones meant to be fresh are changed. lead1 leads NU-A and NU-B, lead2 NU-C, the reviewer
/// NU-R; the admin leads nothing. Defaults: look ahead 30 days (to 2027-05-05), stale after 28.
///   NU-B  late35    due 2027-03-01, untouched  -> overdue 35, stale
///   NU-A  lateA     due 2027-03-20 (forecast)   -> overdue 16
///   NU-B  lateB     due 2027-03-20              -> overdue 16 (after NU-A's: project code)
///   NU-B  soon      due 2027-04-20              -> due soon, 15 days left
///   NU-B  edge      due 2027-05-05              -> due soon, the look-ahead's last day
///   NU-B  stale     due 2027-12-01, untouched  -> stale, 35 days
///   NU-B  fine      due 2027-12-01              -> not listed
///   NU-B  later     due 2027-05-06              -> not listed (a day past the look-ahead)
///   NU-B  done      due 2027-03-01, done        -> not listed
///   NU-B  cancelled due 2027-03-01, cancelled   -> not listed
///   NU-C  other     due 2027-03-01 (lead2's)    -> not listed for lead1
///   NU-R  review    due 2027-03-15 (reviewer's) -> the reviewer's only item
class NeedsUpdateApiTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(NeedsUpdateApiTest);
    CPPUNIT_TEST(testLeadSeesExactlyItsMilestonesMostUrgentFirst);
    CPPUNIT_TEST(testItemsAreTheMilestoneResourceWithWhy);
    CPPUNIT_TEST(testWindowAndAsOfParameters);
    CPPUNIT_TEST(testEachUserSeesOnlyTheProjectsItLeads);
    CPPUNIT_TEST(testPartnersAreRefused);
    CPPUNIT_TEST(testBadParametersNameEveryField);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        auto& s = *(_pServer = std::make_unique<HttpTestServer>());
        s.seedReference();
        const auto lead1 = s.addUser("lead1", "lead"), lead2 = s.addUser("lead2", "lead");
        const auto reviewer = s.addUser("reviewer", "reviewer");
        s.addUser("ukr", "partner", s.partnerId("UKR"));
        const auto a = project("NU-A", lead1), b = project("NU-B", lead1);
        const auto c = project("NU-C", lead2), r = project("NU-R", reviewer);
        _ids["late35"] = milestone(b, "late35", R"("baseline_date": "2027-03-01")");
        _ids["lateA"] = milestone(a, "lateA", R"("baseline_date": "2027-03-10", "forecast_date": "2027-03-20")");
        _ids["lateB"] = milestone(b, "lateB", R"("baseline_date": "2027-03-20")");
        _ids["soon"] = milestone(b, "soon", R"("baseline_date": "2027-04-20", "status": "in_progress")");
        _ids["edge"] = milestone(b, "edge", R"("baseline_date": "2027-05-05")");
        _ids["stale"] = milestone(b, "stale", R"("baseline_date": "2027-12-01")");
        _ids["fine"] = milestone(b, "fine", R"("baseline_date": "2027-12-01")");
        _ids["later"] = milestone(b, "later", R"("baseline_date": "2027-05-06")");
        _ids["done"] =
            milestone(b, "done", R"("baseline_date": "2027-03-01", "status": "done", "actual_date": "2027-03-01")");
        _ids["cancelled"] = milestone(b, "cancelled", R"("baseline_date": "2027-03-01", "status": "cancelled")");
        _ids["other"] = milestone(c, "other", R"("baseline_date": "2027-03-01")");
        _ids["review"] = milestone(r, "review", R"("baseline_date": "2027-03-15")");
        s.clock().advance(35 * DAY);
        s.signIn("admin"); // the session of 2027-03-01 has ended
        for (const char* fresh : {"lateA", "lateB", "soon", "edge", "fine", "later", "other", "review"})
            expectStatus(std::string("touch ") + fresh, 200,
                         s.patch(API + "/milestones/" + std::to_string(_ids[fresh]), R"({"progress": 10})", 1));
    }
    void tearDown() override { _pServer.reset(); }

    void testLeadSeesExactlyItsMilestonesMostUrgentFirst()
    {
        auto& s = *_pServer;
        s.signIn("lead1");
        const auto result = s.get(API + "/me/needs-update");
        expectStatus("needs-update", 200, result);
        CPPUNIT_ASSERT_EQUAL(ids({"late35", "lateA", "lateB", "soon", "edge", "stale"}), column(result, "id"));
        CPPUNIT_ASSERT_EQUAL(std::string("NU-B,NU-A,NU-B,NU-B,NU-B,NU-B"), column(result, "project_code"));
        CPPUNIT_ASSERT_EQUAL(std::string("35,16,16,0,0,0"), column(result, "overdue_days"));
        CPPUNIT_ASSERT_EQUAL(std::string("-35,-16,-16,15,30,240"), column(result, "days_left"));
        CPPUNIT_ASSERT_EQUAL(std::string("35,0,0,0,0,35"), column(result, "days_untouched"));
        CPPUNIT_ASSERT_EQUAL(std::string("overdue+stale,overdue,overdue,due_soon,due_soon,stale"), reasons(result));
        const auto body = result.json();
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(6), body->getValue<Poco::Int64>("total"));
        CPPUNIT_ASSERT_EQUAL(std::string("2027-04-05"), body->getValue<std::string>("as_of"));
        CPPUNIT_ASSERT_EQUAL(30, body->getValue<int>("look_ahead_days"));
        CPPUNIT_ASSERT_EQUAL(28, body->getValue<int>("stale_days"));
    }

    void testItemsAreTheMilestoneResourceWithWhy()
    {
        auto& s = *_pServer;
        s.signIn("lead1");
        const auto items = s.get(API + "/me/needs-update").json()->getArray("items");
        const auto item = items->getObject(1);
        CPPUNIT_ASSERT_EQUAL(std::string("NU-A"), item->getValue<std::string>("project_code"));
        CPPUNIT_ASSERT_EQUAL(std::string("Project NU-A"), item->getValue<std::string>("project_title"));
        // Every member of the milestone resource, with the same value, so the page can PATCH it with If-Match.
        const auto resource = s.get(API + "/milestones/" + std::to_string(_ids["lateA"]));
        const auto expected = resource.json();
        for (const auto& [key, value] : *expected)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(key, stringified(value), stringified(item->get(key)));
        CPPUNIT_ASSERT_EQUAL(resource.header("ETag"), "\"" + item->get("version").convert<std::string>() + "\"");
        CPPUNIT_ASSERT_EQUAL(expected->size() + 6, item->size());
        const std::string path = API + "/milestones/" + std::to_string(_ids["lateA"]);
        expectStatus("PATCH with the listed version", 200,
                     s.patch(path, R"({"forecast_date": "2027-04-30"})", item->getValue<Poco::Int64>("version")));
        // Rescheduled and so changed today: now only due soon.
        const auto after = s.get(API + "/me/needs-update");
        CPPUNIT_ASSERT_EQUAL(ids({"late35", "lateB", "soon", "lateA", "edge", "stale"}), column(after, "id"));
    }

    void testWindowAndAsOfParameters()
    {
        auto& s = *_pServer;
        s.signIn("lead1");
        // No look-ahead, and stale only after 36 days: the overdue ones alone.
        CPPUNIT_ASSERT_EQUAL(ids({"late35", "lateA", "lateB"}),
                             column(s.get(API + "/me/needs-update?look_ahead_days=0&stale_days=36"), "id"));
        // Untouched for exactly the stale days counts; one day more does not.
        CPPUNIT_ASSERT_EQUAL(ids({"late35", "lateA", "lateB", "stale"}),
                             column(s.get(API + "/me/needs-update?look_ahead_days=0&stale_days=35"), "id"));
        CPPUNIT_ASSERT_EQUAL(ids({"late35", "lateA", "lateB", "soon", "edge", "later", "stale"}),
                             column(s.get(API + "/me/needs-update?look_ahead_days=31"), "id"));
        // As of 2027-03-01: late35 is due that day (due soon, 0 days left), nothing is stale yet, and what
        // changed after the as-of day counts as untouched for 0 days.
        const auto past = s.get(API + "/me/needs-update?as_of=2027-03-01&look_ahead_days=0");
        expectStatus("as_of", 200, past);
        CPPUNIT_ASSERT_EQUAL(ids({"late35"}), column(past, "id"));
        CPPUNIT_ASSERT_EQUAL(std::string("due_soon"), reasons(past));
        CPPUNIT_ASSERT_EQUAL(std::string("0"), column(past, "days_left"));
        CPPUNIT_ASSERT_EQUAL(std::string("2027-03-01"), text(past, "as_of"));
        CPPUNIT_ASSERT_EQUAL(std::string("0"), text(past, "look_ahead_days"));
        CPPUNIT_ASSERT_EQUAL(std::string("28"), text(past, "stale_days"));
        CPPUNIT_ASSERT_EQUAL(ids({"late35", "lateA", "lateB", "soon"}),
                             column(s.get(API + "/me/needs-update?as_of=2027-03-01&look_ahead_days=50"), "id"));
    }

    void testEachUserSeesOnlyTheProjectsItLeads()
    {
        auto& s = *_pServer;
        s.signIn("lead2");
        CPPUNIT_ASSERT_EQUAL(ids({"other"}), column(s.get(API + "/me/needs-update"), "id"));
        s.signIn("reviewer");
        const auto reviewer = s.get(API + "/me/needs-update");
        CPPUNIT_ASSERT_EQUAL(ids({"review"}), column(reviewer, "id"));
        CPPUNIT_ASSERT_EQUAL(std::string("NU-R"), column(reviewer, "project_code"));
        s.signIn("admin"); // leads nothing
        const auto admin = s.get(API + "/me/needs-update");
        expectStatus("admin", 200, admin);
        CPPUNIT_ASSERT_EQUAL(std::string(""), column(admin, "id"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), number(admin, "total"));
    }

    void testPartnersAreRefused()
    {
        auto& s = *_pServer;
        s.signIn("ukr");
        expectProblem("partner", 403, s.get(API + "/me/needs-update"));
        s.useToken("");
        expectProblem("anonymous", 401, s.get(API + "/me/needs-update"));
    }

    void testBadParametersNameEveryField()
    {
        auto& s = *_pServer;
        s.signIn("lead1");
        // A 400 whose detail names every bad parameter (and only those).
        const auto expectBad = [](const std::string& what, const std::vector<std::string>& names,
                                  const HttpResult& result) {
            expectProblem(what, 400, result);
            const auto detail = result.json()->getValue<std::string>("detail");
            for (const char* name : {"as_of", "look_ahead_days", "stale_days"})
            {
                const bool named = std::find(names.begin(), names.end(), name) != names.end();
                CPPUNIT_ASSERT_EQUAL_MESSAGE(what + ": " + detail + " / " + name, named,
                                             detail.find(name) != std::string::npos);
            }
        };
        expectBad("all three", {"as_of", "look_ahead_days", "stale_days"},
                  s.get(API + "/me/needs-update?as_of=2027-02-30&look_ahead_days=367&stale_days=0"));
        for (const char* value : {"-1", "1e2", "", "30.0", "+5", "9999999999999"})
            expectBad(std::string("look_ahead_days=") + value, {"look_ahead_days"},
                      s.get(API + "/me/needs-update?look_ahead_days=" + value));
        for (const char* value : {"3651", "x"})
            expectBad(std::string("stale_days=") + value, {"stale_days"},
                      s.get(API + "/me/needs-update?stale_days=" + value));
        expectBad("as_of=today", {"as_of"}, s.get(API + "/me/needs-update?as_of=today"));
        expectProblem("unknown parameter", 400, s.get(API + "/me/needs-update?limit=5"));
        // An unknown name is quoted back only when it is plainly a name (no bidirectional override).
        const auto odd = s.get(API + "/me/needs-update?%E2%80%AEevil=1");
        expectProblem("odd unknown parameter", 400, odd);
        CPPUNIT_ASSERT_MESSAGE(odd.body, odd.body.find("\xE2\x80\xAE") == std::string::npos &&
                                             odd.body.find("\\u202e") == std::string::npos &&
                                             odd.body.find("evil") == std::string::npos);
        expectStatus("the bounds themselves", 200, s.get(API + "/me/needs-update?look_ahead_days=366&stale_days=3650"));
        expectStatus("the other bounds", 200, s.get(API + "/me/needs-update?look_ahead_days=0&stale_days=1"));
    }

private:
    Poco::Int64 project(const std::string& code, Poco::Int64 lead)
    {
        return _pServer->create(API + "/projects", R"({"code": ")" + code + R"(", "title": "Project )" + code +
                                                       R"(", "kind": "capability", "status": "implementation",
                                                       "lead_user_id": )" +
                                                       std::to_string(lead) + "}");
    }

    Poco::Int64 milestone(Poco::Int64 project, const std::string& title, const std::string& fields)
    {
        return _pServer->create(API + "/projects/" + std::to_string(project) + "/milestones",
                                R"({"title": ")" + title + "\", " + fields + "}");
    }

    /// The ids of the named milestones, comma-separated in the given order.
    std::string ids(std::initializer_list<const char*> names)
    {
        std::string out;
        for (const char* name : names)
            out += (out.empty() ? "" : ",") + std::to_string(_ids.at(name));
        return out;
    }

    std::unique_ptr<HttpTestServer> _pServer;
    std::map<std::string, Poco::Int64> _ids;
};

CPPUNIT_TEST_SUITE_REGISTRATION(NeedsUpdateApiTest);
