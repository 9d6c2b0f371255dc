#include "captrack/http/OpenApi.h"

#include "captrack/Version.h"
#include "captrack/http/RequestParameters.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <stdexcept>

namespace captrack::http
{

namespace
{
using Object = Poco::JSON::Object;
using Array = Poco::JSON::Array;

Object::Ptr newObject()
{
    return new Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

/// Parses a schema or other JSON text of a RouteDoc; logic_error naming the route when it is not JSON.
Poco::Dynamic::Var parsedJson(const std::string& text, const std::string& route, const std::string& what)
{
    try
    {
        return Poco::JSON::Parser().parse(text);
    }
    catch (const Poco::Exception& e)
    {
        throw std::logic_error(route + ": the " + what + " is not JSON (" + e.displayText() + "): " + text);
    }
}

const char* PROBLEM_SCHEMA = R"JSON({"type":"object",
"description":"An error, as RFC 9457 application/problem+json",
"properties":{
 "type":{"type":"string","description":"https://captrack.dev/problems/<slug>"},
 "title":{"type":"string"},
 "status":{"type":"integer","minimum":400,"maximum":599},
 "detail":{"type":"string"},
 "errors":{"type":"array","description":"each refused field (422)","items":{"type":"object",
  "properties":{"field":{"type":"string"},"message":{"type":"string"}},
  "required":["field","message"],"additionalProperties":false}}},
"required":["type","title","status","detail"],"additionalProperties":false})JSON";

/// The response headers a RouteDoc may name, and what each means.
const std::map<std::string, std::pair<std::string, std::string>>& knownHeaders()
{
    static const std::map<std::string, std::pair<std::string, std::string>> headers{
        {"ETag", {"the version of what the body holds, for If-Match", R"({"type":"string"})"}},
        {"Location", {"where the created resource lives", R"({"type":"string"})"}},
        {"Retry-After", {"seconds to wait before asking again", R"({"type":"integer","minimum":0})"}},
        {"Cache-Control", {"how long a copy may be kept", R"({"type":"string"})"}},
        {"Content-Disposition", {"a download's file name", R"({"type":"string"})"}},
        {"WWW-Authenticate", {"how to sign in: Bearer", R"({"type":"string"})"}},
    };
    return headers;
}

Object::Ptr components()
{
    auto problemResponse = newObject();
    problemResponse->set("description", "An error: problem+json (docs/HTTP.md \"API conventions\")");
    auto problemContent = newObject();
    auto problemMedia = newObject();
    problemMedia->set("schema", parsedJson(schemaRef("Problem"), "components", "problem schema"));
    problemContent->set("application/problem+json", problemMedia);
    problemResponse->set("content", problemContent);
    auto retryAfter = newObject();
    retryAfter->set("$ref", "#/components/headers/Retry-After");
    auto problemHeaders = newObject();
    problemHeaders->set("Retry-After", retryAfter);
    problemResponse->set("headers", problemHeaders);
    auto responses = newObject();
    responses->set("Problem", problemResponse);

    auto headers = newObject();
    for (const auto& [name, meaning] : knownHeaders())
    {
        auto header = newObject();
        header->set("description", meaning.first);
        header->set("schema", parsedJson(meaning.second, "components", "header schema"));
        headers->set(name, header);
    }

    auto securitySchemes = parsedJson(R"({
"session":{"type":"http","scheme":"bearer","bearerFormat":"JWT",
 "description":"The token POST /api/v1/auth/login answers with: Authorization: Bearer <token>"},
"apiToken":{"type":"http","scheme":"bearer",
 "description":"A long-lived API token (ct_...) from POST /api/v1/me/tokens, for scripts"},
"metricsToken":{"type":"http","scheme":"bearer",
 "description":"The metrics token of the server's settings (metrics.token); /metrics only"}})",
                                      "components", "security schemes")
                               .extract<Object::Ptr>();

    auto out = newObject();
    out->set("responses", responses);
    out->set("headers", headers);
    out->set("securitySchemes", securitySchemes);
    return out;
}

