#pragma once

#include <string>
#include <utility>
#include <vector>

namespace captrack::http
{

/// One parameter of a route, as the OpenAPI document describes it. Schemas are JSON Schema (2020-12,
/// OpenAPI 3.1's dialect) written as JSON text; `{"$ref": "#/components/schemas/X"}` names a schema of
/// RouteDoc::schemas.
struct ParamDoc
{
    std::string name;
    std::string in = "query"; ///< "query", "path" or "header"
    std::string description;
    std::string schema = R"({"type":"string"})";
    bool required = false;
};

/// One body a response may carry: its media type and, for JSON, the schema it keeps.
struct ContentDoc
{
    std::string mediaType; ///< "application/json", "text/csv", ...
    std::string schema;    ///< JSON Schema text; "" for a body that is not JSON (a download)
};

/// One status a route answers with (besides the problem+json errors every route may give).
struct ResponseDoc
{
    int status = 200;
    std::string description;
    std::vector<ContentDoc> content;  ///< none for 204, 304
    std::vector<std::string> headers; ///< "ETag", "Location", "Cache-Control", "Content-Disposition"
};

/// What the OpenAPI document (GET /api/v1/openapi.json, docs/HTTP.md "The OpenAPI document") says of a
/// route: given where the route is registered (Router::add, in RouteOptions::doc), so that the document
/// is built from the table that serves the requests and cannot drift from it. A route without a summary
/// or without a response fails OpenApiTest.
struct RouteDoc
{
    std::string summary;
    std::string description;
    std::string tag; ///< "" for the first segment after /api/v1 ("projects", "me", ...)
    /// Query and header parameters, and path parameters that need more than "a decimal id": each path
    /// parameter not listed here is documented as a decimal id.
    std::vector<ParamDoc> parameters;
    std::string requestSchema; ///< the JSON (or CSV) body's schema; "" when the route takes no body
    std::string requestDescription;
    bool requestRequired = true;
    std::vector<ResponseDoc> responses;
    /// Named schemas this route introduces (name -> JSON Schema text), for `$ref`s of any route. A name
    /// given twice must be given the same text.
    std::vector<std::pair<std::string, std::string>> schemas;
    /// The route's security requirements as JSON text, when not those of its RouteOptions::access (the
    /// metrics token); "" for the default.
    std::string security;
};

/// `{"$ref": "#/components/schemas/<name>"}`, the way a RouteDoc names a shared schema.
[[nodiscard]] std::string schemaRef(const std::string& name);

/// The If-Match header of a PATCH or DELETE.
[[nodiscard]] ParamDoc ifMatchParameter();

/// A path parameter that is a decimal id (`{parent}`, `{id}`), described in words.
[[nodiscard]] ParamDoc idParameter(const std::string& name, const std::string& description);

} // namespace captrack::http
