#include "ApiAssertions.h"

#include "captrack/domain/Specs.h"
#include "captrack/http/OpenApi.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

#include <memory>
#include <set>
#include <stdexcept>
#include <string>

using namespace captrack::test;
using namespace captrack::test::api;
using captrack::http::RouteDoc;
using captrack::http::Router;
using Poco::JSON::Object;

namespace
{
Object::Ptr parsedObject(const std::string& text)
{
    return Poco::JSON::Parser().parse(text).extract<Object::Ptr>();
}

std::string upper(std::string text)
{
    for (auto& c : text)
        c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    return text;
}

/// "METHOD pattern" of every operation of a document.
std::set<std::string> documentedRoutes(const Object::Ptr& document)
{
    std::set<std::string> routes;
    const auto paths = document->getObject("paths");
    for (const auto& [pattern, item] : *paths)
        for (const auto& [method, operation] : *item.extract<Object::Ptr>())
            routes.insert(upper(method) + " " + pattern);
    return routes;
}

/// The pattern with each `{name}` replaced by a sample segment: a path the route must serve.
std::string samplePath(const std::string& pattern)
{
    std::string path;
    for (const auto& segment : captrack::http::pathSegments(pattern))
        path += "/" + (segment.front() == '{' ? std::string("7x.ics") : segment);
    return path.empty() ? "/" : path;
}

RouteDoc minimalDoc()
{
    RouteDoc doc;
    doc.summary = "a route";
    doc.responses = {{200, "fine", {{"application/json", R"({"type":"object"})"}}, {}}};
    return doc;
}

/// Whether openApiDocument refuses a router with this one route, naming it.
bool refusedNamingTheRoute(const RouteDoc& doc, const std::string& pattern = "/api/v1/things/{id}")
{
    Router router;
    router.add(
        "GET", pattern, [](captrack::http::ApiRequest&) { return captrack::http::ApiResponse(); }, {}, doc);
    try
    {
        (void)captrack::http::openApiDocument(router);
    }
    catch (const std::logic_error& e)
    {
        return std::string(e.what()).find("GET " + pattern) != std::string::npos;
    }
    return false;
}
} // namespace

