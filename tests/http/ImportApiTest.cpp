#include "ApiAssertions.h"
#include "HttpTestServer.h"
#include "captrack/app/ImportCommand.h"

#include <Poco/JSON/Array.h>

#include <cppunit/extensions/HelperMacros.h>

#include <sstream>

using captrack::test::HttpResult;
using captrack::test::HttpTestServer;
using namespace captrack::test::api;

namespace
{
/// "row:column" of each error of an import's answer, in order, separated by spaces.
std::string errorPlaces(const HttpResult& answer)
{
    std::string places;
    const auto errors = answer.json()->getArray("errors");
    for (std::size_t i = 0; i < errors->size(); ++i)
    {
        const auto error = errors->getObject(static_cast<unsigned>(i));
        places += (places.empty() ? "" : " ") + std::to_string(error->getValue<int>("row")) + ":" +
                  error->getValue<std::string>("column");
    }
    return places;
}
} // namespace

/// POST /api/v1/import/{kind} and `captrack import`: CSV rows written through the API's own validation and
/// access rules, audited as the importing user, all in one transaction or none.
class ImportApiTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ImportApiTest);
    CPPUNIT_TEST(testADryRunListsEveryRowsErrorsAndWritesNothing);
    CPPUNIT_TEST(testOneBadRowWritesNoneAndAGoodFileWritesAllAuditedAsTheImporter);
    CPPUNIT_TEST(testRowsWithIdAndVersionUpdateUnderTheSameVersionRules);
    CPPUNIT_TEST(testALeadImportsOnlyIntoItsOwnProjectsAndPartnersNotAtAll);
    CPPUNIT_TEST(testTheRequestItselfIsChecked);
    CPPUNIT_TEST(testTheCommandLineImportsAsTheNamedUser);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _pServer = std::make_unique<HttpTestServer>();
        _pServer->seedReference();
        _project = _pServer->create(API + "/projects", R"({"code": "P-1", "title": "One", "kind": "capability"})");
    }
    void tearDown() override { _pServer.reset(); }

    HttpResult import(const std::string& kind, const std::string& csv, bool dryRun = false)
    {
        return _pServer->request("POST", API + "/import/" + kind + (dryRun ? "?dry_run=true" : ""), csv,
                                 {{"Content-Type", "text/csv"}});
    }

    void testADryRunListsEveryRowsErrorsAndWritesNothing()
    {
        auto& s = *_pServer;
        Unchanged unchanged(s, {"projects", "project_objectives"});
        const std::string csv = "code,title,kind,objectives,budget_eur\r\n"
                                "IMP-1,\"Detector, mark II\",capability,SO1;SO6,1000\r\n"
                                "IMP-2,,nonsense,,x\r\n"
                                "P-1,Taken code,scientific,,\r\n"
                                "IMP-4,Fine,scientific,SO9,\r\n"
                                "IMP-5,Short row\r\n";
        const auto answer = import("projects", csv, true);
        expectStatus("dry run", 200, answer);
        const auto json = answer.json();
        CPPUNIT_ASSERT_EQUAL(true, json->getValue<bool>("dry_run"));
        CPPUNIT_ASSERT_EQUAL(false, json->getValue<bool>("written"));
        CPPUNIT_ASSERT_EQUAL(5, json->getValue<int>("rows"));
        // Cell errors and the service's own errors of the same row are both listed.
        CPPUNIT_ASSERT_EQUAL(std::string("3:budget_eur 3:kind 3:title 4: 5:objectives 6:"), errorPlaces(answer));
        unchanged.check("dry run");
        const auto clean = import("projects", "code,title,kind\nIMP-9,Nine,capability\n", true);
        expectStatus("clean dry run", 200, clean);
        CPPUNIT_ASSERT_EQUAL(1, clean.json()->getValue<int>("created"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), clean.json()->getArray("errors")->size());
        unchanged.check("clean dry run");
    }

    void testOneBadRowWritesNoneAndAGoodFileWritesAllAuditedAsTheImporter()
    {
        auto& s = *_pServer;
        const std::string p = std::to_string(_project);
        {
            Unchanged unchanged(s, {"milestones", "milestone_history"});
            const auto refused = import("milestones", "project_id,title,baseline_date\n" + p + ",Good,2027-05-01\n" +
                                                          p + ",Bad date,2027-02-30\n");
            expectProblem("one bad row", 422, refused);
            CPPUNIT_ASSERT_EQUAL(std::string("3:baseline_date"), errorPlaces(refused));
            CPPUNIT_ASSERT_EQUAL(0, refused.json()->getValue<int>("created"));
            unchanged.check("one bad row");
        }
        const auto lead = s.addUser("lena", "lead");
        s.signIn("admin");
        const auto mine = s.create(API + "/projects", R"({"code": "P-L", "title": "Lena's", "kind": "capability",
            "lead_user_id": )" + std::to_string(lead) + "}");
        s.signIn("lena");
        // By the project's code or id; a quoted title with a comma and quotes; the export's formula guard undone.
        const auto written = import("milestones", "project_id,title,baseline_date,weight\n"
                                                  "P-L,\"Trial, \"\"phase\"\" one\",2027-05-01,3\n" +
                                                      std::to_string(mine) + ",'=SUM(A1),2027-06-01,\n");
        expectStatus("import", 200, written);
        CPPUNIT_ASSERT_EQUAL(true, written.json()->getValue<bool>("written"));
        CPPUNIT_ASSERT_EQUAL(2, written.json()->getValue<int>("created"));
        const auto stored = s.get(API + "/projects/" + std::to_string(mine) + "/milestones?sort=baseline_date");
        CPPUNIT_ASSERT_EQUAL(std::string("Trial, \"phase\" one"),
                             stored.json()->getArray("items")->getObject(0)->getValue<std::string>("title"));
        CPPUNIT_ASSERT_EQUAL(3, stored.json()->getArray("items")->getObject(0)->getValue<int>("weight"));
        CPPUNIT_ASSERT_EQUAL(std::string("=SUM(A1)"),
                             stored.json()->getArray("items")->getObject(1)->getValue<std::string>("title"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), s.count("audit_events WHERE entity = 'milestone' AND action = 'create' "
                                                     "AND user_id = " +
                                                     std::to_string(lead)));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), s.count("milestone_history WHERE user_id = " + std::to_string(lead)));
        // The roll-ups, refreshed once for the import's project, hold both milestones (weight 3 + 1).
        const std::string p2 = std::to_string(mine);
        CPPUNIT_ASSERT_EQUAL(std::string("2"),
                             s.scalar("SELECT milestones_total FROM project_rollups WHERE project_id = " + p2));
        CPPUNIT_ASSERT_EQUAL(std::string("4"),
                             s.scalar("SELECT weight_sum FROM project_rollups WHERE project_id = " + p2));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), s.count("open_milestones WHERE project_id = " + p2));
    }

    void testRowsWithIdAndVersionUpdateUnderTheSameVersionRules()
    {
        auto& s = *_pServer;
        const auto partner = s.partnerId("UKR");
        const auto id = s.create(API + "/projects/" + std::to_string(_project) + "/contributions",
                                 R"({"partner_id": )" + std::to_string(partner) +
                                     R"(, "role": "contributor", "kind": "funding", "description": "old"})");
        const std::string row = std::to_string(id) + "," + std::to_string(_project);
        const auto updated = import("contributions", "id,version,project_id,amount_eur,person_months,description\n" +
                                                         row + ",1,250000,2.5,\n");
        expectStatus("update", 200, updated);
        CPPUNIT_ASSERT_EQUAL(1, updated.json()->getValue<int>("updated"));
        const auto read = s.get(API + "/contributions/" + std::to_string(id)).json();
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(250000), read->getValue<Poco::Int64>("amount_eur"));
        CPPUNIT_ASSERT_EQUAL(2.5, read->getValue<double>("person_months"));
        CPPUNIT_ASSERT(read->isNull("description")); // an empty cell of an update clears the field
        CPPUNIT_ASSERT_EQUAL(2, read->getValue<int>("version"));

        const auto other = s.create(API + "/projects", R"({"code": "P-2", "title": "Two", "kind": "capability"})");
        Unchanged unchanged(s, {"contributions"}, {API + "/contributions/" + std::to_string(id)});
        expectProblem("stale version", 422,
                      import("contributions", "id,version,amount_eur\n" + std::to_string(id) + ",1,5\n"));
        expectProblem("no version", 422,
                      import("contributions", "id,version,amount_eur\n" + std::to_string(id) + ",,5\n"));
        const auto noId =
            import("contributions", "id,version,project_id,partner_id,role,kind\n,2," + std::to_string(_project) + "," +
                                        std::to_string(partner) + ",contributor,funding\n");
        expectProblem("a version without an id", 422, noId);
        CPPUNIT_ASSERT_EQUAL(std::string("2:id"), errorPlaces(noId));
        const auto comma = import("contributions", "id,version,project_id,person_months\n" + std::to_string(id) +
                                                       ",2," + std::to_string(_project) + ",\"2,5\"\n");
        expectProblem("a decimal comma", 422, comma);
        CPPUNIT_ASSERT_EQUAL(std::string("2:person_months"), errorPlaces(comma));
        expectProblem("moved", 422,
                      import("contributions",
                             "id,version,project_id\n" + std::to_string(id) + ",2," + std::to_string(other) + "\n"));
        unchanged.check("refused updates");
    }

    void testALeadImportsOnlyIntoItsOwnProjectsAndPartnersNotAtAll()
    {
        auto& s = *_pServer;
        s.addUser("lena", "lead");
        s.addUser("pia", "partner", s.partnerId("UKR"));
        s.addUser("rex", "reviewer");
        const std::string csv = "project_id,title,baseline_date\nP-1,Not hers,2027-05-01\n";
        Unchanged unchanged(s, {"milestones"});
        s.signIn("lena");
        const auto notHers = import("milestones", csv);
        expectProblem("another's project", 422, notHers);
        CPPUNIT_ASSERT_EQUAL(std::string("2:"), errorPlaces(notHers));
        for (const char* who : {"pia", "rex"})
        {
            s.signIn(who);
            expectProblem(who, 403, import("milestones", csv, true));
            expectProblem(who, 403, import("projects", "code,title,kind\nX-1,X,capability\n"));
        }
        // A project that is not there is named in the row's error (importers are staff: they see every project).
        s.signIn("lena");
        const auto hidden = import("milestones", "project_id,title,baseline_date\nNO-SUCH,T,2027-05-01\n");
        CPPUNIT_ASSERT_EQUAL(std::string("there is no project NO-SUCH"),
                             hidden.json()->getArray("errors")->getObject(0)->getValue<std::string>("message"));
        unchanged.check("refused imports");
    }

    void testTheRequestItselfIsChecked()
    {
        auto& s = *_pServer;
        Unchanged unchanged(s, {"projects"});
        expectProblem("JSON body", 415, s.request("POST", API + "/import/projects", R"({"code": "X"})"));
        expectProblem("Latin-1", 415,
                      s.request("POST", API + "/import/projects", "code\nX\n",
                                {{"Content-Type", "text/csv; charset=iso-8859-1"}}));
        expectStatus("UTF-8 named", 200,
                     s.request("POST", API + "/import/projects?dry_run=true", "code,title,kind\nX,X,capability\n",
                               {{"Content-Type", "text/csv; charset=UTF-8"}}));
        // Errors are listed up to a bound, then counted.
        std::string many = "code,title,kind\n";
        for (int i = 0; i < 1100; ++i)
            many += "C-" + std::to_string(i) + ",,capability\n";
        const auto capped = import("projects", many, true);
        const auto errors = capped.json()->getArray("errors");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1001), errors->size());
        CPPUNIT_ASSERT_EQUAL(std::string("and 100 more problems, not listed"),
                             errors->getObject(1000)->getValue<std::string>("message"));
        const auto wide = import("projects", "code" + std::string(100, ',') + "\n", true);
        CPPUNIT_ASSERT_EQUAL(std::string("1:"), errorPlaces(wide));
        expectProblem("unknown kind", 404, import("users", "username\nx\n"));
        expectProblem(
            "bad dry_run", 400,
            s.request("POST", API + "/import/projects?dry_run=yes", "code\n", {{"Content-Type", "text/csv"}}));
        const auto unknown = import("projects", "code,colour\nX,red\n");
        expectProblem("unknown column", 422, unknown);
        CPPUNIT_ASSERT_EQUAL(std::string("1:colour"), errorPlaces(unknown));
        CPPUNIT_ASSERT_EQUAL(std::string("1:"), errorPlaces(import("projects", "code,title\n")));
        CPPUNIT_ASSERT_EQUAL(std::string("2:"), errorPlaces(import("projects", "code\n\"open\n")));
        unchanged.check("refused requests");
    }

    void testTheCommandLineImportsAsTheNamedUser()
    {
        auto& s = *_pServer;
        const auto lead = s.addUser("lena", "lead");
        s.addUser("rex", "reviewer");
        s.create(API + "/projects", R"({"code": "P-L", "title": "Lena's", "kind": "capability", "lead_user_id": )" +
                                        std::to_string(lead) + "}");
        std::istringstream csv("project_id,title,baseline_date\nP-L,From the shell,2027-05-01\n");
        std::ostringstream out, err;
        captrack::app::ImportRequest request{"milestones", "-", "lena", true};
        CPPUNIT_ASSERT_EQUAL(0, captrack::app::runImport(s.db().database(), request, csv, out, err));
        CPPUNIT_ASSERT_EQUAL(std::string("1 row(s): 1 created, 0 updated (dry run: nothing was written)\n"), out.str());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), s.count("milestones"));
        request.dryRun = false;
        csv.clear();
        csv.seekg(0);
        CPPUNIT_ASSERT_EQUAL(0, captrack::app::runImport(s.db().database(), request, csv, out, err));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1),
                             s.count("audit_events WHERE entity = 'milestone' AND user_id = " + std::to_string(lead)));
        std::istringstream bad("project_id,title,baseline_date\nP-L,,2027-05-01\n");
        CPPUNIT_ASSERT_EQUAL(65, captrack::app::runImport(s.db().database(), request, bad, out, err));
        CPPUNIT_ASSERT(err.str().find("row 2, column title: ") != std::string::npos);
        request.username = "rex";
        CPPUNIT_ASSERT_EQUAL(77, captrack::app::runImport(s.db().database(), request, bad, out, err));
        // A disabled user imports nothing, as it could sign in to nothing.
        s.signIn("admin");
        expectStatus("disable lena", 200, s.patch("/api/v1/users/" + std::to_string(lead), R"({"disabled": true})", 1));
        request.username = "lena";
        std::istringstream good("project_id,title,baseline_date\nP-L,After disabling,2027-05-01\n");
        CPPUNIT_ASSERT_EQUAL(64, captrack::app::runImport(s.db().database(), request, good, out, err));
        request.username = "nobody";
        CPPUNIT_ASSERT_EQUAL(64, captrack::app::runImport(s.db().database(), request, bad, out, err));
        request.kind = "users";
        CPPUNIT_ASSERT_EQUAL(64, captrack::app::runImport(s.db().database(), request, bad, out, err));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), s.count("milestones"));
    }

private:
    std::unique_ptr<HttpTestServer> _pServer;
    Poco::Int64 _project = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ImportApiTest);
