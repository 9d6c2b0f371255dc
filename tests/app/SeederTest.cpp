#include "captrack/app/Seeder.h"
#include "TestDatabase.h"
#include "captrack/domain/Clock.h"

#include <Poco/Data/Session.h>
#include <Poco/DateTimeParser.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

#include <fstream>
#include <memory>

using namespace captrack;
using namespace Poco::Data::Keywords;

namespace
{
/// How many items the array `key` of a seed file holds, summed over `projects` when `key` is nested.
std::size_t itemsIn(const std::string& file, const std::string& key)
{
    std::ifstream in(test::TestDatabase::sqlRoot() + "/seed/" + file);
    Poco::JSON::Parser parser;
    return parser.parse(in).extract<Poco::JSON::Object::Ptr>()->getArray(key)->size();
}
} // namespace

/// The shipped reference and demo data load through the same validation as the API (every text rule
/// and code alphabet included), and a second run adds nothing.
class SeederTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SeederTest);
    CPPUNIT_TEST(testReferenceAndDemoDataLoadWhole);
    CPPUNIT_TEST_SUITE_END();

public:
    void testReferenceAndDemoDataLoadWhole()
    {
        test::TestDatabase db(true);
        int tz = 0;
        const domain::FixedClock clock(
            Poco::DateTimeParser::parse("%Y-%m-%dT%H:%M:%SZ", "2026-11-26T09:00:00Z", tz).timestamp());
        app::Seeder seeder(db.database(), clock, test::TestDatabase::sqlRoot() + "/seed");
        const auto reference = seeder.loadReference();
        const auto demo = seeder.loadDemo();
        CPPUNIT_ASSERT_EQUAL(0, reference.skipped + demo.skipped);
        auto pLease = db.database().lease();
        Poco::Int64 areas = 0, projects = 0, scienceAndTechnology = 0;
        pLease->session() << "SELECT COUNT(*) FROM capability_areas", into(areas), now;
        pLease->session() << "SELECT COUNT(*) FROM projects", into(projects), now;
        pLease->session() << "SELECT COUNT(*) FROM capability_areas WHERE code = 'S&T'", into(scienceAndTechnology),
            now;
        CPPUNIT_ASSERT_EQUAL(static_cast<Poco::Int64>(itemsIn("reference.json", "capability_areas")), areas);
        CPPUNIT_ASSERT_EQUAL(static_cast<Poco::Int64>(itemsIn("demo.json", "projects")), projects);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), scienceAndTechnology);
        const auto again = seeder.loadReference();
        CPPUNIT_ASSERT_EQUAL(0, again.created);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SeederTest);