/// The OpenAPI document (GET /api/v1/openapi.json) through the real server: built from the route table,
/// so that every route is in it and nothing else is. tests/openapi/validate.mjs checks it with a real
/// validator and checks every answer of this suite against it.
class OpenApiTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(OpenApiTest);
    CPPUNIT_TEST(testServedToAnyoneAsGenerated);
    CPPUNIT_TEST(testEveryRouteIsDocumentedAndNothingElse);
    CPPUNIT_TEST(testEachDocumentedPathIsServedByItsOwnRoute);
    CPPUNIT_TEST(testOnlyPublicRoutesNeedNoCredential);
    CPPUNIT_TEST(testResourceSchemasFollowTheirSpecs);
    CPPUNIT_TEST(testBrokenRouteDocsAreRefusedNamingTheRoute);
    CPPUNIT_TEST(testQueryParametersAreRefusedLikeEverywhere);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _pServer = std::make_unique<HttpTestServer>();
        _pServer->useToken("");
        const auto result = _pServer->get(API + "/openapi.json");
        expectStatus("GET /openapi.json", 200, result);
        _text = result.body;
        _pDocument = parsedObject(_text);
    }
    void tearDown() override { _pServer.reset(); }

    void testServedToAnyoneAsGenerated()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("application/json"), _pServer->get(API + "/openapi.json").contentType);
        CPPUNIT_ASSERT_EQUAL(captrack::http::openApiDocument(_pServer->server().router()), _text);
        CPPUNIT_ASSERT_EQUAL(std::string("3.1.0"), _pDocument->getValue<std::string>("openapi"));
        const auto schemes = _pDocument->getObject("components")->getObject("securitySchemes");
        CPPUNIT_ASSERT(schemes->has("session") && schemes->has("apiToken"));
        CPPUNIT_ASSERT_EQUAL(std::string("JWT"), schemes->getObject("session")->getValue<std::string>("bearerFormat"));
        // Signed in, the same bytes.
        _pServer->signIn("admin");
        CPPUNIT_ASSERT_EQUAL(_text, _pServer->get(API + "/openapi.json").body);
    }

    void testEveryRouteIsDocumentedAndNothingElse()
    {
        std::set<std::string> routed;
        for (const auto& route : _pServer->server().router().table())
            routed.insert(route.name());
        const auto documented = documentedRoutes(_pDocument);
        for (const auto& route : routed)
            CPPUNIT_ASSERT_MESSAGE("routed, not documented: " + route, documented.count(route));
        for (const auto& route : documented)
            CPPUNIT_ASSERT_MESSAGE("documented, not routed: " + route, routed.count(route));
        CPPUNIT_ASSERT(routed.count("GET /api/v1/openapi.json"));
        CPPUNIT_ASSERT(routed.size() > 90);
    }

    void testEachDocumentedPathIsServedByItsOwnRoute()
    {
        // A literal route can shadow a pattern (`/me/tokens` and `/me/{x}`): a documented operation that
        // another route would serve would be a lie.
        const auto& router = _pServer->server().router();
        for (const auto& route : documentedRoutes(_pDocument))
        {
            const auto space = route.find(' ');
            const std::string method = route.substr(0, space), pattern = route.substr(space + 1);
            const auto served = router.match(method, samplePath(pattern));
            CPPUNIT_ASSERT_MESSAGE(route + ": " + samplePath(pattern) + " is served by no route", served.has_value());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(route, pattern, served->pattern);
        }
    }

    void testOnlyPublicRoutesNeedNoCredential()
    {
        const auto paths = _pDocument->getObject("paths");
        for (const auto& route : _pServer->server().router().table())
        {
            std::string method = route.method;
            for (auto& c : method)
                c = static_cast<char>(c - 'A' + 'a');
            const auto operation = paths->getObject(route.pattern)->getObject(method);
            const bool open = operation->has("security") && operation->getArray("security")->size() == 0;
            const bool isPublic = route.options.access == captrack::http::Access::Public;
            if (route.pattern == "/metrics")
            {
                // The metrics token, or an allowed address (`{}`): never a user's credentials.
                const auto security = operation->getArray("security");
                CPPUNIT_ASSERT_EQUAL(std::size_t(2), security->size());
                CPPUNIT_ASSERT(security->getObject(0)->has("metricsToken"));
                continue;
            }
            CPPUNIT_ASSERT_EQUAL_MESSAGE(route.name(), isPublic, open);
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _pDocument->getArray("security")->size());
    }

    void testResourceSchemasFollowTheirSpecs()
    {
        const auto schemas = _pDocument->getObject("components")->getObject("schemas");
        const auto& spec = captrack::domain::milestoneSpec();
        const auto record = schemas->getObject("Milestone");
        CPPUNIT_ASSERT_EQUAL(spec.fields.size(), record->getObject("properties")->size());
        CPPUNIT_ASSERT_EQUAL(spec.fields.size(), record->getArray("required")->size());
        const auto status = record->getObject("properties")->getObject("status");
        const auto choices = spec.field("status")->choices;
        CPPUNIT_ASSERT_EQUAL(choices.size(), status->getArray("enum")->size());
        for (std::size_t i = 0; i < choices.size(); ++i)
            CPPUNIT_ASSERT_EQUAL(choices[i],
                                 status->getArray("enum")->getElement<std::string>(static_cast<unsigned>(i)));
        // A create names exactly the required fields that have no default; an update none.
        std::set<std::string> required;
        for (const auto& field : spec.fields)
            if (field.required && field.defaultValue.isEmpty() &&
                field.access != captrack::domain::FieldAccess::Managed)
                required.insert(field.name);
        const auto create = schemas->getObject("MilestoneCreate");
        std::set<std::string> listed;
        for (const auto& name : *create->getArray("required"))
            listed.insert(name.convert<std::string>());
        CPPUNIT_ASSERT(required == listed);
        CPPUNIT_ASSERT(!create->getObject("properties")->has("id"));
        CPPUNIT_ASSERT(!schemas->getObject("MilestoneUpdate")->has("required"));
        CPPUNIT_ASSERT(schemas->getObject("MilestoneUpdate")->getObject("properties")->has("version"));
        // A partner may be shown another partner's contribution with its amounts null.
        const auto amount = schemas->getObject("Contribution")->getObject("properties")->getObject("amount_eur");
        CPPUNIT_ASSERT_EQUAL(std::string("null"), amount->getArray("type")->getElement<std::string>(1));
        // A user is created with a password, which no answer carries.
        CPPUNIT_ASSERT(schemas->getObject("UserCreate")->getObject("properties")->has("password"));
        CPPUNIT_ASSERT(!schemas->getObject("User")->getObject("properties")->has("password"));
    }

    void testBrokenRouteDocsAreRefusedNamingTheRoute()
    {
        CPPUNIT_ASSERT_NO_THROW(captrack::http::openApiDocument([] {
            Router router;
            router.add(
                "GET", "/api/v1/things/{id}", [](captrack::http::ApiRequest&) { return captrack::http::ApiResponse(); },
                {}, minimalDoc());
            return router;
        }()));
        CPPUNIT_ASSERT(refusedNamingTheRoute(RouteDoc{}));
        RouteDoc badSchema = minimalDoc();
        badSchema.responses.front().content.front().schema = "{\"type\":";
        CPPUNIT_ASSERT(refusedNamingTheRoute(badSchema));
        RouteDoc strayParameter = minimalDoc();
        strayParameter.parameters = {captrack::http::idParameter("other", "not in the pattern")};
        CPPUNIT_ASSERT(refusedNamingTheRoute(strayParameter));
        RouteDoc unknownHeader = minimalDoc();
        unknownHeader.responses.front().headers = {"X-Made-Up"};
        CPPUNIT_ASSERT(refusedNamingTheRoute(unknownHeader));
        RouteDoc twoTexts = minimalDoc();
        twoTexts.schemas = {{"Problem", R"({"type":"string"})"}};
        CPPUNIT_ASSERT(refusedNamingTheRoute(twoTexts));
    }

    void testQueryParametersAreRefusedLikeEverywhere()
    {
        expectProblem("a query parameter", 400, _pServer->get(API + "/openapi.json?format=yaml"));
    }

private:
    std::unique_ptr<HttpTestServer> _pServer;
    std::string _text;
    Object::Ptr _pDocument;
};

CPPUNIT_TEST_SUITE_REGISTRATION(OpenApiTest);
