#include "ApiAssertions.h"

#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

using namespace captrack::test::api;
using captrack::test::HttpResult;
using captrack::test::HttpTestServer;

namespace
{
const char* const CHANGE_MARKERS[] = {"version", "created_at", "updated_at"};
} // namespace

/// Issue 8, finding 9: a partner sees no version, times or ETag of another partner's contribution
/// (they would tell when its hidden amount changed), and may not order or filter by them; its own
/// contributions keep all three.
class PartnerRedactionTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(PartnerRedactionTest);
    CPPUNIT_TEST(testOwnContributionKeepsVersionTimesAndETag);
    CPPUNIT_TEST(testOtherPartnersContributionHasNoVersionTimesOrETag);
    CPPUNIT_TEST(testListsShowChangeMarkersOfOwnContributionsOnly);
    CPPUNIT_TEST(testAChangeToAHiddenAmountLeavesThePartnersViewAsItWas);
    CPPUNIT_TEST(testSortingOrFilteringByChangeMarkersIs400);
    CPPUNIT_TEST(testStaffSeeEveryChangeMarker);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        auto& s = *(_pServer = std::make_unique<HttpTestServer>());
        s.seedReference();
        _ukr = s.partnerId("UKR");
        _jor = s.partnerId("JOR");
        _project = s.create(API + "/projects", R"({"code": "SPS-2027-001", "title": "Field trial",
            "kind": "scientific", "visibility": "public"})");
        _own = contribute(_ukr, 125000);
        _other = contribute(_jor, 770000);
        s.addUser("ukr-user", "partner", _ukr);
        s.signIn("ukr-user");
        _partnerToken = s.token();
        s.signIn("admin");
        _adminToken = s.token();
    }

    void tearDown() override { _pServer.reset(); }

    void testOwnContributionKeepsVersionTimesAndETag()
    {
        const auto own = asPartner(API + "/contributions/" + std::to_string(_own));
        expectStatus("partner GET own contribution", 200, own);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), number(own, "version"));
        CPPUNIT_ASSERT_EQUAL(std::string("2027-03-01T10:00:00Z"), text(own, "created_at"));
        CPPUNIT_ASSERT_EQUAL(std::string("2027-03-01T10:00:00Z"), text(own, "updated_at"));
        CPPUNIT_ASSERT_EQUAL(std::string("\"1\""), own.header("ETag"));
    }

    void testOtherPartnersContributionHasNoVersionTimesOrETag()
    {
        const auto other = asPartner(API + "/contributions/" + std::to_string(_other));
        expectStatus("partner GET JOR's contribution", 200, other);
        CPPUNIT_ASSERT_EQUAL(_jor, number(other, "partner_id"));
        for (const char* field : CHANGE_MARKERS)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(field, std::string("null"), text(other, field));
        CPPUNIT_ASSERT_MESSAGE("ETag " + other.header("ETag"), other.headers.count("etag") == 0);
    }

    void testListsShowChangeMarkersOfOwnContributionsOnly()
    {
        for (const std::string& path : {API + "/projects/" + std::to_string(_project) + "/contributions",
                                        API + "/partners/JOR/contributions", API + "/partners/UKR/contributions"})
        {
            const auto list = asPartner(path);
            expectStatus("partner GET " + path, 200, list);
            const auto items = list.json()->getArray("items");
            CPPUNIT_ASSERT_MESSAGE(path + " lists nothing", items->size() > 0);
            for (std::size_t i = 0; i < items->size(); ++i)
            {
                const auto item = items->getObject(static_cast<unsigned>(i));
                const bool own = item->getValue<Poco::Int64>("partner_id") == _ukr;
                for (const char* field : CHANGE_MARKERS)
                    CPPUNIT_ASSERT_EQUAL_MESSAGE(path + ": " + field + " of contribution " +
                                                     item->get("id").convert<std::string>(),
                                                 own, !item->get(field).isEmpty());
            }
        }
    }

    /// Every view of the partner, sums and rendered reports included, reads the same before and after a
    /// change to what is hidden from it (a sum that counted another partner's amount would differ).
    void testAChangeToAHiddenAmountLeavesThePartnersViewAsItWas()
    {
        auto& s = *_pServer;
        const std::string item = API + "/contributions/" + std::to_string(_other);
        const std::string project = API + "/projects/" + std::to_string(_project);
        std::vector<std::string> views{item,
                                       API + "/partners/JOR/contributions",
                                       project + "/contributions",
                                       project,
                                       project + "/summary",
                                       project + "/summary?format=md",
                                       project + "/summary?format=html",
                                       project + "/summary?format=txt"};
        for (const char* grouping : {"partner", "framework", "status"})
            for (const char* format : {"json", "csv", "md", "html"})
                views.push_back(API + "/reports/portfolio?group_by=" + grouping + "&format=" + format);
        std::vector<HttpResult> before;
        for (const auto& view : views)
        {
            before.push_back(asPartner(view));
            expectStatus("partner GET " + view, 200, before.back());
        }
        s.clock().advance(Poco::Timespan(0, 0, 5, 0, 0).totalMicroseconds());
        s.useToken(_adminToken);
        expectStatus("admin PATCH JOR's amount", 200,
                     s.patch(item, R"({"amount_eur": 990000, "person_months": 12.5, "state": "delivered"})", 1));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), number(s.get(item), "version"));
        for (std::size_t i = 0; i < views.size(); ++i)
        {
            const auto after = asPartner(views[i]);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(views[i], before[i].body, after.body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(views[i], before[i].header("ETag"), after.header("ETag"));
        }
        // The same views do change for a change the partner may see: the comparison can fail.
        expectStatus("admin PATCH UKR's amount", 200,
                     s.patch(API + "/contributions/" + std::to_string(_own), R"({"amount_eur": 125001})", 1));
        CPPUNIT_ASSERT(asPartner(project + "/summary").body != before[4].body);
        CPPUNIT_ASSERT(asPartner(views[8]).body != before[8].body);
    }

    void testSortingOrFilteringByChangeMarkersIs400()
    {
        const std::string project = API + "/projects/" + std::to_string(_project) + "/contributions";
        for (const std::string& list :
             {project, API + "/partners/JOR/contributions", API + "/partners/UKR/contributions"})
            for (const char* query : {"?sort=-updated_at", "?sort=created_at", "?sort=version", "?sort=id,-updated_at",
                                      "?updated_at=2027-03-01T10:00:00Z", "?version=1"})
                expectProblem("partner GET " + list + query, 400, asPartner(list + query));
        // The same lists without them answer.
        expectStatus("partner GET sorted by role", 200, asPartner(project + "?sort=role"));
    }

    void testStaffSeeEveryChangeMarker()
    {
        auto& s = *_pServer;
        s.useToken(_adminToken);
        const auto other = s.get(API + "/contributions/" + std::to_string(_other));
        expectStatus("admin GET JOR's contribution", 200, other);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), number(other, "version"));
        CPPUNIT_ASSERT_EQUAL(std::string("\"1\""), other.header("ETag"));
        const std::string project = API + "/projects/" + std::to_string(_project) + "/contributions";
        expectStatus("admin sorts by updated_at", 200, s.get(project + "?sort=-updated_at"));
        expectStatus("admin sorts by created_at", 200, s.get(API + "/partners/JOR/contributions?sort=created_at"));
    }

private:
    Poco::Int64 contribute(Poco::Int64 partner, Poco::Int64 amount)
    {
        return _pServer->create(API + "/projects/" + std::to_string(_project) + "/contributions",
                                R"({"partner_id": )" + std::to_string(partner) +
                                    R"(, "role": "contributor", "kind": "funding", "amount_eur": )" +
                                    std::to_string(amount) + "}");
    }

    HttpResult asPartner(const std::string& path)
    {
        _pServer->useToken(_partnerToken);
        auto result = _pServer->get(path);
        _pServer->useToken(_adminToken);
        return result;
    }

    std::unique_ptr<HttpTestServer> _pServer;
    Poco::Int64 _ukr = 0, _jor = 0, _project = 0, _own = 0, _other = 0;
    std::string _partnerToken, _adminToken;
};

CPPUNIT_TEST_SUITE_REGISTRATION(PartnerRedactionTest);
