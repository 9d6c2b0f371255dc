// What changed between two report snapshots, or a snapshot and now, and one project's health at each
// snapshot (docs/HTTP.md "What changed").

#include "captrack/http/SnapshotApi.h"

#include "SnapshotDocs.h"

#include "captrack/http/ReportApi.h"
#include "captrack/http/RequestParameters.h"
#include "captrack/report/Renderers.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

namespace captrack::http
{

namespace
{
using Var = Poco::Dynamic::Var;

Var optional(const std::optional<std::string>& text)
{
    return text ? Var(*text) : Var();
}

Poco::JSON::Object::Ptr historyItem(const storage::SnapshotRow& snapshot, const storage::ProjectStateRow& project)
{
    Poco::JSON::Object::Ptr item = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    item->set("snapshot_id", snapshot.id);
    item->set("snapshot", snapshot.name);
    item->set("published_at", snapshot.publishedAt);
    item->set("as_of", snapshot.asOf);
    item->set("status", project.status);
    item->set("declared_health", optional(project.declaredHealth));
    item->set("declared_reason", optional(project.declaredReason));
    item->set("computed_health", optional(project.computedHealth));
    Poco::JSON::Array::Ptr reasons = new Poco::JSON::Array;
    for (const auto& reason : project.healthReasons)
        reasons->add(reason);
    item->set("health_reasons", reasons);
    item->set("effective_health", optional(project.effectiveHealth));
    return item;
}
} // namespace

void addChangesApi(Router& router, const report::SnapshotService& snapshots)
{
    router.add(
        "GET", std::string(API_ROOT) + "/reports/changes",
        [&snapshots](ApiRequest& request) {
            allowOnly(request, {"from", "to", "format"});
            const auto format = report::changesFormat(request.queryValue("format").value_or("json"));
            const auto from = request.queryValue("from");
            if (!from || from->empty())
                throw BadRequestError("query parameter from is required: a snapshot's id or name");
            const auto changes =
                snapshots.changes(request.principal(), *from, request.queryValue("to").value_or("now"));
            if (format == report::ReportFormat::Json)
                return ApiResponse::json(200, report::changesJson(changes));
            return renderedReportResponse(report::renderChanges(changes, format), format,
                                          "changes-" + changes.fromAsOf + "-" + changes.toAsOf);
        },
        {}, docs::portfolioChanges());
    router.add(
        "GET", std::string(API_ROOT) + "/projects/{parent}/health-history",
        [&snapshots](ApiRequest& request) {
            allowOnly(request, {});
            const auto history = snapshots.healthHistory(request.principal(), request.idParam("parent"));
            Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
            for (const auto& [snapshot, project] : history)
                items->add(historyItem(snapshot, project));
            Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
            body->set("items", items);
            body->set("total", static_cast<Poco::UInt64>(items->size()));
            return ApiResponse::json(200, body);
        },
        {}, docs::healthHistory());
}

} // namespace captrack::http
