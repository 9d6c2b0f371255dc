#include "captrack/service/ResourceService.h"
#include "Instants.h"
#include "TestDatabase.h"
#include "captrack/Errors.h"
#include "captrack/domain/Clock.h"
#include "captrack/service/Catalogue.h"

#include <Poco/DateTimeParser.h>
#include <Poco/Dynamic/Var.h>

#include <cppunit/extensions/HelperMacros.h>

#include <memory>

using namespace captrack;
using captrack::testing::at;
using domain::Record;
using Poco::Dynamic::Var;
using namespace Poco::Data::Keywords;

namespace
{
std::vector<Var> list(std::initializer_list<Var> items)
{
    return std::vector<Var>(items);
}
} // namespace

class ResourceServiceTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ResourceServiceTest);
    CPPUNIT_TEST(testCreateStoresEveryFieldAndAudits);
    CPPUNIT_TEST(testCreateRejectsEachBadFieldAndStoresNothing);
    CPPUNIT_TEST(testDuplicateCodeIsConflict);
    CPPUNIT_TEST(testUpdateNeedsCurrentVersion);
    CPPUNIT_TEST(testUpdateWithoutChangeKeepsVersion);
    CPPUNIT_TEST(testMilestoneDoneNeedsActualDate);
    CPPUNIT_TEST(testMilestoneDependenciesStayInProjectWithoutCycles);
    CPPUNIT_TEST(testMilestoneChangesAppendHistory);
    CPPUNIT_TEST(testDeleteOfReferencedRecordIsConflict);
    CPPUNIT_TEST(testMissionLinkIsUniquePerProject);
    CPPUNIT_TEST(testWriteWithoutItsUserIsRefusedAndStoresNothing);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _pDb = std::make_unique<test::TestDatabase>();
        _pClock = std::make_unique<domain::FixedClock>(at("2027-03-01T10:00:00Z"));
        _pService = std::make_unique<service::ResourceService>(_pDb->database(), *_pClock);
        const auto& c = service::Catalogue::instance();
        _service().create(_actor, c.capabilityAreas, {{"code", "CYB"}, {"name", "Cyber defence"}});
        _service().create(_actor, c.objectives, {{"code", "SO1"}, {"name", "Security"}});
        _service().create(_actor, c.objectives, {{"code", "SO6"}, {"name", "Operations"}});
        _service().create(_actor, c.missions, {{"code", "KFOR"}, {"name", "Kosovo Force"}, {"kind", "operation"}});
    }

    void tearDown() override
    {
        _pService.reset();
        _pDb.reset();
    }

    void testCreateStoresEveryFieldAndAudits()
    {
        const Record project = createProject("SPS-2027-014");
        CPPUNIT_ASSERT_EQUAL(std::string("SPS-2027-014"), *domain::textField(project, "code"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), *domain::intField(project, "version"));
        CPPUNIT_ASSERT_EQUAL(std::string("participants"), *domain::textField(project, "visibility"));
        CPPUNIT_ASSERT_EQUAL(std::string("pipeline"), *domain::textField(project, "status"));
        CPPUNIT_ASSERT_EQUAL(std::string("2027-03-01T10:00:00Z"), *domain::textField(project, "created_at"));
        const auto objectives = domain::codeListField(project, "objectives");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), objectives.size());
        CPPUNIT_ASSERT_EQUAL(std::string("SO1"), objectives[0]);
        const Record again = _service().get(_actor, catalogue().projects, domain::recordId(project));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(250000), *domain::intField(again, "budget_eur"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), countRows("audit_events WHERE entity = 'project' AND action = 'create'"));
    }

    void testCreateRejectsEachBadFieldAndStoresNothing()
    {
        Record input{{"code", "X-1"},
                     {"title", ""},
                     {"kind", "secret"},
                     {"budget_eur", -5},
                     {"start_date", "2027-02-30"},
                     {"objectives", list({"SO9"})},
                     {"capability_area", "ZZZ"},
                     {"colour", "blue"}};
        try
        {
            _service().create(_actor, catalogue().projects, input);
            CPPUNIT_FAIL("expected ValidationError");
        }
        catch (const ValidationError& e)
        {
            std::set<std::string> fields;
            for (const auto& error : e.errors())
                fields.insert(error.field);
            for (const char* f : {"title", "kind", "budget_eur", "start_date", "colour"})
                CPPUNIT_ASSERT_MESSAGE(f, fields.count(f));
        }
        // References are checked once the fields themselves are right.
        Record refs{{"code", "X-1"},
                    {"title", "T"},
                    {"kind", "capability"},
                    {"objectives", list({"SO9"})},
                    {"capability_area", "ZZZ"}};
        try
        {
            _service().create(_actor, catalogue().projects, refs);
            CPPUNIT_FAIL("expected ValidationError");
        }
        catch (const ValidationError& e)
        {
            CPPUNIT_ASSERT_EQUAL(std::size_t(2), e.errors().size());
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), countRows("projects"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), countRows("audit_events WHERE entity = 'project'"));
    }

    void testDuplicateCodeIsConflict()
    {
        createProject("SPS-1");
        CPPUNIT_ASSERT_THROW(createProject("SPS-1"), ConflictError);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), countRows("projects"));
    }

    void testUpdateNeedsCurrentVersion()
    {
        const Record project = createProject("SPS-2");
        const auto id = domain::recordId(project);
        CPPUNIT_ASSERT_THROW(_service().update(_actor, catalogue().projects, id, {{"title", "New"}}, std::nullopt),
                             PreconditionRequiredError);
        CPPUNIT_ASSERT_THROW(_service().update(_actor, catalogue().projects, id, {{"title", "New"}}, Poco::Int64(7)),
                             PreconditionFailedError);
        const Record updated = _service().update(_actor, catalogue().projects, id, {{"title", "New"}}, Poco::Int64(1));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), *domain::intField(updated, "version"));
        CPPUNIT_ASSERT_THROW(_service().update(_actor, catalogue().projects, id, {{"title", "Lost"}}, Poco::Int64(1)),
                             PreconditionFailedError);
        const Record stored = _service().get(_actor, catalogue().projects, id);
        CPPUNIT_ASSERT_EQUAL(std::string("New"), *domain::textField(stored, "title"));
        // `version` in the body stands in for If-Match.
        _service().update(_actor, catalogue().projects, id, {{"title", "Body"}, {"version", 2}}, std::nullopt);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3),
                             *domain::intField(_service().get(_actor, catalogue().projects, id), "version"));
    }

    void testUpdateWithoutChangeKeepsVersion()
    {
        const Record project = createProject("SPS-3");
        const Record same = _service().update(_actor, catalogue().projects, domain::recordId(project),
                                              {{"title", "Field trial"}}, Poco::Int64(1));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), *domain::intField(same, "version"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), countRows("audit_events WHERE action = 'update'"));
    }

    void testMilestoneDoneNeedsActualDate()
    {
        const auto projectId = domain::recordId(createProject("SPS-4"));
        CPPUNIT_ASSERT_THROW(createMilestone(projectId, {{"status", "done"}}), ValidationError);
        CPPUNIT_ASSERT_THROW(createMilestone(projectId, {{"actual_date", "2027-01-01"}}), ValidationError);
        const Record done = createMilestone(projectId, {{"status", "done"}, {"actual_date", "2027-01-01"}});
        CPPUNIT_ASSERT_EQUAL(std::string("done"), *domain::textField(done, "status"));
        // Reopening must clear the actual date in the same write.
        CPPUNIT_ASSERT_THROW(_service().update(_actor, catalogue().milestones, domain::recordId(done),
                                               {{"status", "in_progress"}}, Poco::Int64(1)),
                             ValidationError);
        _service().update(_actor, catalogue().milestones, domain::recordId(done),
                          {{"status", "in_progress"}, {"actual_date", Var()}}, Poco::Int64(1));
    }

    void testMilestoneDependenciesStayInProjectWithoutCycles()
    {
        const auto p1 = domain::recordId(createProject("SPS-5"));
        const auto p2 = domain::recordId(createProject("SPS-6"));
        const auto a = domain::recordId(createMilestone(p1, {}));
        const auto b = domain::recordId(createMilestone(p1, {{"depends_on", list({a})}}));
        const auto other = domain::recordId(createMilestone(p2, {}));
        CPPUNIT_ASSERT_THROW(createMilestone(p1, {{"depends_on", list({other})}}), ValidationError);
        CPPUNIT_ASSERT_THROW(createMilestone(p1, {{"depends_on", list({Var(Poco::Int64(999))})}}), ValidationError);
        CPPUNIT_ASSERT_THROW(
            _service().update(_actor, catalogue().milestones, a, {{"depends_on", list({b})}}, Poco::Int64(1)),
            ValidationError);
        CPPUNIT_ASSERT_THROW(
            _service().update(_actor, catalogue().milestones, a, {{"depends_on", list({a})}}, Poco::Int64(1)),
            ValidationError);
        const auto c = domain::recordId(createMilestone(p1, {{"depends_on", list({a, b})}}));
        const auto deps = domain::idListField(_service().get(_actor, catalogue().milestones, c), "depends_on");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), deps.size());
    }

    void testMilestoneChangesAppendHistory()
    {
        const auto p = domain::recordId(createProject("SPS-7"));
        const auto m = domain::recordId(createMilestone(p, {}));
        _service().update(_actor, catalogue().milestones, m, {{"forecast_date", "2027-06-01"}}, Poco::Int64(1));
        _service().update(_actor, catalogue().milestones, m, {{"title", "Renamed"}}, Poco::Int64(2));
        _service().update(_actor, catalogue().milestones, m, {{"progress", 40}}, Poco::Int64(3));
        // create + forecast + progress; the title change is not a history event.
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), countRows("milestone_history WHERE milestone_id = " + std::to_string(m)));
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), countRows("audit_events WHERE entity = 'milestone'"));
    }

    void testDeleteOfReferencedRecordIsConflict()
    {
        const auto p = domain::recordId(createProject("SPS-8"));
        const auto a = domain::recordId(createMilestone(p, {}));
        const auto b = domain::recordId(createMilestone(p, {{"depends_on", list({a})}}));
        CPPUNIT_ASSERT_THROW(_service().remove(_actor, catalogue().milestones, a, Poco::Int64(1)), ConflictError);
        CPPUNIT_ASSERT_THROW(_service().remove(_actor, catalogue().projects, p, Poco::Int64(1)), ConflictError);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), countRows("milestones"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), countRows("milestone_dependencies"));
        _service().remove(_actor, catalogue().milestones, b, Poco::Int64(1));
        _service().remove(_actor, catalogue().milestones, a, Poco::Int64(1));
        _service().remove(_actor, catalogue().projects, p, Poco::Int64(1));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), countRows("projects"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), countRows("project_objectives"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), countRows("audit_events WHERE action = 'delete'"));
    }

    void testMissionLinkIsUniquePerProject()
    {
        const auto p1 = domain::recordId(createProject("SPS-9"));
        const auto p2 = domain::recordId(createProject("SPS-10"));
        const auto kfor = *_service().findId(_actor, catalogue().missions, {"code = ?", {Var("KFOR")}});
        const Record link{{"mission_id", kfor}, {"relation", "direct_support"}};
        _service().create(_actor, catalogue().missionLinks, link, p1);
        _service().create(_actor, catalogue().missionLinks, link, p2);
        CPPUNIT_ASSERT_THROW(_service().create(_actor, catalogue().missionLinks, link, p1), ConflictError);
        CPPUNIT_ASSERT_THROW(_service().create(_actor, catalogue().missionLinks, link, Poco::Int64(9999)),
                             NotFoundError);
    }

