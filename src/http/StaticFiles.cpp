#include "captrack/http/StaticFiles.h"

#include <Poco/StringTokenizer.h>

namespace captrack::http
{

namespace
{
const char* const CONTENT_SECURITY_POLICY =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// RFC 9110 13.1.2: If-None-Match uses the weak comparison, so `W/"x"` matches `"x"`; `*` matches any
/// current representation.
bool noneMatchHits(const std::string& header, const std::string& etag)
{
    const Poco::StringTokenizer tags(header, ",",
                                     Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    for (const auto& tag : tags)
    {
        if (tag == "*")
            return true;
        const std::string opaque = tag.rfind("W/", 0) == 0 ? tag.substr(2) : tag;
        if (opaque == etag)
            return true;
    }
    return false;
}

/// The file served at "/", if the page has one.
const StaticFile* indexFile()
{
    for (const auto& file : embeddedFiles())
        if (std::string(file.path) == "/index.html")
            return &file;
    return nullptr;
}

ApiResponse serve(const StaticFile& file, const ApiRequest& request)
{
    ApiResponse answer;
    answer.headers = pageSecurityHeaders();
    answer.headers.emplace_back("ETag", file.etag);
    // The URLs carry no version: the browser may keep a copy but asks each time whether it is current.
    answer.headers.emplace_back("Cache-Control", "no-cache");
    const auto ifNoneMatch = request.header("If-None-Match");
    if (ifNoneMatch && noneMatchHits(*ifNoneMatch, file.etag))
    {
        answer.status = 304;
        answer.contentType.clear();
        return answer;
    }
    answer.contentType = file.contentType;
    answer.body.assign(reinterpret_cast<const char*>(file.data), file.size);
    return answer;
}
} // namespace

std::vector<std::pair<std::string, std::string>> pageSecurityHeaders()
{
    return {{"Content-Security-Policy", CONTENT_SECURITY_POLICY},
            {"X-Content-Type-Options", "nosniff"},
            {"Referrer-Policy", "no-referrer"},
            {"X-Frame-Options", "DENY"}};
}

std::vector<std::string> staticFilePaths()
{
    std::vector<std::string> paths;
    if (indexFile())
        paths.emplace_back("/");
    for (const auto& file : embeddedFiles())
        paths.emplace_back(file.path);
    return paths;
}

namespace
{
RouteDoc fileDoc(const StaticFile& file, const std::string& summary)
{
    // The media type without its parameters (charset), as OpenAPI names content.
    const std::string contentType = file.contentType;
    const std::string mediaType = contentType.substr(0, contentType.find(';'));
    RouteDoc doc;
    doc.tag = "web page";
    doc.summary = summary;
    doc.parameters = {{"If-None-Match", "header", "an ETag of a copy kept: 304 when it is still current",
                       R"({"type":"string"})", false}};
    doc.responses = {{200, "The file", {{mediaType, ""}}, {"ETag", "Cache-Control"}},
                     {304, "The copy kept is current", {}, {"ETag"}}};
    return doc;
}
} // namespace

void addStaticFiles(Router& router)
{
    if (const StaticFile* pIndex = indexFile())
        router.add(
            "GET", "/", [pIndex](ApiRequest& request) { return serve(*pIndex, request); }, {Access::Public, 0},
            fileDoc(*pIndex, "The web page"));
    for (const auto& file : embeddedFiles())
    {
        const StaticFile* pFile = &file;
        router.add(
            "GET", file.path, [pFile](ApiRequest& request) { return serve(*pFile, request); }, {Access::Public, 0},
            fileDoc(file, std::string("A file of the web page: ") + file.path));
    }
}

} // namespace captrack::http
