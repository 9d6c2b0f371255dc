#include "captrack/http/WebhookApi.h"

#include "captrack/http/ResourceRoutes.h"
#include "captrack/service/Catalogue.h"

namespace captrack::http
{

namespace
{
const char* const JSON = "application/json";

const char* const DELIVERY_PAGE_SCHEMA = R"JSON({"type":"object","properties":{
"items":{"type":"array","items":{"type":"object","properties":{
 "id":{"type":"integer","description":"the delivery's id, X-Captrack-Delivery and the body's id"},
 "event":{"type":"string","enum":["contribution.changed","milestone.changed","project.health_changed","snapshot.published"]},
 "action":{"type":"string"},
 "project_id":{"type":["integer","null"]},
 "occurred_at":{"type":"string","format":"date-time"},
 "status":{"type":"string","enum":["pending","delivered","failed"]},
 "attempts":{"type":"integer","minimum":0},
 "last_attempt_at":{"type":["string","null"],"format":"date-time"},
 "last_status":{"type":["integer","null"],"description":"the HTTP status of the last answer; null when none came"},
 "last_response":{"type":["string","null"],"description":"the first 500 bytes of the last answer, or why none came"},
 "delivered_at":{"type":["string","null"],"format":"date-time"},
 "next_attempt_at":{"type":["string","null"],"format":"date-time"}},
 "required":["id","event","action","project_id","occurred_at","status","attempts","last_attempt_at","last_status",
  "last_response","delivered_at","next_attempt_at"],"additionalProperties":false}},
"total":{"type":"integer","minimum":0},
"limit":{"type":"integer","minimum":1,"maximum":500},
"offset":{"type":"integer","minimum":0}},
"required":["items","total","limit","offset"],"additionalProperties":false})JSON";

RouteDoc deliveriesDoc()
{
    RouteDoc doc;
    doc.summary = "Read a webhook's delivery log, newest first (admins)";
    doc.description = "Each event sent or to be sent to the endpoint: its status (pending, delivered, failed), "
                      "attempts, and the last answer.";
    doc.parameters = {
        idParameter("id", "the webhook's id"),
        {"limit", "query", "at most this many (default 50)", R"({"type":"integer","minimum":1,"maximum":500})", false},
        {"offset", "query", "skip this many first", R"({"type":"integer","minimum":0,"maximum":1000000000})", false},
    };
    doc.responses = {{200, "A page of deliveries", {{JSON, schemaRef("WebhookDeliveryPage")}}, {}}};
    doc.schemas = {{"WebhookDeliveryPage", DELIVERY_PAGE_SCHEMA}};
    return doc;
}
} // namespace

void addWebhookApi(Router& router, const service::ResourceService& resources,
                   const service::WebhookDeliveries& deliveries)
{
    const std::string collection = std::string(API_ROOT) + "/webhooks";
    addResourceRoutes(router, resources,
                      {service::Catalogue::instance().webhooks, collection, "", {}, nullptr, nullptr});
    router.add(
        "GET", collection + "/{id}/deliveries",
        [&deliveries](ApiRequest& request) {
            allowOnly(request, {"limit", "offset"});
            const auto limit = queryNumber(request, "limit", 1, 500, 50);
            const auto offset = queryNumber(request, "offset", 0, 1000000000, 0);
            ApiResponse response;
            response.body = deliveries.logJson(request.principal(), request.idParam("id"), static_cast<int>(limit),
                                               static_cast<Poco::Int64>(offset));
            return response;
        },
        {}, deliveriesDoc());
}

} // namespace captrack::http
