#include "ApiAssertions.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace captrack::test::api;
using captrack::test::HttpTestServer;

class MilestoneApiTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(MilestoneApiTest);
    CPPUNIT_TEST(testCreateUnderProjectAnswers201WithDefaultsAndReadsBack);
    CPPUNIT_TEST(testMissingProjectIs404AndWritesNothing);
    CPPUNIT_TEST(testDoneRequiresActualDateAndActualDateRequiresDone);
    CPPUNIT_TEST(testProgressRangeAndWeightAtLeastOne);
    CPPUNIT_TEST(testDependsOnMustNameMilestonesOfTheSameProject);
    CPPUNIT_TEST(testDependsOnRefusesCycles);
    CPPUNIT_TEST(testEveryWriteAnswersWhatTheNextReadGives);
    CPPUNIT_TEST(testRescheduleWithIfMatchThenStaleIfMatchIsRefusedWithDataUnchanged);
    CPPUNIT_TEST(testHistoryRecordsCreateAndEachTrackedChangeWithValues);
    CPPUNIT_TEST(testHistoryOfMissingMilestoneIs404);
    CPPUNIT_TEST(testDeleteOfMilestoneOthersDependOnIs409);
    CPPUNIT_TEST(testListIsScopedToProjectAndSortsAndFilters);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _pServer = std::make_unique<HttpTestServer>();
        _pServer->seedReference();
        _project = _pServer->create(API + "/projects", R"({"code": "P-1", "title": "One", "kind": "capability"})");
        _other = _pServer->create(API + "/projects", R"({"code": "P-2", "title": "Two", "kind": "scientific"})");
    }
    void tearDown() override { _pServer.reset(); }

    void testCreateUnderProjectAnswers201WithDefaultsAndReadsBack()
    {
        auto& s = *_pServer;
        const auto created =
            s.post(milestones(_project), R"({"title": "Design review", "baseline_date": "2027-06-01"})");
        expectStatus("POST milestone", 201, created);
        const auto id = number(created, "id");
        CPPUNIT_ASSERT_EQUAL(milestone(id), created.header("Location"));
        CPPUNIT_ASSERT_EQUAL(std::string("\"1\""), created.header("ETag"));
        CPPUNIT_ASSERT_EQUAL(_project, number(created, "project_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("planned"), text(created, "status"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), number(created, "progress"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), number(created, "weight"));
        CPPUNIT_ASSERT_EQUAL(std::string("null"), text(created, "forecast_date"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), created.json()->getArray("depends_on")->size());
        CPPUNIT_ASSERT_EQUAL(std::string("2027-03-01T10:00:00Z"), text(created, "created_at"));

        const auto read = s.get(milestone(id));
        expectStatus("GET milestone", 200, read);
        CPPUNIT_ASSERT_EQUAL(created.body, read.body);
        CPPUNIT_ASSERT_EQUAL(std::string("\"1\""), read.header("ETag"));
        // project_id comes from the path and cannot be written.
        Unchanged unchanged(s, {"milestones"});
        expectInvalid("project_id in body", "project_id",
                      s.post(milestones(_project), R"({"title": "T", "baseline_date": "2027-06-01", "project_id": )" +
                                                       std::to_string(_other) + "}"));
        unchanged.check("project_id in body");
    }

    void testMissingProjectIs404AndWritesNothing()
    {
        auto& s = *_pServer;
        for (const std::string project : {"99999", "P-1", "0"})
        {
            Unchanged unchanged(s, {"milestones", "milestone_history"});
            expectProblem("POST under " + project, 404,
                          s.post(API + "/projects/" + project + "/milestones",
                                 R"({"title": "Lost", "baseline_date": "2027-06-01"})"));
            expectProblem("GET under " + project, 404, s.get(API + "/projects/" + project + "/milestones"));
            unchanged.check("POST under " + project);
        }
        expectProblem("GET missing milestone", 404, s.get(milestone(99999)));
    }

    void testDoneRequiresActualDateAndActualDateRequiresDone()
    {
        auto& s = *_pServer;
        struct Case
        {
            std::string body;
            std::string fields; ///< "" when the create must succeed
        };
        const std::vector<Case> cases{
            {R"({"title": "A", "baseline_date": "2027-04-01", "status": "done"})", "actual_date"},
            {R"({"title": "A", "baseline_date": "2027-04-01", "status": "done", "actual_date": null})", "actual_date"},
            {R"({"title": "A", "baseline_date": "2027-04-01", "actual_date": "2027-04-02"})", "actual_date"},
            {R"({"title": "A", "baseline_date": "2027-04-01", "status": "in_progress", "actual_date": "2027-04-02"})",
             "actual_date"},
            {R"({"title": "A", "baseline_date": "2027-04-01", "status": "done", "actual_date": "2027-04-31"})",
             "actual_date"},
            {R"({"title": "A", "baseline_date": "2027-04-01", "status": "done", "actual_date": "2027-04-02"})", ""},
        };
        for (const auto& c : cases)
        {
            Unchanged unchanged(s, {"milestones", "milestone_history"});
            const auto result = s.post(milestones(_project), c.body);
            if (!c.fields.empty())
            {
                expectInvalid(c.body, c.fields, result);
                unchanged.check(c.body);
            }
            else
                expectStatus(c.body, 201, result);
        }
        const auto id = s.create(milestones(_project), R"({"title": "Open", "baseline_date": "2027-05-01"})");
        Unchanged unchanged(s, {"milestone_history"}, {milestone(id)});
        expectInvalid("PATCH done alone", "actual_date", s.patch(milestone(id), R"({"status": "done"})", 1));
        expectInvalid("PATCH actual alone", "actual_date",
                      s.patch(milestone(id), R"({"actual_date": "2027-05-02"})", 1));
        unchanged.check("PATCH done/actual_date");
        const auto closed = s.patch(milestone(id), R"({"status": "done", "actual_date": "2027-05-02"})", 1);
        expectStatus("PATCH done with actual_date", 200, closed);
        expectInvalid("reopen keeping actual_date", "actual_date",
                      s.patch(milestone(id), R"({"status": "in_progress"})", 2));
        expectStatus("reopen clearing actual_date", 200,
                     s.patch(milestone(id), R"({"status": "in_progress", "actual_date": null})", 2));
    }

    void testProgressRangeAndWeightAtLeastOne()
    {
        auto& s = *_pServer;
        struct Case
        {
            std::string extra;
            std::string fields;
        };
        const std::vector<Case> cases{
            {R"("progress": -1)", "progress"},
            {R"("progress": 101)", "progress"},
            {R"("progress": 50.5)", "progress"},
            {R"("progress": "50")", "progress"},
            {R"("progress": null)", "progress"},
            {R"("weight": 0)", "weight"},
            {R"("weight": -3)", "weight"},
            {R"("weight": 1.5)", "weight"},
            {R"("weight": 0, "progress": 200)", "progress,weight"},
            {R"("progress": 0)", ""},
            {R"("progress": 100, "weight": 1)", ""},
            // Strict types (issue 8): an integer field takes a JSON integer; 50.0 and 5e1 are numbers
            // with a fraction or exponent, as JavaScript's JSON.stringify never writes an integer.
            {R"("progress": 50.0, "weight": 7)", "progress"},
            {R"("progress": 5e1)", "progress"},
            {R"("progress": true)", "progress"},
            {R"("progress": 50, "weight": 7)", ""},
        };
        for (const auto& c : cases)
        {
            const std::string body = R"({"title": "M", "baseline_date": "2027-04-01", )" + c.extra + "}";
            Unchanged unchanged(s, {"milestones"});
            const auto result = s.post(milestones(_project), body);
            if (c.fields.empty())
                expectStatus(body, 201, result);
            else
            {
                expectInvalid(body, c.fields, result);
                unchanged.check(body);
            }
        }
        const auto id = s.create(milestones(_project), R"({"title": "M", "baseline_date": "2027-04-01"})");
        Unchanged unchanged(s, {"milestone_history"}, {milestone(id)});
        expectInvalid("PATCH progress 101", "progress", s.patch(milestone(id), R"({"progress": 101})", 1));
        expectInvalid("PATCH weight 0", "weight", s.patch(milestone(id), R"({"weight": 0})", 1));
        unchanged.check("PATCH progress/weight");
    }

    void testDependsOnMustNameMilestonesOfTheSameProject()
    {
        auto& s = *_pServer;
        const auto a = s.create(milestones(_project), R"({"title": "A", "baseline_date": "2027-04-01"})");
        const auto foreign = s.create(milestones(_other), R"({"title": "F", "baseline_date": "2027-04-01"})");
        for (const std::string& list : {"[" + std::to_string(foreign) + "]", std::string("[99999]"),
                                        "[" + std::to_string(a) + ", " + std::to_string(foreign) + "]",
                                        std::string("[0]"), std::string(R"(["A"])"), std::to_string(a)})
        {
            const std::string body = R"({"title": "B", "baseline_date": "2027-05-01", "depends_on": )" + list + "}";
            Unchanged unchanged(s, {"milestones", "milestone_dependencies"});
            expectInvalid(body, "depends_on", s.post(milestones(_project), body));
            unchanged.check(body);
        }
        const auto b = s.post(milestones(_project), R"({"title": "B", "baseline_date": "2027-05-01", "depends_on": [)" +
                                                        std::to_string(a) + ", " + std::to_string(a) + "]}");
        expectStatus("B depends on A", 201, b);
        CPPUNIT_ASSERT_EQUAL(std::to_string(a), b.json()->getArray("depends_on")->get(0).convert<std::string>());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), b.json()->getArray("depends_on")->size());
        Unchanged unchanged(s, {"milestone_dependencies"}, {milestone(number(b, "id"))});
        expectInvalid("PATCH onto foreign", "depends_on",
                      s.patch(milestone(number(b, "id")), R"({"depends_on": [)" + std::to_string(foreign) + "]}", 1));
        unchanged.check("PATCH onto foreign");
    }

    void testDependsOnRefusesCycles()
    {
        auto& s = *_pServer;
        const auto a = s.create(milestones(_project), R"({"title": "A", "baseline_date": "2027-04-01"})");
        const auto b =
            s.create(milestones(_project),
                     R"({"title": "B", "baseline_date": "2027-05-01", "depends_on": [)" + std::to_string(a) + "]}");
        const auto c =
            s.create(milestones(_project),
                     R"({"title": "C", "baseline_date": "2027-06-01", "depends_on": [)" + std::to_string(b) + "]}");
        struct Case
        {
            Poco::Int64 id;
            std::string dependsOn;
        };
        const std::vector<Case> cases{
            {a, std::to_string(a)}, // itself
            {a, std::to_string(b)}, // A -> B -> A
            {a, std::to_string(c)}, // A -> C -> B -> A
            {b, std::to_string(c)}, // B -> C -> B
            {a, std::to_string(b) + "," + std::to_string(c)},
        };
        for (const auto& k : cases)
        {
            const std::string body = R"({"depends_on": [)" + k.dependsOn + "]}";
            Unchanged unchanged(s, {"milestone_dependencies"}, {milestone(a), milestone(b), milestone(c)});
            expectInvalid("PATCH " + std::to_string(k.id) + " " + body, "depends_on",
                          s.patch(milestone(k.id), body, 1));
            unchanged.check("PATCH " + std::to_string(k.id) + " " + body);
        }
        // Replacing an edge by one that does not close a loop is fine: C -> A as well as C -> B.
        const auto ok =
            s.patch(milestone(c), R"({"depends_on": [)" + std::to_string(a) + "," + std::to_string(b) + "]}", 1);
        expectStatus("C depends on A and B", 200, ok);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), ok.json()->getArray("depends_on")->size());
    }

    /// A write answers with the record as stored, not as sent: dependencies in the order a read gives them
    /// (the write takes them from its input rather than reading them back), whether they changed or not.
    void testEveryWriteAnswersWhatTheNextReadGives()
    {
        auto& s = *_pServer;
        const auto a = s.create(milestones(_project), R"({"title": "A", "baseline_date": "2027-04-01"})");
        const auto b = s.create(milestones(_project), R"({"title": "B", "baseline_date": "2027-04-02"})");
        const auto c = s.create(milestones(_project), R"({"title": "C", "baseline_date": "2027-04-03"})");
        const std::string ab = std::to_string(a) + "," + std::to_string(b);
        const std::string ba = std::to_string(b) + "," + std::to_string(a);
        const std::string ca = std::to_string(c) + "," + std::to_string(a);
        const auto created = s.post(milestones(_project),
                                    R"({"title": "D", "baseline_date": "2027-05-01", "depends_on": [)" + ba + "]}");
        expectStatus("POST D", 201, created);
        const auto d = number(created, "id");
        CPPUNIT_ASSERT_EQUAL(s.get(milestone(d)).body, created.body);
        CPPUNIT_ASSERT_EQUAL(ab, listText(created, "depends_on"));
        struct Step
        {
            const char* what;
            std::string body;
            std::string dependsOn;
        };
        const std::vector<Step> steps{
            {"progress only", R"({"progress": 40})", ab},
            {"the same dependencies in another order", R"({"depends_on": [)" + ba + "]}", ab},
            {"other dependencies, unordered", R"({"depends_on": [)" + ca + "]}",
             std::to_string(a) + "," + std::to_string(c)},
            {"none", R"({"depends_on": [], "progress": 50})", ""},
        };
        Poco::Int64 version = 1;
        for (const auto& step : steps)
        {
            const auto written = s.patch(milestone(d), step.body, version);
            expectStatus(step.what, 200, written);
            version = number(written, "version");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(step.what, s.get(milestone(d)).body, written.body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(step.what, step.dependsOn, listText(written, "depends_on"));
        }
    }

    void testRescheduleWithIfMatchThenStaleIfMatchIsRefusedWithDataUnchanged()
    {
        auto& s = *_pServer;
        const auto id = s.create(milestones(_project), R"({"title": "Trial", "baseline_date": "2027-06-01"})");
        const auto moved = s.patch(milestone(id), R"({"forecast_date": "2027-07-15"})", 1);
        expectStatus("reschedule", 200, moved);
        CPPUNIT_ASSERT_EQUAL(std::string("\"2\""), moved.header("ETag"));
        CPPUNIT_ASSERT_EQUAL(std::string("2027-07-15"), text(moved, "forecast_date"));
        CPPUNIT_ASSERT_EQUAL(std::string("2027-06-01"), text(moved, "baseline_date"));

        Unchanged unchanged(s, {"milestones", "milestone_history"}, {milestone(id)});
        const auto stale = s.patch(milestone(id), R"({"forecast_date": "2027-09-01"})", 1);
        expectProblem("stale reschedule", 412, stale);
        // Said for people: who, what happened, what to do.
        CPPUNIT_ASSERT_EQUAL(std::string("someone else changed this milestone after you loaded it (it is now at "
                                         "version 2, you sent 1): reload it, then make your change again"),
                             text(stale, "detail"));
        const auto unversioned = s.request("PATCH", milestone(id), R"({"forecast_date": "2027-09-01"})");
        expectProblem("unversioned reschedule", 428, unversioned);
        CPPUNIT_ASSERT_EQUAL(std::string("say which version you are changing: send If-Match with the version you "
                                         "last read (or `version` in the body)"),
                             text(unversioned, "detail"));
        expectProblem("stale body version", 412,
                      s.request("PATCH", milestone(id), R"({"forecast_date": "2027-09-01", "version": 1})"));
        expectProblem("stale delete", 412, s.request("DELETE", milestone(id), "", ifMatch(1)));
        unchanged.check("stale reschedule");
        CPPUNIT_ASSERT_EQUAL(moved.body, s.get(milestone(id)).body);
    }

    void testHistoryRecordsCreateAndEachTrackedChangeWithValues()
    {
        auto& s = *_pServer;
        const auto id = s.create(milestones(_project), R"({"title": "Trial", "baseline_date": "2027-06-01"})");
        Poco::Int64 version = 1;
        for (const std::string body :
             {R"({"forecast_date": "2027-07-01"})", R"({"status": "in_progress", "progress": 40})",
              R"({"title": "Field trial", "weight": 3})", // no tracked field: no history row
              R"({"progress": 60})", R"({"status": "done", "actual_date": "2027-07-03", "progress": 100})"})
            expectStatus("PATCH " + body, 200, s.patch(milestone(id), body, version++));
        // An update that changes nothing neither bumps the version nor writes history.
        const auto same = s.patch(milestone(id), R"({"progress": 100})", version);
        expectStatus("no-op PATCH", 200, same);
        CPPUNIT_ASSERT_EQUAL(std::string("\"") + std::to_string(version) + "\"", same.header("ETag"));

        const auto history = s.get(milestone(id) + "/history");
        expectStatus("GET history", 200, history);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(5), number(history, "total"));
        CPPUNIT_ASSERT_EQUAL(std::string("create,update,update,update,update"), column(history, "action"));
        CPPUNIT_ASSERT_EQUAL(std::string("null,2027-07-01,2027-07-01,2027-07-01,2027-07-01"),
                             column(history, "forecast_date"));
        CPPUNIT_ASSERT_EQUAL(std::string("planned,planned,in_progress,in_progress,done"), column(history, "status"));
        CPPUNIT_ASSERT_EQUAL(std::string("0,0,40,60,100"), column(history, "progress"));
        CPPUNIT_ASSERT_EQUAL(std::string("null,null,null,null,2027-07-03"), column(history, "actual_date"));
        CPPUNIT_ASSERT_EQUAL(std::string("2027-06-01,2027-06-01,2027-06-01,2027-06-01,2027-06-01"),
                             column(history, "baseline_date"));
        const std::string ids = std::to_string(id);
        CPPUNIT_ASSERT_EQUAL(ids + "," + ids + "," + ids + "," + ids + "," + ids, column(history, "milestone_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("2027-03-01T10:00:00Z"),
                             history.json()->getArray("items")->getObject(0)->getValue<std::string>("at"));
        // A milestone of another project has its own history.
        const auto other = s.create(milestones(_other), R"({"title": "Other", "baseline_date": "2027-06-01"})");
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), number(s.get(milestone(other) + "/history"), "total"));
    }

    void testHistoryOfMissingMilestoneIs404()
    {
        auto& s = *_pServer;
        expectProblem("history of 99999", 404, s.get(milestone(99999) + "/history"));
        expectProblem("history of abc", 404, s.get(API + "/milestones/abc/history"));
    }

    void testDeleteOfMilestoneOthersDependOnIs409()
    {
        auto& s = *_pServer;
        const auto a = s.create(milestones(_project), R"({"title": "A", "baseline_date": "2027-04-01"})");
        const auto b =
            s.create(milestones(_project),
                     R"({"title": "B", "baseline_date": "2027-05-01", "depends_on": [)" + std::to_string(a) + "]}");
        Unchanged unchanged(s, {"milestones", "milestone_dependencies", "milestone_history"},
                            {milestone(a), milestone(b)});
        const auto refused = s.request("DELETE", milestone(a), "", ifMatch(1));
        expectProblem("DELETE depended-on A", 409, refused);
        CPPUNIT_ASSERT_EQUAL(std::string("the milestone is still used by other records: remove those first"),
                             text(refused, "detail"));
        const auto missing = s.patch(milestone(b), R"({"depends_on": [987654]})", 1);
        expectInvalid("depends on a missing milestone", "depends_on", missing);
        CPPUNIT_ASSERT_EQUAL(std::string("there is no milestone 987654"),
                             missing.json()->getArray("errors")->getObject(0)->getValue<std::string>("message"));
        unchanged.check("DELETE depended-on A");

        expectStatus("DELETE dependant B", 204, s.request("DELETE", milestone(b), "", ifMatch(1)));
        expectStatus("DELETE now free A", 204, s.request("DELETE", milestone(a), "", ifMatch(1)));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), s.count("milestones"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), s.count("milestone_dependencies"));
        expectProblem("GET deleted", 404, s.get(milestone(a)));
        // History outlives the milestone and ends with the delete.
        const auto history = s.get(milestone(a) + "/history");
        expectStatus("history of deleted", 200, history);
        CPPUNIT_ASSERT_EQUAL(std::string("create,delete"), column(history, "action"));
    }

    void testListIsScopedToProjectAndSortsAndFilters()
    {
        auto& s = *_pServer;
        s.create(milestones(_project), R"({"title": "Late", "baseline_date": "2027-09-01"})");
        s.create(milestones(_project), R"({"title": "Early", "baseline_date": "2027-04-01", "status": "in_progress"})");
        s.create(milestones(_project), R"({"title": "Middle", "baseline_date": "2027-06-01"})");
        s.create(milestones(_other), R"({"title": "Elsewhere", "baseline_date": "2027-01-01"})");
        struct Case
        {
            std::string query;
            std::string titles;
        };
        const std::vector<Case> cases{
            {"", "Early,Middle,Late"}, // default: baseline_date
            {"?sort=-baseline_date", "Late,Middle,Early"},
            {"?sort=title", "Early,Late,Middle"},
            {"?status=planned", "Middle,Late"},
            {"?status=planned,in_progress&limit=2&offset=1", "Middle,Late"},
            {"?q=dd", "Middle"},
        };
        for (const auto& c : cases)
        {
            const auto result = s.get(milestones(_project) + c.query);
            expectStatus("list " + c.query, 200, result);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.query, c.titles, column(result, "title"));
        }
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), number(s.get(milestones(_project)), "total"));
        expectProblem("sort by unknown field", 400, s.get(milestones(_project) + "?sort=colour"));
        expectProblem("unknown status", 400, s.get(milestones(_project) + "?status=late"));
    }

private:
    [[nodiscard]] static std::string milestones(Poco::Int64 project)
    {
        return API + "/projects/" + std::to_string(project) + "/milestones";
    }
    [[nodiscard]] static std::string milestone(Poco::Int64 id) { return API + "/milestones/" + std::to_string(id); }

    std::unique_ptr<HttpTestServer> _pServer;
    Poco::Int64 _project = 0;
    Poco::Int64 _other = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(MilestoneApiTest);
