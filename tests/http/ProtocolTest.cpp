#include "ApiAssertions.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>

using namespace captrack::test::api;
using captrack::test::HttpResult;
using captrack::test::HttpTestServer;

namespace
{
/// A request of the protocol tables: method, path, body, extra headers.
struct Call
{
    std::string method;
    std::string path;
    std::string body;
    std::map<std::string, std::string> headers;
};

std::string describe(const Call& call)
{
    return call.method + " " + call.path + (call.body.size() > 60 ? " <long body>" : " " + call.body);
}
} // namespace

class ProtocolTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ProtocolTest);
    CPPUNIT_TEST(testUnknownRouteIs404Problem);
    CPPUNIT_TEST(testWrongMethodIs405WithAllowHeader);
    CPPUNIT_TEST(testBodyOverOneMiBIs413AndWritesNothing);
    CPPUNIT_TEST(testBodyOfExactlyOneMiBIsRead);
    CPPUNIT_TEST(testUnreadableBodyIs400AndWritesNothing);
    CPPUNIT_TEST(testBadQueryParameterIs400);
    CPPUNIT_TEST(testBadIfMatchIs400AndStarIs428);
    CPPUNIT_TEST(testProbesAnswer200);
    CPPUNIT_TEST(testEveryResponseHasContentLengthAndKeepsTheConnection);
    CPPUNIT_TEST(testEveryRouteAnswersWithoutServerError);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        auto& s = *(_pServer = std::make_unique<HttpTestServer>());
        s.seedReference();
        _project = s.create(API + "/projects", R"({"code": "P-1", "title": "One", "kind": "capability"})");
        _milestone = s.create(API + "/projects/" + std::to_string(_project) + "/milestones",
                              R"({"title": "M", "baseline_date": "2027-04-01"})");
    }
    void tearDown() override { _pServer.reset(); }

    void testUnknownRouteIs404Problem()
    {
        auto& s = *_pServer;
        for (const char* path :
             {"/nothing", "/api/v1", "/api/v1/nothing", "/api/v2/partners", "/api/v1/partners/UKR/nothing",
              "/api/v1/projects/1/milestones/1/x", "/healthz/x", "/api/v1/milestones/1/history/1"})
        {
            expectProblem(std::string("GET ") + path, 404, s.get(path));
            expectProblem(std::string("POST ") + path, 404, s.post(path, "{}"));
        }
    }

    void testWrongMethodIs405WithAllowHeader()
    {
        auto& s = *_pServer;
        const std::string project = API + "/projects/" + std::to_string(_project);
        struct Case
        {
            std::string method;
            std::string path;
            std::string allowed;
        };
        const std::vector<Case> cases{
            {"PUT", API + "/partners", "GET, POST"},
            {"DELETE", API + "/missions", "GET, POST"},
            {"PUT", API + "/partners/UKR", "DELETE, GET, PATCH"},
            {"POST", API + "/objectives/SO1", "DELETE, GET, PATCH"},
            {"POST", "/healthz", "GET"},
            {"DELETE", "/readyz", "GET"},
            {"PATCH", project + "/milestones", "GET, POST"},
            {"POST", API + "/milestones/1", "DELETE, GET, PATCH"},
            {"DELETE", API + "/milestones/1/history", "GET"},
            {"PATCH", project + "/baselines", "GET, POST"},
            {"DELETE", project + "/baselines/1", "GET"},
            {"POST", API + "/partners/UKR/contributions", "GET"},
            {"PUT", project + "/missions/KFOR", "DELETE, GET, PATCH"},
        };
        for (const auto& c : cases)
        {
            Unchanged unchanged(s, {"partners", "missions", "objectives", "milestones", "baselines"});
            const auto result = s.request(c.method, c.path, "{}", ifMatch(1));
            expectProblem(c.method + " " + c.path, 405, result);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.method + " " + c.path, c.allowed, sortedList(result.header("Allow")));
            unchanged.check(c.method + " " + c.path);
        }
    }

    void testBodyOverOneMiBIs413AndWritesNothing()
    {
        auto& s = *_pServer;
        // A valid partner whose name pads the body to one byte over 1 MiB.
        const std::string head = R"({"code": "BIG", "kind": "nation", "framework": "MD", "name": ")";
        const std::string body = head + std::string((1 << 20) + 1 - head.size() - 2, 'x') + "\"}";
        CPPUNIT_ASSERT_EQUAL(std::size_t((1 << 20) + 1), body.size());
        Unchanged unchanged(s, {"partners"}, {API + "/partners/UKR"});

        // A Content-Length over the limit is refused; the server reads the rest of the body before it
        // closes, so a client that sends it all still reads the 413 (no connection reset).
        for (const auto& [method, path] : {std::pair<std::string, std::string>{"POST", API + "/partners"},
                                           std::pair<std::string, std::string>{"PATCH", API + "/partners/UKR"}})
        {
            Poco::Net::HTTPClientSession session("127.0.0.1", s.port());
            Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
            authorize(request);
            request.setContentType("application/json");
            request.set("If-Match", "\"1\"");
            request.setContentLength64(static_cast<Poco::Int64>(body.size()));
            session.sendRequest(request) << body;
            const auto answer = receive(session);
            expectProblem(method + " with Content-Length 1 MiB + 1", 413, answer);
        }

        // Without Content-Length (chunked) the body is read up to the limit and then refused.
        Poco::Net::HTTPClientSession session("127.0.0.1", s.port());
        Poco::Net::HTTPRequest request("POST", API + "/partners", Poco::Net::HTTPMessage::HTTP_1_1);
        authorize(request);
        request.setChunkedTransferEncoding(true);
        request.setContentType("application/json");
        session.sendRequest(request) << body;
        expectProblem("chunked POST of 1 MiB + 1", 413, receive(session));
        unchanged.check("oversized bodies");
        expectStatus("the server still answers", 200, s.get("/healthz"));
    }

    void testBodyOfExactlyOneMiBIsRead()
    {
        auto& s = *_pServer;
        // At the limit the body is read and validated (the name is too long: 422, not 413).
        const std::string head = R"({"code": "BIG", "kind": "nation", "framework": "MD", "name": ")";
        const std::string body = head + std::string((1 << 20) - head.size() - 2, 'x') + "\"}";
        Unchanged unchanged(s, {"partners"});
        expectInvalid("POST exactly 1 MiB", "name", s.post(API + "/partners", body));
        unchanged.check("1 MiB body");
    }

    void testUnreadableBodyIs400AndWritesNothing()
    {
        auto& s = *_pServer;
        const std::string milestone = API + "/milestones/" + std::to_string(_milestone);
        const std::vector<Call> calls{
            {"POST", API + "/partners", R"({"code": )", {}},
            {"POST", API + "/partners", "not json", {}},
            {"POST", API + "/partners", R"({"code": "X",})", {}},
            {"POST", API + "/partners", R"([{"code": "X"}])", {}},
            {"POST", API + "/partners", R"("text")", {}},
            {"POST", API + "/partners", "42", {}},
            {"POST", API + "/partners", "null", {}},
            {"POST", API + "/partners", "", {}},
            {"POST", API + "/projects/" + std::to_string(_project) + "/milestones", "[]", {}},
            {"PATCH", milestone, R"([{"progress": 10}])", ifMatch(1)},
            {"PATCH", milestone, R"({"progress": 10)", ifMatch(1)},
            {"PATCH", milestone, "", ifMatch(1)},
            {"PATCH", milestone, R"({"progress": 10, "version": "1"})", {}},
            {"PATCH", milestone, R"({"progress": 10, "version": 1.5})", {}},
        };
        for (const auto& call : calls)
        {
            Unchanged unchanged(s, {"partners", "milestones", "milestone_history"}, {milestone});
            expectProblem(describe(call), 400, s.request(call.method, call.path, call.body, call.headers));
            unchanged.check(describe(call));
        }
    }

    void testBadQueryParameterIs400()
    {
        auto& s = *_pServer;
        for (const std::string& query : std::vector<std::string>{
                 "?colour=red", "?limit=0", "?limit=501", "?limit=-1", "?limit=abc", "?limit=", "?limit=99999999999999",
                 "?offset=-1", "?offset=x", "?offset=1000000001", "?sort=name", "?sort=colour", "?sort=-",
                 "?sort=", "?framework=OTAN", "?q=" + std::string(201, 'q'), "?id=abc"})
            expectProblem("partners" + query, 400, s.get(API + "/partners" + query));
        expectProblem("projects?sort=budget", 400, s.get(API + "/projects?sort=budget"));
        expectProblem("milestones?sort=version", 400,
                      s.get(API + "/projects/" + std::to_string(_project) + "/milestones?sort=version"));
        // The limits themselves are fine.
        expectStatus("limit=500", 200, s.get(API + "/partners?limit=500&offset=0"));
        expectStatus("limit=1", 200, s.get(API + "/partners?limit=1&offset=1000000000"));
    }

    void testBadIfMatchIs400AndStarIs428()
    {
        auto& s = *_pServer;
        const std::string item = API + "/partners/UKR";
        struct Case
        {
            std::string ifMatch;
            int status;
        };
        const std::vector<Case> cases{
            {"abc", 400},    {"\"abc\"", 400}, {"\"1", 400},
            {"\"-1\"", 400}, {"\"\"", 400},    {"\"99999999999999999999\"", 400},
            {"*", 428},      {"\"2\"", 412},   {"W/\"2\"", 412},
        };
        for (const auto& c : cases)
        {
            Unchanged unchanged(s, {"partners"}, {item});
            expectProblem("PATCH If-Match: " + c.ifMatch, c.status,
                          s.request("PATCH", item, R"({"name": "Changed"})", {{"If-Match", c.ifMatch}}));
            expectProblem("DELETE If-Match: " + c.ifMatch, c.status,
                          s.request("DELETE", item, "", {{"If-Match", c.ifMatch}}));
            unchanged.check("If-Match: " + c.ifMatch);
        }
    }

    void testProbesAnswer200()
    {
        auto& s = *_pServer;
        const auto health = s.get("/healthz");
        expectStatus("healthz", 200, health);
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), text(health, "status"));
        CPPUNIT_ASSERT_EQUAL(std::string("application/json"), health.contentType);
        const auto ready = s.get("/readyz");
        expectStatus("readyz", 200, ready);
        CPPUNIT_ASSERT_EQUAL(std::string("ready"), text(ready, "status"));
    }

    void testEveryResponseHasContentLengthAndKeepsTheConnection()
    {
        auto& s = *_pServer;
        const std::string milestone = API + "/milestones/" + std::to_string(_milestone);
        const auto doomed = s.create(API + "/objectives", R"({"code": "SO8", "name": "Doomed"})");
        const std::vector<std::pair<Call, int>> calls{
            {{"GET", "/healthz", "", {}}, 200},
            {{"GET", API + "/partners?limit=2", "", {}}, 200},
            {{"POST", API + "/capability-areas", R"({"code": "LOG", "name": "Logistics"})", {}}, 201},
            {{"PATCH", milestone, R"({"progress": 10})", ifMatch(1)}, 200},
            {{"DELETE", API + "/objectives/" + std::to_string(doomed), "", ifMatch(1)}, 204},
            {{"GET", API + "/partners?limit=0", "", {}}, 400},
            {{"POST", API + "/partners", "[", {}}, 400},
            {{"GET", API + "/nothing", "", {}}, 404},
            {{"PUT", API + "/partners", "{}", {}}, 405},
            {{"POST", API + "/partners", R"({"code": "UKR", "name": "U", "kind": "nation", "framework": "EAPC"})", {}},
             409},
            {{"PATCH", milestone, R"({"progress": 20})", ifMatch(1)}, 412},
            {{"POST", API + "/partners", "{}", {}}, 422},
            {{"PATCH", milestone, R"({"progress": 20})", {}}, 428},
            {{"GET", "/readyz", "", {}}, 200},
        };
        Poco::Net::HTTPClientSession session("127.0.0.1", s.port());
        session.setKeepAlive(true);
        Poco::UInt16 localPort = 0;
        for (const auto& [call, status] : calls)
        {
            const std::string what = describe(call);
            Poco::Net::HTTPRequest request(call.method, call.path, Poco::Net::HTTPMessage::HTTP_1_1);
            request.setKeepAlive(true);
            authorize(request);
            for (const auto& [name, value] : call.headers)
                request.set(name, value);
            request.setContentType("application/json");
            request.setContentLength64(static_cast<Poco::Int64>(call.body.size()));
            session.sendRequest(request) << call.body;
            if (localPort == 0)
                localPort = session.socket().address().port();
            Poco::Net::HTTPResponse response;
            std::string body;
            Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what + " -> " + body, status, static_cast<int>(response.getStatus()));
            CPPUNIT_ASSERT_MESSAGE(what + ": keep-alive", response.getKeepAlive());
            CPPUNIT_ASSERT_MESSAGE(what + ": Connection: close",
                                   Poco::icompare(response.get("Connection", ""), "close") != 0);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what + ": same connection", localPort, session.socket().address().port());
            if (status == 204)
            {
                // RFC 9110 8.6: no Content-Length is needed on a 204, but a body is never sent.
                CPPUNIT_ASSERT_EQUAL_MESSAGE(what, std::string(), body);
                continue;
            }
            CPPUNIT_ASSERT_MESSAGE(what + ": no Content-Length", response.hasContentLength());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what + ": Content-Length", static_cast<Poco::Int64>(body.size()),
                                         response.getContentLength64());
            CPPUNIT_ASSERT_MESSAGE(what + ": chunked", !response.getChunkedTransferEncoding());
        }
    }

    void testEveryRouteAnswersWithoutServerError()
    {
        // Every route the router knows, its parameters naming existing rows, called without If-Match and
        // with an empty object as body: nothing answers 5xx or 405, and no route of CoreApi.cpp writes.
        auto& s = *_pServer;
        const auto routes = s.server().router().routes();
        const auto core = coreRoutes();
        for (const std::string& expected : core)
            CPPUNIT_ASSERT_MESSAGE("route gone: " + expected,
                                   std::find(routes.begin(), routes.end(), expected) != routes.end());
        for (const auto& route : routes)
        {
            const auto space = route.find(' ');
            const std::string method = route.substr(0, space);
            std::string path = route.substr(space + 1);
            path = Poco::replace(path, std::string("{parent}"), std::to_string(_project));
            path = Poco::replace(path, std::string("{id}"), std::to_string(_milestone));
            Unchanged unchanged(s, {"partners", "projects", "milestones", "baselines", "contributions"});
            const HttpResult result = s.request(method, path, method == "GET" || method == "DELETE" ? "" : "{}");
            CPPUNIT_ASSERT_MESSAGE(route + " -> " + std::to_string(result.status) + " " + result.body,
                                   result.status >= 200 && result.status < 500 && result.status != 405);
            if (std::find(core.begin(), core.end(), route) != core.end())
                unchanged.check(route);
        }
    }