private:
    service::ResourceService& _service() { return *_pService; }
    static const service::Catalogue& catalogue() { return service::Catalogue::instance(); }

    Record createProject(const std::string& code)
    {
        return _service().create(_actor, catalogue().projects,
                                 {{"code", code},
                                  {"title", "Field trial"},
                                  {"kind", "scientific"},
                                  {"capability_area", "CYB"},
                                  {"objectives", list({"SO6", "SO1"})},
                                  {"budget_eur", 250000},
                                  {"start_date", "2027-01-01"},
                                  {"end_date", "2028-12-31"}});
    }

    /// Deny by default below the HTTP layer too: a principal that names no user (and is not the
    /// server's own) cannot write, so no audit row is ever left without its user.
    void testWriteWithoutItsUserIsRefusedAndStoresNothing()
    {
        const domain::Principal nobody{0, "nobody", domain::Role::Admin, std::nullopt, domain::Credential::Session};
        const std::size_t partners = countRows("partners"), audited = countRows("audit_events");
        CPPUNIT_ASSERT_THROW(
            _service().create(nobody, catalogue().partners,
                              {{"code", "NOB"}, {"name", "Nobody"}, {"kind", "nation"}, {"framework", "MD"}}),
            Poco::IllegalStateException);
        CPPUNIT_ASSERT_EQUAL(partners, countRows("partners"));
        CPPUNIT_ASSERT_EQUAL(audited, countRows("audit_events"));
    }

    Record createMilestone(Poco::Int64 projectId, Record extra)
    {
        Record input{{"title", "Milestone"}, {"baseline_date", "2027-05-01"}};
        for (auto& [k, v] : extra)
            input[k] = v;
        return _service().create(_actor, catalogue().milestones, input, projectId);
    }

    std::size_t countRows(const std::string& from)
    {
        auto pLease = _pDb->database().lease();
        Poco::Int64 count = 0;
        pLease->session() << "SELECT COUNT(*) FROM " + from, into(count), now;
        return static_cast<std::size_t>(count);
    }

    std::unique_ptr<test::TestDatabase> _pDb;
    std::unique_ptr<domain::FixedClock> _pClock;
    std::unique_ptr<service::ResourceService> _pService;
    domain::Principal _actor = domain::Principal::system();
};

CPPUNIT_TEST_SUITE_REGISTRATION(ResourceServiceTest);
