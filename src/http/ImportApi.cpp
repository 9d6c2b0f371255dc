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
        RouteOptions{Access::SignedIn, MAX_IMPORT_BYTES, BodyType::Csv});
}

} // namespace captrack::http
