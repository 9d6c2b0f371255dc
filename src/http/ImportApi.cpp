#include "captrack/http/ImportApi.h"

#include "captrack/Errors.h"
#include "captrack/http/RequestParameters.h"

namespace captrack::http
{

namespace
{
const std::string API = API_ROOT;

/// The largest CSV body an import reads: the 1 MiB of every other body (DESIGN.md), read before the
/// principal is known to be valid.
constexpr std::size_t MAX_IMPORT_BYTES = 1 << 20;

bool dryRunOf(const ApiRequest& request)
{
    const auto value = request.queryValue("dry_run");
    if (!value || *value == "false")
        return false;
    if (*value == "true")
        return true;
    throw BadRequestError("dry_run must be true or false");
}

/// A real run that wrote nothing: 422 problem+json with the outcome's members after the problem's.
ApiResponse refused(const service::ImportOutcome& outcome)
{
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    body->set("type", "https://captrack.dev/problems/import");
    body->set("title", "Import refused");
    body->set("status", 422);
    body->set("detail", std::to_string(outcome.errors.size()) +
                            " problem(s) in the file, listed by row and column: nothing was written");
    const auto members = service::importOutcomeJson(outcome);
    for (const auto& name : {"dry_run", "written", "rows", "created", "updated", "errors"})
        body->set(name, members->get(name));
    ApiResponse response = ApiResponse::json(422, body);
    response.contentType = "application/problem+json";
    return response;
}

const char* OUTCOME_PROPERTIES = R"JSON(
 "dry_run":{"type":"boolean"},
 "written":{"type":"boolean","description":"true when every row was written, in one transaction"},
 "rows":{"type":"integer","minimum":0},
 "created":{"type":"integer","minimum":0},
 "updated":{"type":"integer","minimum":0},
 "errors":{"type":"array","maxItems":1001,
  "description":"the first 1,000 problems, then one saying how many more there are (its column empty)",
  "items":{"type":"object","properties":{
  "row":{"type":"integer","minimum":0,"description":"the file's line (1: the header)"},
  "column":{"type":"string","description":"the column's name; empty for a problem of the whole row"},
  "message":{"type":"string"}},"required":["row","column","message"],"additionalProperties":false}})JSON";

RouteDoc importDoc()
{
    RouteDoc doc;
    doc.summary = "Import a CSV file of projects, milestones or contributions: every row or none";
    doc.description = "The export's columns, UTF-8, at most 2,000 rows. Rows are written as the signed-in user, "
                      "with the API's validation and access rules, in one transaction; a dry run writes nothing and "
                      "lists every row's errors. One import at a time (503 with Retry-After otherwise).";
    doc.parameters = {
        {"kind", "path", "what the rows are", R"({"enum":["projects","milestones","contributions"]})", true},
        {"dry_run", "query", "true: check every row, write nothing", R"({"enum":["true","false"]})", false}};
    doc.requestSchema = R"({"type":"string","description":"CSV with a header row"})";
    doc.responses = {
        {200, "Written (or, in a dry run, checked)", {{"application/json", schemaRef("ImportOutcome")}}, {}},
        {422,
         "Refused: nothing was written; every problem by row and column",
         {{"application/problem+json", schemaRef("ImportRefused")}},
         {}}};
    doc.schemas = {{"ImportOutcome", std::string(R"({"type":"object","properties":{)") + OUTCOME_PROPERTIES +
                                         R"(},"required":["dry_run","written","rows","created","updated","errors"],)"
                                         R"("additionalProperties":false})"},
                   {"ImportRefused",
                    std::string(R"({"type":"object","properties":{"type":{"type":"string"},)"
                                R"("title":{"type":"string"},"status":{"const":422},"detail":{"type":"string"},)") +
                        OUTCOME_PROPERTIES +
                        R"(},"required":["type","title","status","detail","dry_run","written","rows",)"
                        R"("created","updated","errors"],"additionalProperties":false})"}};
    return doc;
}
} // namespace

service::ImportKind importKind(const std::string& name)
{
    if (name == "projects")
        return service::ImportKind::Projects;
    if (name == "milestones")
        return service::ImportKind::Milestones;
    if (name == "contributions")
        return service::ImportKind::Contributions;
    throw NotFoundError("no import of " + name);
}

void addImportApi(Router& router, const service::Importer& importer)
{
    router.add(
        "POST", API + "/import/{kind}",
        [&importer](ApiRequest& request) {
            allowOnly(request, {"dry_run"});
            const auto kind = importKind(request.param("kind"));
            const bool dryRun = dryRunOf(request);
            const auto outcome = importer.run(request.principal(), kind, request.body(), dryRun);
            if (!dryRun && !outcome.written)
                return refused(outcome);
            return ApiResponse::json(200, service::importOutcomeJson(outcome));
        },
        RouteOptions{Access::SignedIn, MAX_IMPORT_BYTES, BodyType::Csv}, importDoc());
}

} // namespace captrack::http
