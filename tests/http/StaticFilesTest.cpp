#include "captrack/http/StaticFiles.h"
#include "ApiAssertions.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <regex>

using namespace captrack::test::api;
using captrack::test::HttpResult;
using captrack::test::HttpTestServer;

namespace
{
const std::string CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                        "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The first 32 hex digits of the SHA-256 of `bytes`, quoted: the ETag the build computes.
std::string expectedEtag(const std::string& bytes)
{
    Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
    sha.update(bytes);
    return "\"" + Poco::DigestEngine::digestToHex(sha.digest()).substr(0, 32) + "\"";
}

/// Fails unless `result` carries the page's security and caching headers.
void expectPageHeaders(const std::string& what, const HttpResult& result)
{
    CPPUNIT_ASSERT_EQUAL_MESSAGE(what, CSP, result.header("Content-Security-Policy"));
    CPPUNIT_ASSERT_EQUAL_MESSAGE(what, std::string("nosniff"), result.header("X-Content-Type-Options"));
    CPPUNIT_ASSERT_EQUAL_MESSAGE(what, std::string("no-referrer"), result.header("Referrer-Policy"));
    CPPUNIT_ASSERT_EQUAL_MESSAGE(what, std::string("no-cache"), result.header("Cache-Control"));
}
} // namespace

class StaticFilesTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(StaticFilesTest);
    CPPUNIT_TEST(testRootIsTheHtmlPageWithSecurityHeaders);
    CPPUNIT_TEST(testScriptAndStyleHaveTheirContentTypes);
    CPPUNIT_TEST(testEveryEmbeddedFileIsServedWithItsTypeAndHash);
    CPPUNIT_TEST(testIfNoneMatchWithTheEtagIs304WithoutBody);
    CPPUNIT_TEST(testUnknownStaticPathIs404Problem);
    CPPUNIT_TEST(testStaticFilesNeedNoSignInButTheApiStillDoes);
    CPPUNIT_TEST(testPageHasNoInlineScriptOrStyle);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _pServer = std::make_unique<HttpTestServer>();
        _pServer->useToken(""); // the page is fetched before anyone signs in
    }
    void tearDown() override { _pServer.reset(); }

    void testRootIsTheHtmlPageWithSecurityHeaders()
    {
        auto& s = *_pServer;
        const auto root = s.get("/");
        expectStatus("GET /", 200, root);
        CPPUNIT_ASSERT_EQUAL(std::string("text/html; charset=utf-8"), root.contentType);
        expectPageHeaders("GET /", root);
        CPPUNIT_ASSERT_MESSAGE(root.body.substr(0, 40), root.body.rfind("<!DOCTYPE html>", 0) == 0);
        CPPUNIT_ASSERT_EQUAL(expectedEtag(root.body), root.header("ETag"));

        const auto index = s.get("/index.html");
        expectStatus("GET /index.html", 200, index);
        CPPUNIT_ASSERT_EQUAL(root.body, index.body);
        CPPUNIT_ASSERT_EQUAL(root.header("ETag"), index.header("ETag"));
    }

    void testScriptAndStyleHaveTheirContentTypes()
    {
        auto& s = *_pServer;
        const auto script = s.get("/app.js");
        expectStatus("GET /app.js", 200, script);
        CPPUNIT_ASSERT_EQUAL(std::string("application/javascript; charset=utf-8"), script.contentType);
        expectPageHeaders("GET /app.js", script);
        CPPUNIT_ASSERT_MESSAGE("app.js is empty", script.body.size() > 1000);

        const auto style = s.get("/app.css");
        expectStatus("GET /app.css", 200, style);
        CPPUNIT_ASSERT_EQUAL(std::string("text/css; charset=utf-8"), style.contentType);
        expectPageHeaders("GET /app.css", style);
    }

    void testEveryEmbeddedFileIsServedWithItsTypeAndHash()
    {
        auto& s = *_pServer;
        const auto& files = captrack::http::embeddedFiles();
        CPPUNIT_ASSERT_MESSAGE("no page embedded", files.size() >= 3);
        const auto paths = captrack::http::staticFilePaths();
        CPPUNIT_ASSERT_EQUAL(files.size() + 1, paths.size());
        for (const auto& file : files)
        {
            const std::string path = file.path;
            CPPUNIT_ASSERT_MESSAGE(path, std::find(paths.begin(), paths.end(), path) != paths.end());
            const auto result = s.get(path);
            expectStatus("GET " + path, 200, result);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, std::string(file.contentType), result.contentType);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, std::string(reinterpret_cast<const char*>(file.data), file.size),
                                         result.body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, expectedEtag(result.body), result.header("ETag"));
            expectPageHeaders("GET " + path, result);
        }
    }

    void testIfNoneMatchWithTheEtagIs304WithoutBody()
    {
        auto& s = *_pServer;
        const auto first = s.get("/app.js");
        const std::string etag = first.header("ETag");
        CPPUNIT_ASSERT_MESSAGE("no ETag", etag.size() > 2 && etag.front() == '"' && etag.back() == '"');
        for (const std::string& header : {etag, "W/" + etag, "\"stale\", " + etag, std::string("*")})
        {
            const auto again = s.request("GET", "/app.js", "", {{"If-None-Match", header}});
            expectStatus("If-None-Match: " + header, 304, again);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(header, std::string(), again.body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(header, etag, again.header("ETag"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(header, std::string("no-cache"), again.header("Cache-Control"));
        }
        // Another file's ETag, or a stale one, gets the file again.
        const std::string other = s.get("/app.css").header("ETag");
        for (const std::string& header : {other, std::string("\"0123456789abcdef\"")})
        {
            const auto fresh = s.request("GET", "/app.js", "", {{"If-None-Match", header}});
            expectStatus("If-None-Match: " + header, 200, fresh);
            CPPUNIT_ASSERT_EQUAL(first.body, fresh.body);
        }
        // The keep-alive connection is still in step after the 304s.
        expectStatus("after 304", 200, s.get("/app.css"));
    }

    void testUnknownStaticPathIs404Problem()
    {
        auto& s = *_pServer;
        for (const char* path : {"/nothing.js", "/APP.JS", "/app.js/x", "/web/app.js", "/index.htm", "/src/web/app.js"})
            expectProblem(std::string("GET ") + path, 404, s.get(path));
        expectProblem("POST /app.js", 405, s.post("/app.js", "{}"));
    }

    void testStaticFilesNeedNoSignInButTheApiStillDoes()
    {
        auto& s = *_pServer;
        expectStatus("GET / without a token", 200, s.get("/"));
        expectProblem("GET /api/v1/me without a token", 401, s.get(API + "/me"));
    }

    void testPageHasNoInlineScriptOrStyle()
    {
        // The CSP forbids inline script and style; the page must not need them. Scan what is served.
        auto& s = *_pServer;
        const std::string html = s.get("/").body;
        const std::regex script("<script\\b([^>]*)>([\\s\\S]*?)</script\\s*>", std::regex::icase);
        int scripts = 0;
        for (auto it = std::sregex_iterator(html.begin(), html.end(), script); it != std::sregex_iterator(); ++it)
        {
            ++scripts;
            const std::string attributes = (*it)[1];
            CPPUNIT_ASSERT_MESSAGE("a script without src: " + it->str(),
                                   std::regex_search(attributes, std::regex("\\bsrc=\"/[^\"]+\"")));
            CPPUNIT_ASSERT_MESSAGE("an inline script: " + it->str(),
                                   (*it)[2].str().find_first_not_of(" \t\r\n") == std::string::npos);
        }
        CPPUNIT_ASSERT_MESSAGE("the page loads no script", scripts >= 1);
        const std::regex inline_("<style\\b|\\sstyle\\s*=|\\son[a-z]+\\s*=|javascript:", std::regex::icase);
        std::smatch match;
        CPPUNIT_ASSERT_MESSAGE("inline style or handler: " +
                                   (std::regex_search(html, match, inline_) ? match.str() : ""),
                               !std::regex_search(html, inline_));
        CPPUNIT_ASSERT_MESSAGE(
            "the stylesheet is linked",
            std::regex_search(html, std::regex("<link[^>]+rel=\"stylesheet\"[^>]+href=\"/app.css\"")));
    }

private:
    std::unique_ptr<HttpTestServer> _pServer;
};

CPPUNIT_TEST_SUITE_REGISTRATION(StaticFilesTest);