/// "GET /api/v1/projects/{parent}/milestones" -> "getProjectsParentMilestones".
std::string operationId(const RouteInfo& route)
{
    std::string id;
    for (const char c : route.method)
        id += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    std::string path = route.pattern;
    const std::string root = API_ROOT;
    if (path.compare(0, root.size(), root) == 0)
        path = path.substr(root.size());
    bool upper = true;
    for (const char c : path)
    {
        const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!letter)
        {
            upper = true;
            continue;
        }
        id += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
        upper = false;
    }
    return path == "/" ? id + "Page" : id;
}

/// The tag of a route: its doc's, or the first segment after /api/v1, or "service" / "web page".
std::string tagOf(const RouteInfo& route)
{
    if (!route.doc.tag.empty())
        return route.doc.tag;
    const std::string root = std::string(API_ROOT) + "/";
    if (route.pattern.compare(0, root.size(), root) != 0)
        return "web page";
    const auto segments = pathSegments(route.pattern.substr(root.size()));
    return segments.empty() ? "api" : segments.front();
}

Object::Ptr parameterObject(const ParamDoc& param, const std::string& route)
{
    auto out = newObject();
    out->set("name", param.name);
    out->set("in", param.in);
    if (!param.description.empty())
        out->set("description", param.description);
    out->set("required", param.in == "path" || param.required);
    out->set("schema", parsedJson(param.schema, route, "schema of parameter " + param.name));
    return out;
}

Array::Ptr parameters(const RouteInfo& route, const std::string& name)
{
    Array::Ptr out = new Array;
    std::set<std::string> pathParams;
    for (const auto& segment : pathSegments(route.pattern))
    {
        if (segment.size() < 3 || segment.front() != '{' || segment.back() != '}')
            continue;
        const std::string param = segment.substr(1, segment.size() - 2);
        pathParams.insert(param);
        const ParamDoc* pDoc = nullptr;
        for (const auto& doc : route.doc.parameters)
            if (doc.in == "path" && doc.name == param)
                pDoc = &doc;
        out->add(parameterObject(pDoc ? *pDoc : idParameter(param, "a decimal id"), name));
    }
    for (const auto& doc : route.doc.parameters)
    {
        if (doc.in == "path" && !pathParams.count(doc.name))
            throw std::logic_error(name + ": documents a path parameter {" + doc.name + "} the pattern lacks");
        if (doc.in != "path")
            out->add(parameterObject(doc, name));
    }
    return out;
}

std::string requestMediaType(const RouteInfo& route)
{
    return route.options.body == BodyType::Csv ? "text/csv" : "application/json";
}

Object::Ptr responseObject(const ResponseDoc& doc, const std::string& name)
{
    auto out = newObject();
    out->set("description", doc.description.empty() ? std::to_string(doc.status) : doc.description);
    if (!doc.headers.empty())
    {
        auto headers = newObject();
        for (const auto& header : doc.headers)
        {
            if (!knownHeaders().count(header))
                throw std::logic_error(name + ": names the header " + header + ", which components.headers lacks");
            auto ref = newObject();
            ref->set("$ref", "#/components/headers/" + header);
            headers->set(header, ref);
        }
        out->set("headers", headers);
    }
    if (!doc.content.empty())
    {
        auto content = newObject();
        for (const auto& media : doc.content)
        {
            auto mediaObject = newObject();
            if (!media.schema.empty())
                mediaObject->set("schema", parsedJson(media.schema, name, "schema of " + media.mediaType));
            // The media type without parameters: every text answer is UTF-8 (docs/HTTP.md).
            content->set(Poco::trim(media.mediaType.substr(0, media.mediaType.find(';'))), mediaObject);
        }
        out->set("content", content);
    }
    return out;
}

