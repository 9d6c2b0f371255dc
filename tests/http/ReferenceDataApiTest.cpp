#include "ApiAssertions.h"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>

using namespace captrack::test::api;
using captrack::test::HttpTestServer;

namespace
{
/// One reference resource, with what seedReference() puts in it.
struct ReferenceResource
{
    std::string path;        ///< collection path
    std::string table;       ///< SQL table
    std::string newBody;     ///< a valid create body for code NEW
    std::string seededCodes; ///< the seeded codes in code order
};

const std::vector<ReferenceResource>& referenceResources()
{
    static const std::vector<ReferenceResource> resources{
        {API + "/partners", "partners", R"({"code": "NEW", "name": "Newland", "kind": "nation", "framework": "PATG"})",
         "ITA,JOR,UKR"},
        {API + "/missions", "missions",
         R"({"code": "NEW", "name": "New mission", "kind": "activity", "start_date": "2026-01-01"})", "KFOR,NMI"},
        {API + "/capability-areas", "capability_areas", R"({"code": "NEW", "name": "New area"})", "CYB"},
        {API + "/objectives", "objectives", R"({"code": "NEW", "name": "New objective"})", "SO1,SO6"},
    };
    return resources;
}

std::size_t countOf(const std::string& commaList)
{
    return commaList.empty() ? 0 : static_cast<std::size_t>(std::count(commaList.begin(), commaList.end(), ',') + 1);
}
} // namespace

class ReferenceDataApiTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ReferenceDataApiTest);
    CPPUNIT_TEST(testCreateAnswers201WithLocationAndETagAndReadsBackByIdAndCode);
    CPPUNIT_TEST(testListPagesWithLimitOffsetAndTotal);
    CPPUNIT_TEST(testListSortsByCodeBothWays);
    CPPUNIT_TEST(testListFiltersByFieldAndSearchText);
    CPPUNIT_TEST(testCreateListsEveryBadFieldAndWritesNothing);
    CPPUNIT_TEST(testDuplicateCodeIs409OnCreateAndPatch);
    CPPUNIT_TEST(testPatchWithIfMatchChangesFieldAndBumpsETag);
    CPPUNIT_TEST(testStaleIfMatchIs412AndMissingIfMatchIs428WithResourceUnchanged);
    CPPUNIT_TEST(testPatchValidationIs422WithResourceUnchanged);
    CPPUNIT_TEST(testDeleteIs204ThenGoneAndNeedsCurrentVersion);
    CPPUNIT_TEST(testDeleteOfReferencedRowIs409AndKeepsIt);
    CPPUNIT_TEST(testUnknownIdOrCodeIs404);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _pServer = std::make_unique<HttpTestServer>();
        _pServer->seedReference();
    }
    void tearDown() override { _pServer.reset(); }

    void testCreateAnswers201WithLocationAndETagAndReadsBackByIdAndCode()
    {
        auto& s = *_pServer;
        for (const auto& r : referenceResources())
        {
            const Poco::Int64 rows = s.count(r.table), audits = s.count("audit_events");
            const auto created = s.post(r.path, r.newBody);
            expectStatus("POST " + r.path, 201, created);
            const auto id = number(created, "id");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.path, r.path + "/" + std::to_string(id), created.header("Location"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.path, std::string("\"1\""), created.header("ETag"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.path, Poco::Int64(1), number(created, "version"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.path, std::string("NEW"), text(created, "code"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.path, rows + 1, s.count(r.table));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.path + " audit", audits + 1, s.count("audit_events"));

            const auto byId = s.get(created.header("Location"));
            expectStatus("GET by id " + r.path, 200, byId);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.path, created.body, byId.body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.path, std::string("\"1\""), byId.header("ETag"));
            const auto byCode = s.get(r.path + "/NEW");
            expectStatus("GET by code " + r.path, 200, byCode);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.path, created.body, byCode.body);
        }
        const auto partner = s.get(API + "/partners/NEW");
        CPPUNIT_ASSERT_EQUAL(std::string("active"), text(partner, "status")); // the default
    }

    void testListPagesWithLimitOffsetAndTotal()
    {
        auto& s = *_pServer;
        for (const auto& r : referenceResources())
        {
            const auto all = s.get(r.path);
            expectStatus("GET " + r.path, 200, all);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.path, r.seededCodes, column(all, "code"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.path, Poco::Int64(countOf(r.seededCodes)), number(all, "total"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.path, Poco::Int64(50), number(all, "limit"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.path, Poco::Int64(0), number(all, "offset"));

            const auto tail = s.get(r.path + "?limit=1&offset=" + std::to_string(countOf(r.seededCodes) - 1));
            expectStatus("GET page " + r.path, 200, tail);
            const std::string last = r.seededCodes.substr(r.seededCodes.rfind(',') + 1);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.path, last, column(tail, "code"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.path, Poco::Int64(countOf(r.seededCodes)), number(tail, "total"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.path, Poco::Int64(1), number(tail, "limit"));

            const auto beyond = s.get(r.path + "?offset=10");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.path, std::string(), column(beyond, "code"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.path, Poco::Int64(countOf(r.seededCodes)), number(beyond, "total"));
        }
        const auto middle = s.get(API + "/partners?limit=1&offset=1");
        CPPUNIT_ASSERT_EQUAL(std::string("JOR"), column(middle, "code"));
    }

    void testListSortsByCodeBothWays()
    {
        auto& s = *_pServer;
        CPPUNIT_ASSERT_EQUAL(std::string("UKR,JOR,ITA"), column(s.get(API + "/partners?sort=-code"), "code"));
        CPPUNIT_ASSERT_EQUAL(std::string("ITA,JOR,UKR"), column(s.get(API + "/partners?sort=%2Bcode"), "code"));
        // framework then code: EAPC (UKR) < MD (JOR) < NATO (ITA)
        CPPUNIT_ASSERT_EQUAL(std::string("UKR,JOR,ITA"), column(s.get(API + "/partners?sort=framework,code"), "code"));
        CPPUNIT_ASSERT_EQUAL(std::string("NMI,KFOR"), column(s.get(API + "/missions?sort=start_date"), "code"));
        CPPUNIT_ASSERT_EQUAL(std::string("SO6,SO1"), column(s.get(API + "/objectives?sort=-id"), "code"));
    }

    void testListFiltersByFieldAndSearchText()
    {
        auto& s = *_pServer;
        struct Case
        {
            std::string query;
            std::string codes;
        };
        const std::vector<Case> cases{
            {"/partners?framework=EAPC", "UKR"},
            {"/partners?framework=EAPC,MD", "JOR,UKR"},
            {"/partners?kind=organisation", ""},
            {"/partners?status=active&framework=NATO", "ITA"},
            {"/partners?code=JOR", "JOR"},
            {"/partners?q=ITAL", "ITA"}, // name, case-insensitive
            {"/partners?q=jor", "JOR"},  // code
            {"/partners?q=an", "JOR"},   // Jordan
            {"/partners?q=aIn", "UKR"},  // Ukraine
            {"/partners?q=", "ITA,JOR,UKR"},
            {"/partners?q=%25", ""}, // a literal %, not a wildcard
            {"/missions?kind=operation", "KFOR"},
            {"/missions?q=iraq", "NMI"},
            {"/capability-areas?q=cyber", "CYB"},
            {"/objectives?q=SO6", "SO6"},
            {"/objectives?code=SO1,SO6&limit=1", "SO1"},
        };
        for (const auto& c : cases)
        {
            const auto result = s.get(API + c.query);
            expectStatus("GET " + c.query, 200, result);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.query, c.codes, column(result, "code"));
        }
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), number(s.get(API + "/objectives?code=SO1,SO6&limit=1"), "total"));
        expectProblem("unknown framework", 400, s.get(API + "/partners?framework=OTAN"));
        expectProblem("unknown kind", 400, s.get(API + "/missions?kind=war"));
        expectProblem("name is not filterable", 400, s.get(API + "/partners?name=Italy"));
    }

    void testCreateListsEveryBadFieldAndWritesNothing()
    {
        auto& s = *_pServer;
        const std::string tooLong(201, 'x');
        struct Case
        {
            std::string path;
            std::string table;
            std::string body;
            std::string fields;
        };
        const std::vector<Case> cases{
            {"/partners", "partners",
             R"({"code": "XX", "name": ")" + tooLong + R"(", "kind": "planet", "framework": "OTAN", "status": "gone"})",
             "framework,kind,name,status"},
            {"/partners", "partners", "{}", "code,framework,kind,name"},
            {"/partners", "partners", R"({"code": " ", "name": "A", "kind": "nation", "framework": "MD"})", "code"},
            {"/partners", "partners", R"({"code": "ABCDEFGHIJK", "name": "A", "kind": 1, "framework": "MD"})",
             "code,kind"},
            {"/partners", "partners",
             R"({"code": "ZZZ", "name": null, "kind": "nation", "framework": "MD", "id": 7, "colour": "red"})",
             "colour,id,name"},
            {"/missions", "missions",
             R"({"code": "X", "name": "X", "kind": "war", "start_date": "2027-02-30", "end_date": "soon"})",
             "end_date,kind,start_date"},
            {"/missions", "missions",
             R"({"code": "X", "name": "X", "kind": "mission", "start_date": "2027-05-01", "end_date": "2027-04-30"})",
             "end_date"},
            {"/missions", "missions",
             R"({"code": "X", "name": "X", "kind": "mission", "region": ")" + std::string(101, 'r') + R"("})",
             "region"},
            {"/capability-areas", "capability_areas", R"({"code": "X", "name": ""})", "name"},
            {"/objectives", "objectives", R"({"code": "SO9", "name": 5})", "name"},
        };
        for (const auto& c : cases)
        {
            Unchanged unchanged(s, {c.table});
            expectInvalid("POST " + c.path + " " + c.body, c.fields, s.post(API + c.path, c.body));
            unchanged.check("POST " + c.path + " " + c.body);
        }
    }

    void testDuplicateCodeIs409OnCreateAndPatch()
    {
        auto& s = *_pServer;
        for (const auto& r : referenceResources())
        {
            const std::string seeded = r.seededCodes.substr(0, r.seededCodes.find(','));
            std::string body = r.newBody;
            body.replace(body.find("NEW"), 3, seeded);
            Unchanged unchanged(s, {r.table});
            expectProblem("duplicate " + body, 409, s.post(r.path, body));
            unchanged.check("duplicate " + body);
        }
        // Codes are compared after trimming, so " UKR " is UKR again.
        Unchanged unchanged(s, {"partners"}, {API + "/partners/ITA"});
        expectProblem(
            "padded duplicate", 409,
            s.post(API + "/partners", R"({"code": " UKR ", "name": "U", "kind": "nation", "framework": "EAPC"})"));
        const auto rename = s.patch(API + "/partners/ITA", R"({"code": "UKR"})", 1);
        expectProblem("rename onto UKR", 409, rename);
        CPPUNIT_ASSERT_EQUAL(std::string("a partner with this code (UKR) already exists: choose another"),
                             text(rename, "detail"));
        unchanged.check("duplicate partner");
    }

    void testPatchWithIfMatchChangesFieldAndBumpsETag()
    {
        auto& s = *_pServer;
        for (const auto& r : referenceResources())
        {
            const std::string code = r.seededCodes.substr(0, r.seededCodes.find(','));
            const auto audits = s.count("audit_events");
            const auto updated = s.patch(r.path + "/" + code, R"({"name": "Renamed"})", 1);
            expectStatus("PATCH " + r.path, 200, updated);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.path, std::string("\"2\""), updated.header("ETag"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.path, Poco::Int64(2), number(updated, "version"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.path, std::string("Renamed"), text(updated, "name"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.path, audits + 1, s.count("audit_events"));
            const auto read = s.get(r.path + "/" + std::to_string(number(updated, "id")));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.path, updated.body, read.body);
        }
        // `version` in the body stands in for If-Match.
        const auto byBody = s.request("PATCH", API + "/partners/ITA", R"({"version": 2, "status": "suspended"})");
        expectStatus("PATCH with body version", 200, byBody);
        CPPUNIT_ASSERT_EQUAL(std::string("suspended"), text(byBody, "status"));
        CPPUNIT_ASSERT_EQUAL(std::string("\"3\""), byBody.header("ETag"));
        // A weak ETag names the same version.
        const auto weak =
            s.request("PATCH", API + "/partners/ITA", R"({"status": "active"})", {{"If-Match", "W/\"3\""}});
        expectStatus("PATCH with weak ETag", 200, weak);
        CPPUNIT_ASSERT_EQUAL(std::string("\"4\""), weak.header("ETag"));
    }

    void testStaleIfMatchIs412AndMissingIfMatchIs428WithResourceUnchanged()
    {
        auto& s = *_pServer;
        for (const auto& r : referenceResources())
        {
            const std::string item = r.path + "/" + r.seededCodes.substr(0, r.seededCodes.find(','));
            expectStatus("first PATCH " + item, 200, s.patch(item, R"({"name": "First"})", 1));
            Unchanged unchanged(s, {r.table}, {item});
            expectProblem("stale PATCH " + item, 412, s.patch(item, R"({"name": "Second"})", 1));
            expectProblem("future PATCH " + item, 412, s.patch(item, R"({"name": "Second"})", 3));
            expectProblem("PATCH without If-Match " + item, 428, s.request("PATCH", item, R"({"name": "Second"})"));
            expectProblem("stale DELETE " + item, 412, s.request("DELETE", item, "", ifMatch(1)));
            expectProblem("DELETE without If-Match " + item, 428, s.request("DELETE", item));
            unchanged.check(item);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(item, std::string("First"), text(s.get(item), "name"));
        }
    }

    void testPatchValidationIs422WithResourceUnchanged()
    {
        auto& s = *_pServer;
        struct Case
        {
            std::string item;
            std::string body;
            std::string fields;
        };
        const std::vector<Case> cases{
            {"/partners/UKR", R"({"kind": "planet", "framework": null})", "framework,kind"},
            {"/partners/UKR", R"({"code": "", "id": 5, "version": 1})", "code,id"},
            {"/missions/KFOR", R"({"end_date": "1999-05-31"})", "end_date"}, // before its start
            {"/missions/KFOR", R"({"start_date": "1999-6-1"})", "start_date"},
            {"/capability-areas/CYB", R"({"name": "   "})", "name"},
            {"/objectives/SO1", R"({"created_at": "2020-01-01T00:00:00Z"})", "created_at"},
        };
        for (const auto& c : cases)
        {
            Unchanged unchanged(s, {}, {API + c.item});
            expectInvalid("PATCH " + c.item + " " + c.body, c.fields, s.patch(API + c.item, c.body, 1));
            unchanged.check("PATCH " + c.item + " " + c.body);
        }
    }

    void testDeleteIs204ThenGoneAndNeedsCurrentVersion()
    {
        auto& s = *_pServer;
        for (const auto& r : referenceResources())
        {
            const auto id = s.create(r.path, r.newBody);
            const std::string item = r.path + "/" + std::to_string(id);
            const Poco::Int64 rows = s.count(r.table), audits = s.count("audit_events");
            const auto deleted = s.request("DELETE", item, "", ifMatch(1));
            expectStatus("DELETE " + item, 204, deleted);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(item, std::string(), deleted.body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(item, rows - 1, s.count(r.table));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(item, audits + 1, s.count("audit_events"));
            expectProblem("GET deleted " + item, 404, s.get(item));
            expectProblem("GET deleted by code", 404, s.get(r.path + "/NEW"));
            expectProblem("DELETE again " + item, 404, s.request("DELETE", item, "", ifMatch(1)));
        }
        // A deleted code can be used again.
        expectStatus("re-create", 201, s.post(referenceResources()[0].path, referenceResources()[0].newBody));
    }

    void testDeleteOfReferencedRowIs409AndKeepsIt()
    {
        auto& s = *_pServer;
        const auto project = s.create(API + "/projects", R"({"code": "P-1", "title": "Uses everything",
            "kind": "capability", "capability_area": "CYB", "objectives": ["SO1"]})");
        const std::string projectPath = API + "/projects/" + std::to_string(project);
        const auto ukr = number(s.get(API + "/partners/UKR"), "id");
        const auto kfor = number(s.get(API + "/missions/KFOR"), "id");
        s.create(projectPath + "/contributions",
                 R"({"partner_id": )" + std::to_string(ukr) + R"(, "role": "contributor", "kind": "funding"})");
        s.create(projectPath + "/missions",
                 R"({"mission_id": )" + std::to_string(kfor) + R"(, "relation": "direct_support"})");

        for (const std::string item : {"/partners/UKR", "/missions/KFOR", "/capability-areas/CYB", "/objectives/SO1"})
        {
            Unchanged unchanged(s, {"partners", "missions", "capability_areas", "objectives", "project_objectives"},
                                {API + item, projectPath});
            expectProblem("DELETE referenced " + item, 409, s.request("DELETE", API + item, "", ifMatch(1)));
            unchanged.check("DELETE referenced " + item);
        }
        // Unreferenced siblings can go.
        for (const std::string item : {"/partners/ITA", "/missions/NMI", "/objectives/SO6"})
            expectStatus("DELETE unreferenced " + item, 204, s.request("DELETE", API + item, "", ifMatch(1)));
    }

    void testUnknownIdOrCodeIs404()
    {
        auto& s = *_pServer;
        for (const auto& r : referenceResources())
        {
            for (const std::string key : {"99999", "NOPE", "0"})
            {
                Unchanged unchanged(s, {r.table});
                expectProblem("GET " + r.path + "/" + key, 404, s.get(r.path + "/" + key));
                expectProblem("PATCH " + r.path + "/" + key, 404, s.patch(r.path + "/" + key, R"({"name": "x"})", 1));
                expectProblem("DELETE " + r.path + "/" + key, 404,
                              s.request("DELETE", r.path + "/" + key, "", ifMatch(1)));
                unchanged.check(r.path + "/" + key);
            }
        }
    }

private:
    std::unique_ptr<HttpTestServer> _pServer;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ReferenceDataApiTest);