private:
    /// Adds the bearer token the test server signed in with (requests on sessions of our own).
    void authorize(Poco::Net::HTTPRequest& request) const
    {
        if (!_pServer->token().empty())
            request.set("Authorization", "Bearer " + _pServer->token());
    }

    /// Reads the response to the request just sent on `session`.
    [[nodiscard]] static HttpResult receive(Poco::Net::HTTPClientSession& session)
    {
        Poco::Net::HTTPResponse response;
        HttpResult result;
        Poco::StreamCopier::copyToString(session.receiveResponse(response), result.body);
        result.status = static_cast<int>(response.getStatus());
        result.contentType = response.getContentType();
        for (const auto& [name, value] : response)
            result.headers[Poco::toLower(name)] = value;
        return result;
    }

    [[nodiscard]] static std::string sortedList(const std::string& commaSeparated)
    {
        std::vector<std::string> items;
        std::string current;
        for (char c : commaSeparated + ",")
        {
            if (c == ',')
            {
                items.push_back(Poco::trim(current));
                current.clear();
            }
            else
                current += c;
        }
        std::sort(items.begin(), items.end());
        std::string joined;
        for (const auto& item : items)
            joined += (joined.empty() ? "" : ", ") + item;
        return joined;
    }

    /// The routes of src/http/CoreApi.cpp, each exercised by a fixture of this folder.
    [[nodiscard]] static std::vector<std::string> coreRoutes()
    {
        std::vector<std::string> routes{"GET /healthz", "GET /readyz"};
        const auto crud = [&routes](const std::string& collection, const std::string& item) {
            for (const char* method : {"GET ", "POST "})
                routes.push_back(method + collection);
            for (const char* method : {"GET ", "PATCH ", "DELETE "})
                routes.push_back(method + item);
        };
        for (const char* resource : {"/partners", "/missions", "/capability-areas", "/objectives", "/projects"})
            crud(API + resource, API + resource + "/{id}");
        crud(API + "/projects/{parent}/milestones", API + "/milestones/{id}");
        crud(API + "/projects/{parent}/contributions", API + "/contributions/{id}");
        crud(API + "/projects/{parent}/missions", API + "/projects/{parent}/missions/{id}");
        routes.push_back("GET " + API + "/partners/{parent}/contributions");
        routes.push_back("GET " + API + "/projects/{parent}/baselines");
        routes.push_back("POST " + API + "/projects/{parent}/baselines");
        routes.push_back("GET " + API + "/projects/{parent}/baselines/{id}");
        routes.push_back("GET " + API + "/milestones/{id}/history");
        return routes;
    }

    std::unique_ptr<HttpTestServer> _pServer;
    Poco::Int64 _project = 0;
    Poco::Int64 _milestone = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ProtocolTest);
