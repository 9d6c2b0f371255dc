#include "ApiAssertions.h"

#include "captrack/domain/Vocabulary.h"

#include <Poco/JSON/Array.h>

#include <cppunit/extensions/HelperMacros.h>

#include <memory>
#include <string>
#include <vector>

using namespace captrack::test;
using namespace captrack::test::api;

namespace
{
std::vector<std::string> namesIn(const Poco::JSON::Array::Ptr& list)
{
    std::vector<std::string> names;
    for (std::size_t i = 0; i < list->size(); ++i)
        names.push_back(list->getElement<std::string>(static_cast<unsigned>(i)));
    return names;
}
} // namespace

/// GET /api/v1/meta through the real server: what the web page takes from the server instead of
/// copying it (docs/WEB.md "What the page takes from the server").
class MetaApiTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(MetaApiTest);
    CPPUNIT_TEST(testEveryClosedSetWithItsNamesInOrder);
    CPPUNIT_TEST(testEveryNameHasItsLabel);
    CPPUNIT_TEST(testEveryRoleMayReadItAndNobodyElse);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { _pServer = std::make_unique<HttpTestServer>(); }
    void tearDown() override { _pServer.reset(); }

    void testEveryClosedSetWithItsNamesInOrder()
    {
        const auto result = _pServer->get(API + "/meta");
        expectStatus("GET /meta", 200, result);
        CPPUNIT_ASSERT_EQUAL(std::string("application/json"), result.contentType);
        CPPUNIT_ASSERT_EQUAL(std::string("private, max-age=3600"), result.header("Cache-Control"));
        const auto sets = result.json()->getObject("sets");
        for (const auto& set : captrack::domain::everyNamedSet())
        {
            const std::string key(set.key);
            CPPUNIT_ASSERT_MESSAGE("no set " + key, sets->has(key));
            CPPUNIT_ASSERT_MESSAGE(key, set.names == namesIn(sets->getArray(key)));
        }
        CPPUNIT_ASSERT(namesIn(sets->getArray("milestone_status")) ==
                       (std::vector<std::string>{"planned", "in_progress", "done", "cancelled"}));
        CPPUNIT_ASSERT(namesIn(sets->getArray("framework")) ==
                       (std::vector<std::string>{"NATO", "EAPC", "MD", "ICI", "PATG", "IO"}));
        CPPUNIT_ASSERT_EQUAL(std::size_t(8), namesIn(sets->getArray("report_group_by")).size());
        CPPUNIT_ASSERT_EQUAL(captrack::domain::everyNamedSet().size() + 2, sets->size());
    }

    void testEveryNameHasItsLabel()
    {
        const auto body = _pServer->get(API + "/meta").json();
        const auto sets = body->getObject("sets");
        const auto labels = body->getObject("labels");
        for (const auto& key : sets->getNames())
            for (const auto& name : namesIn(sets->getArray(key)))
                CPPUNIT_ASSERT_MESSAGE(key + " " + name + " has no label",
                                       labels->has(name) && !labels->getValue<std::string>(name).empty());
        CPPUNIT_ASSERT_EQUAL(std::string("In progress"), labels->getValue<std::string>("in_progress"));
        CPPUNIT_ASSERT_EQUAL(std::string("Lead nation"), labels->getValue<std::string>("lead_nation"));
        CPPUNIT_ASSERT_EQUAL(std::string("Co-director"), labels->getValue<std::string>("co_director"));
        CPPUNIT_ASSERT_EQUAL(std::string("API token"), labels->getValue<std::string>("api_token"));
        CPPUNIT_ASSERT_EQUAL(std::string("Green"), labels->getValue<std::string>("green"));
        CPPUNIT_ASSERT_EQUAL(std::string("No health"), labels->getValue<std::string>("none"));
        CPPUNIT_ASSERT_EQUAL(std::string("EAPC — Partnership for Peace"), labels->getValue<std::string>("EAPC"));
    }

    void testEveryRoleMayReadItAndNobodyElse()
    {
        auto& s = *_pServer;
        s.seedReference();
        s.addUser("lead1", "lead");
        s.addUser("reviewer1", "reviewer");
        s.addUser("partner1", "partner", s.partnerId("UKR"));
        const std::string asAdmin = s.get(API + "/meta").body;
        for (const char* user : {"lead1", "reviewer1", "partner1"})
        {
            s.signIn(user);
            const auto result = s.get(API + "/meta");
            expectStatus(std::string("GET /meta as ") + user, 200, result);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(user, asAdmin, result.body);
        }
        expectProblem("GET /meta with a query parameter it does not take", 400, s.get(API + "/meta?lang=fr"));
        s.useToken("");
        expectProblem("GET /meta without a token", 401, s.get(API + "/meta"));
        s.useToken("not-a-token");
        expectProblem("GET /meta with a bad token", 401, s.get(API + "/meta"));
    }

private:
    std::unique_ptr<HttpTestServer> _pServer;
};

CPPUNIT_TEST_SUITE_REGISTRATION(MetaApiTest);