Object::Ptr operation(const RouteInfo& route)
{
    const std::string name = route.name();
    const RouteDoc& doc = route.doc;
    if (doc.summary.empty() || doc.responses.empty())
        throw std::logic_error(name + ": has no summary or no response in its RouteDoc");
    auto out = newObject();
    Array::Ptr tags = new Array;
    tags->add(tagOf(route));
    out->set("tags", tags);
    out->set("summary", doc.summary);
    if (!doc.description.empty())
        out->set("description", doc.description);
    out->set("operationId", operationId(route));
    const auto params = parameters(route, name);
    if (params->size() > 0)
        out->set("parameters", params);
    if (!doc.requestSchema.empty())
    {
        auto media = newObject();
        media->set("schema", parsedJson(doc.requestSchema, name, "request schema"));
        auto content = newObject();
        content->set(requestMediaType(route), media);
        auto body = newObject();
        if (!doc.requestDescription.empty())
            body->set("description", doc.requestDescription);
        body->set("required", doc.requestRequired);
        body->set("content", content);
        out->set("requestBody", body);
    }
    auto responses = newObject();
    for (const auto& response : doc.responses)
        responses->set(std::to_string(response.status), responseObject(response, name));
    for (const char* range : {"4XX", "5XX"})
    {
        auto ref = newObject();
        ref->set("$ref", "#/components/responses/Problem");
        responses->set(range, ref);
    }
    out->set("responses", responses);
    if (!doc.security.empty())
        out->set("security", parsedJson(doc.security, name, "security"));
    else if (route.options.access == Access::Public)
        out->set("security", Array::Ptr(new Array));
    return out;
}

std::string lowerCase(std::string text)
{
    for (auto& c : text)
        c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return text;
}
} // namespace

std::string openApiDocument(const Router& router)
{
    auto paths = newObject();
    std::map<std::string, std::string> schemaTexts{{"Problem", PROBLEM_SCHEMA}};
    std::vector<std::string> tagOrder;
    for (const auto& route : router.table())
    {
        if (!paths->has(route.pattern))
            paths->set(route.pattern, newObject());
        paths->getObject(route.pattern)->set(lowerCase(route.method), operation(route));
        const std::string tag = tagOf(route);
        if (std::find(tagOrder.begin(), tagOrder.end(), tag) == tagOrder.end())
            tagOrder.push_back(tag);
        for (const auto& [schemaName, text] : route.doc.schemas)
        {
            const auto [it, added] = schemaTexts.emplace(schemaName, text);
            if (!added && it->second != text)
                throw std::logic_error(route.name() + ": gives the schema " + schemaName + " another text");
        }
    }
    auto schemas = newObject();
    for (const auto& [schemaName, text] : schemaTexts)
        schemas->set(schemaName, parsedJson(text, "schema " + schemaName, "schema"));
    auto componentsObject = components();
    componentsObject->set("schemas", schemas);

    auto info = newObject();
    info->set("title", "captrack");
    info->set("version", std::string(VERSION));
    info->set("description",
              "Partnership capability projects: partners, milestones, missions, status and portfolio reports. "
              "Conventions: docs/HTTP.md. Every error is application/problem+json.");
    Array::Ptr tags = new Array;
    for (const auto& tag : tagOrder)
    {
        auto tagObject = newObject();
        tagObject->set("name", tag);
        tags->add(tagObject);
    }
    auto document = newObject();
    document->set("openapi", "3.1.0");
    document->set("info", info);
    document->set("tags", tags);
    document->set("security", parsedJson(R"([{"session":[]},{"apiToken":[]}])", "document", "security"));
    document->set("paths", paths);
    document->set("components", componentsObject);
    std::ostringstream out;
    document->stringify(out);
    return out.str();
}

void addOpenApiRoute(Router& router)
{
    struct Built
    {
        std::once_flag once;
        std::string text;
    };
    auto pBuilt = std::make_shared<Built>();
    const Router* pRouter = &router;
    RouteDoc doc;
    doc.summary = "This document: OpenAPI 3.1 of every route";
    doc.tag = "service";
    doc.responses = {{200, "The OpenAPI document", {{"application/json", R"({"type":"object"})"}}, {"Cache-Control"}}};
    router.add(
        "GET", OPENAPI_PATH,
        [pBuilt, pRouter](ApiRequest& request) {
            allowOnly(request, {});
            std::call_once(pBuilt->once, [&] { pBuilt->text = openApiDocument(*pRouter); });
            ApiResponse response;
            response.body = pBuilt->text;
            response.headers.emplace_back("Cache-Control", "no-cache");
            return response;
        },
        {Access::Public, 0}, std::move(doc));
}

} // namespace captrack::http
