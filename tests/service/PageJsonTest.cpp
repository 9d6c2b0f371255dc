#include "Instants.h"
#include "TestDatabase.h"
#include "captrack/app/Seeder.h"
#include "captrack/domain/Clock.h"
#include "captrack/service/Catalogue.h"
#include "captrack/service/RecordJson.h"
#include "captrack/service/ResourceService.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace captrack;
using domain::Principal;
using domain::Role;
using Poco::Dynamic::Var;

/// ResourceService::listJson writes a page straight from the rows (PageJsonWriter): it must give, byte
/// for byte, what the Record path gives (pageJsonText of list()) for every resource, principal and page,
/// on the demo data plus records whose texts need escaping and whose lists are unordered, on both
/// databases.
class PageJsonTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(PageJsonTest);
    CPPUNIT_TEST(testEveryResourcePageIsWrittenAsTheRecordPathWritesIt);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _pDb = std::make_unique<test::TestDatabase>();
        _pClock = std::make_unique<domain::FixedClock>(testing::at("2027-03-01T10:00:00Z"));
        _pService = std::make_unique<service::ResourceService>(_pDb->database(), *_pClock);
        app::Seeder seeder(_pDb->database(), *_pClock, test::TestDatabase::sqlRoot() + "/seed");
        seeder.loadReference();
        seeder.loadDemo();
    }
    void tearDown() override
    {
        _pService.reset();
        _pDb.reset();
    }

    void testEveryResourcePageIsWrittenAsTheRecordPathWritesIt()
    {
        addHardRecords();
        const auto& c = service::Catalogue::instance();
        const auto partner = firstId("partners");
        const std::vector<Principal> principals{
            Principal::system(),
            Principal{1, "lead", Role::Lead, std::nullopt, domain::Credential::Session},
            Principal{2, "reviewer", Role::Reviewer, std::nullopt, domain::Credential::Session},
            Principal{3, "partner", Role::Partner, partner, domain::Credential::Session},
        };
        struct Shape
        {
            std::size_t limit, offset;
            bool sortByIdDescending;
        };
        const std::vector<Shape> shapes{{50, 0, false}, {3, 2, false}, {7, 0, true}, {5, 100000, false}, {1, 0, false}};
        std::size_t compared = 0;
        for (const auto* resource : {&c.partners, &c.missions, &c.capabilityAreas, &c.objectives, &c.projects,
                                     &c.milestones, &c.contributions, &c.missionLinks, &c.users})
            for (const auto& principal : principals)
                for (const auto& shape : shapes)
                {
                    storage::ListQuery query;
                    query.limit = shape.limit;
                    query.offset = shape.offset;
                    if (shape.sortByIdDescending)
                        query.sort.push_back({"id", true});
                    const std::string what = resource->spec.entity + " as " + principal.username + " limit " +
                                             std::to_string(shape.limit) + " offset " + std::to_string(shape.offset);
                    CPPUNIT_ASSERT_EQUAL_MESSAGE(what, throughRecords(principal, *resource, query),
                                                 straight(principal, *resource, query));
                    ++compared;
                }
        CPPUNIT_ASSERT_EQUAL(std::size_t(9 * 4 * 5), compared);
    }

private:
    /// Records whose texts need escaping (the control characters that the text rules refuse are
    /// RecordJsonTest's) and whose list fields were given out of order.
    void addHardRecords()
    {
        const auto& c = service::Catalogue::instance();
        const auto system = Principal::system();
        std::vector<Var> objectives;
        for (const auto& code : {std::string("SO3"), std::string("SO1")})
            objectives.emplace_back(code);
        const domain::Record project{{"code", Var(std::string("HARD-1"))},
                                     {"title", Var(std::string("Quote \" backslash \\ slash / é € 😀 <b>&amp;"))},
                                     {"kind", Var(std::string("scientific"))},
                                     {"objectives", Var(objectives)}};
        const auto stored = _pService->create(system, c.projects, project);
        const auto projectId = domain::recordId(stored);
        const auto first = _pService->create(
            system, c.milestones,
            {{"title", Var(std::string("first \"quoted\""))}, {"baseline_date", Var(std::string("2027-05-01"))}},
            projectId);
        const auto second = _pService->create(
            system, c.milestones,
            {{"title", Var(std::string("second"))}, {"baseline_date", Var(std::string("2027-06-01"))}}, projectId);
        std::vector<Var> dependsOn{Var(domain::recordId(second)), Var(domain::recordId(first))};
        _pService->create(system, c.milestones,
                          {{"title", Var(std::string("third \\ back"))},
                           {"baseline_date", Var(std::string("2027-07-01"))},
                           {"depends_on", Var(dependsOn)}},
                          projectId);
    }

    std::string throughRecords(const Principal& principal, const service::Resource& resource,
                               const storage::ListQuery& query) const
    {
        try
        {
            const auto page = _pService->list(principal, resource, query);
            return service::pageJsonText(resource.spec, page.items, page.total, query.limit, query.offset);
        }
        catch (const std::exception& e)
        {
            return std::string("refused: ") + e.what();
        }
    }

    std::string straight(const Principal& principal, const service::Resource& resource,
                         const storage::ListQuery& query) const
    {
        try
        {
            return _pService->listJson(principal, resource, query);
        }
        catch (const std::exception& e)
        {
            return std::string("refused: ") + e.what();
        }
    }

    Poco::Int64 firstId(const std::string& table) const
    {
        Poco::Int64 id = 0;
        auto pLease = _pDb->database().lease();
        pLease->session() << "SELECT MIN(id) FROM " + table, Poco::Data::Keywords::into(id), Poco::Data::Keywords::now;
        return id;
    }

    std::unique_ptr<test::TestDatabase> _pDb;
    std::unique_ptr<domain::FixedClock> _pClock;
    std::unique_ptr<service::ResourceService> _pService;
};

CPPUNIT_TEST_SUITE_REGISTRATION(PageJsonTest);
