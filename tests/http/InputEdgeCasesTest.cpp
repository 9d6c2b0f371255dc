#include "ApiAssertions.h"

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <cppunit/extensions/HelperMacros.h>
#include <cppunit/extensions/TestFactoryRegistry.h>

#include <algorithm>
#include <cstdlib>

using namespace captrack::test::api;
using captrack::test::HttpTestServer;

/// Edge cases of input found while writing the HTTP fixtures (each was a server bug once): filters
/// that bound values wrongly, ids that do not exist, bodies over the limit or without a length,
/// numbers and text that Poco's JSON parser or SQLite would silently change, baseline names, query
/// parameters on routes that take none, a boolean version, and case-insensitive search beyond ASCII.
class InputEdgeCasesTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(InputEdgeCasesTest);
    CPPUNIT_TEST(testProjectsFilteredByFrameworkAnswer200);
    CPPUNIT_TEST(testProjectsFilteredByObjectiveAnswer200);
    CPPUNIT_TEST(testContributionsOfUnknownPartnerIdAre404);
    CPPUNIT_TEST(testFullySentOversizedBodyStillGets413);
    CPPUNIT_TEST(testRequestWithoutContentLengthIsAnsweredAtOnce);
    CPPUNIT_TEST(testWholeNumberBeyondInt64Is400);
    CPPUNIT_TEST(testTextWithNulCharacterIs400);
    CPPUNIT_TEST(testBaselineNameLimitCountsCharacters);
    CPPUNIT_TEST(testNumericBaselineNameIsFoundByName);
    CPPUNIT_TEST(testScheduleListsRejectUnknownQueryParameters);
    CPPUNIT_TEST(testBooleanVersionIsBadRequest);
    CPPUNIT_TEST(testIfMatchAndBodyVersionMustAgree);
    CPPUNIT_TEST(testDeleteTakesTheVersionFromItsBodyAndNothingElse);
    CPPUNIT_TEST(testSearchIgnoresCaseBeyondAscii);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        auto& s = *(_pServer = std::make_unique<HttpTestServer>());
        s.seedReference();
        _project = s.create(API + "/projects", R"({"code": "P-1", "title": "One", "kind": "capability",
            "objectives": ["SO1"]})");
        _other = s.create(API + "/projects", R"({"code": "P-2", "title": "Two", "kind": "capability",
            "objectives": ["SO6"]})");
        for (const auto& [project, partner] :
             {std::pair<Poco::Int64, std::string>{_project, "UKR"}, std::pair<Poco::Int64, std::string>{_other, "JOR"}})
            s.create(API + "/projects/" + std::to_string(project) + "/contributions",
                     R"({"partner_id": )" + std::to_string(number(s.get(API + "/partners/" + partner), "id")) +
                         R"(, "role": "contributor", "kind": "funding"})");
    }
    void tearDown() override { _pServer.reset(); }

    /// src/service/ListFilters.cpp builds the values with `{values.begin(), values.end()}`, which
    /// list-initialises two Vars holding iterators: binding them throws, and the client gets a 500.
    void testProjectsFilteredByFrameworkAnswer200()
    {
        const auto result = _pServer->get(API + "/projects?framework=MD");
        expectStatus("projects?framework=MD", 200, result);
        CPPUNIT_ASSERT_EQUAL(std::string("P-2"), column(result, "code"));
    }

    /// Same cause as the framework filter.
    void testProjectsFilteredByObjectiveAnswer200()
    {
        const auto result = _pServer->get(API + "/projects?objective=SO1");
        expectStatus("projects?objective=SO1", 200, result);
        CPPUNIT_ASSERT_EQUAL(std::string("P-1"), column(result, "code"));
    }

    /// A numeric partner id is used without checking that the partner exists (CoreApi.cpp idOrCode),
    /// so an unknown partner answers an empty 200 list where an unknown code answers 404.
    void testContributionsOfUnknownPartnerIdAre404()
    {
        expectProblem("partners/99999/contributions", 404, _pServer->get(API + "/partners/99999/contributions"));
    }

    /// The server answers 413 from the Content-Length and closes without reading the body; the unread
    /// bytes make the kernel send a reset, which usually destroys the 413 before the client reads it.
    /// RFC 9112 9.6 asks for a lingering close (or the body drained).
    void testFullySentOversizedBodyStillGets413()
    {
        auto& s = *_pServer;
        const std::string body((1 << 20) + 1, ' ');
        for (int attempt = 0; attempt < 5; ++attempt)
        {
            try
            {
                expectProblem("POST 1 MiB + 1, attempt " + std::to_string(attempt), 413,
                              s.post(API + "/partners", body));
            }
            catch (const Poco::Exception& e)
            {
                CPPUNIT_FAIL("attempt " + std::to_string(attempt) + ": " + e.displayText());
            }
        }
    }

    /// Without Content-Length or chunked encoding an HTTP/1.1 request has no body (RFC 9112 6.3), but
    /// the server reads one until the client closes: an OPTIONS (or PUT) hangs until a timeout.
    void testRequestWithoutContentLengthIsAnsweredAtOnce()
    {
        Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", _pServer->port()));
        socket.setReceiveTimeout(Poco::Timespan(2, 0));
        const std::string request = "OPTIONS " + API +
                                    "/partners HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " +
                                    _pServer->token() + "\r\n\r\n";
        socket.sendBytes(request.data(), static_cast<int>(request.size()));
        char buffer[64] = {};
        int received = 0;
        try
        {
            received = socket.receiveBytes(buffer, sizeof buffer - 1);
        }
        catch (const Poco::TimeoutException&)
        {
            CPPUNIT_FAIL("no answer to a body-less OPTIONS within 2 s");
        }
        CPPUNIT_ASSERT_EQUAL(std::string("HTTP/1.1 405"), std::string(buffer, std::min(received, 12)));
    }

    /// Whole numbers from 2^63 up answer 500 (Var throws RangeException converting to Int64), and from
    /// 2^64 up wrap around: 18446744073709551617 is stored as 1.
    /// Poco's parser wraps integers past 64 bits (18446744073709551616 became 0), so the request is
    /// refused as unreadable before parsing: 400, nothing stored.
    void testWholeNumberBeyondInt64Is400()
    {
        auto& s = *_pServer;
        for (const std::string number : {"9223372036854775808", "18446744073709551616", "18446744073709551617"})
        {
            Unchanged unchanged(s, {"projects"});
            expectProblem("budget_eur " + number,
                          400, s.post(API + "/projects", R"({"code": "P-9", "title": "T", "kind": "capability",
                              "budget_eur": )" + number + "}"));
            unchanged.check("budget_eur " + number);
        }
        expectStatus("a large number in a string is just text", 201,
                     s.post(API + "/projects", R"({"code": "P-9", "title": "18446744073709551617",
                         "kind": "capability", "budget_eur": 123456789012})"));
    }

    /// SQLite would keep only the text before a NUL, so a NUL in any string is refused: 400.
    void testTextWithNulCharacterIs400()
    {
        auto& s = *_pServer;
        Unchanged unchanged(s, {"partners"});
        expectProblem("POST name with NUL", 400, s.post(API + "/partners", R"({"code": "NUL", "name": "x\u0000y",
            "kind": "nation", "framework": "MD"})"));
        unchanged.check("NUL");
        expectStatus("an escaped backslash before u0000 is plain text", 201,
                     s.post(API + "/partners", R"({"code": "BSL", "name": "x\\u0000y", "kind": "nation",
                         "framework": "MD"})"));
    }

    /// BaselineService counts bytes, where every other text field counts characters: a 60-character
    /// name in a non-ASCII script is refused as longer than 100 characters.
    void testBaselineNameLimitCountsCharacters()
    {
        std::string name;
        for (int i = 0; i < 60; ++i)
            name += "\xC3\xA9"; // é
        expectStatus("60 x é", 201,
                     _pServer->post(baselines(_project), R"({"name": ")" + name + R"(", "reason": "Replan"})"));
    }

    /// A baseline may be named "2027", but GET .../baselines/2027 looks for id 2027: the name can
    /// never be read back. Either refuse all-digit names or fall back to the name.
    void testNumericBaselineNameIsFoundByName()
    {
        auto& s = *_pServer;
        const auto created = s.post(baselines(_project), R"({"name": "2027", "reason": "Annual"})");
        if (created.status == 422)
            return;
        expectStatus("POST baseline 2027", 201, created);
        const auto read = s.get(baselines(_project) + "/2027");
        expectStatus("GET baseline 2027", 200, read);
        CPPUNIT_ASSERT_EQUAL(std::string("2027"), text(read, "name"));
    }

    /// DESIGN: unknown query parameters are 400 on every collection; these two ignore them (and
    /// have no limit/offset either).
    void testScheduleListsRejectUnknownQueryParameters()
    {
        auto& s = *_pServer;
        const auto milestone = s.create(API + "/projects/" + std::to_string(_project) + "/milestones",
                                        R"({"title": "M", "baseline_date": "2027-04-01"})");
        expectProblem("baselines?colour=red", 400, s.get(baselines(_project) + "?colour=red"));
        expectProblem("history?colour=red", 400,
                      s.get(API + "/milestones/" + std::to_string(milestone) + "/history?colour=red"));
    }

    /// `"version": true` is taken for version 1 (Var::isInteger() holds for bool).
    void testBooleanVersionIsBadRequest()
    {
        auto& s = *_pServer;
        Unchanged unchanged(s, {"partners"}, {API + "/partners/UKR"});
        expectProblem("version true", 400,
                      s.request("PATCH", API + "/partners/UKR", R"({"version": true, "name": "X"})"));
        unchanged.check("version true");
    }

    /// If-Match and `version` in the body, when both are sent, must name one version: which of two the client
    /// last read is unknown, so a write that took either could overwrite a change it never saw.
    void testIfMatchAndBodyVersionMustAgree()
    {
        auto& s = *_pServer;
        Unchanged unchanged(s, {"partners"}, {API + "/partners/UKR"});
        for (const char* body : {R"({"version": 5, "name": "X"})", R"({"version": "1", "name": "X"})",
                                 R"({"version": true, "name": "X"})", R"({"version": 0, "name": "X"})"})
            expectProblem(std::string("If-Match 1 and ") + body, 400,
                          s.request("PATCH", API + "/partners/UKR", body, ifMatch(1)));
        unchanged.check("disagreeing versions");
        expectStatus("If-Match and body version agree", 200,
                     s.request("PATCH", API + "/partners/UKR", R"({"version": 1, "name": "Ukraine"})", ifMatch(1)));
    }

    /// DELETE, like PATCH, takes its version from If-Match or from `version` in the body; a body holding
    /// anything else is 422, never carried out with part of it ignored.
    void testDeleteTakesTheVersionFromItsBodyAndNothingElse()
    {
        auto& s = *_pServer;
        const auto id = s.create(API + "/partners", R"({"code": "ZZD", "name": "Doomed", "kind": "nation",
            "framework": "MD"})");
        const std::string path = API + "/partners/" + std::to_string(id);
        Unchanged unchanged(s, {"partners"}, {path});
        expectProblem("body version 1, If-Match 2", 400, s.request("DELETE", path, R"({"version": 1})", ifMatch(2)));
        expectProblem("body version \"1\"", 400, s.request("DELETE", path, R"({"version": "1"})"));
        expectInvalid("another member", "cascade", s.request("DELETE", path, R"({"version": 1, "cascade": true})"));
        expectProblem("stale body version", 412, s.request("DELETE", path, R"({"version": 7})"));
        expectProblem("neither", 428, s.request("DELETE", path, "{}"));
        unchanged.check("refused deletes");
        expectStatus("body version alone", 204, s.request("DELETE", path, R"({"version": 1})"));
        expectProblem("deleted", 404, s.get(path));
    }

    /// SQLite's LOWER() folds ASCII only, MariaDB's every letter: q=ö finds "Österreich" on MariaDB only.
    void testSearchIgnoresCaseBeyondAscii()
    {
        auto& s = *_pServer;
        s.create(API + "/partners", R"({"code": "AUT", "name": "Österreich", "kind": "nation", "framework": "EAPC"})");
        CPPUNIT_ASSERT_EQUAL(std::string("AUT"), column(s.get(API + "/partners?q=%C3%B6"), "code"));
    }

private:
    [[nodiscard]] static std::string baselines(Poco::Int64 project)
    {
        return API + "/projects/" + std::to_string(project) + "/baselines";
    }

    std::unique_ptr<HttpTestServer> _pServer;
    Poco::Int64 _project = 0;
    Poco::Int64 _other = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(InputEdgeCasesTest);
