#include "captrack/http/LeadApi.h"

#include "captrack/Errors.h"
#include "captrack/domain/Specs.h"
#include "captrack/http/ReportDocs.h"
#include "captrack/http/RequestParameters.h"
#include "captrack/http/ResourceDocs.h"
#include "captrack/service/RecordJson.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace captrack::http
{

namespace
{
const std::string API = API_ROOT;

/// What a needs-update request asks for. Bad values are one 400 naming each bad parameter, as every
/// query-parameter problem is (README "API conventions").
struct WorklistRequest
{
    std::optional<domain::Date> asOf;
    service::WorklistWindow window;
};

long daysParameter(const ApiRequest& request, const std::string& name, long min, long max, long fallback,
                   FieldErrors& errors)
{
    const auto text = request.queryValue(name);
    if (!text)
        return fallback;
    if (const auto days = wholeNumberIn(*text, static_cast<std::size_t>(min), static_cast<std::size_t>(max)))
        return static_cast<long>(*days);
    errors.push_back(
        {name, "must be a whole number of days from " + std::to_string(min) + " to " + std::to_string(max)});
    return fallback;
}

WorklistRequest worklistRequest(const ApiRequest& request, const service::WorklistWindow& defaults)
{
    allowOnly(request, {"as_of", "look_ahead_days", "stale_days"});
    WorklistRequest parsed;
    FieldErrors errors;
    if (const auto text = request.queryValue("as_of"))
    {
        parsed.asOf = domain::Date::parse(*text);
        if (!parsed.asOf)
            errors.push_back({"as_of", "must be a date written YYYY-MM-DD, e.g. 2027-03-01"});
    }
    parsed.window.lookAheadDays = daysParameter(
        request, "look_ahead_days", 0, service::WorklistWindow::MAX_LOOK_AHEAD_DAYS, defaults.lookAheadDays, errors);
    parsed.window.staleDays =
        daysParameter(request, "stale_days", 1, service::WorklistWindow::MAX_STALE_DAYS, defaults.staleDays, errors);
    // A query-parameter problem is a 400, as on every route (README "API conventions"), naming each one.
    if (!errors.empty())
    {
        std::string detail = errors.size() == 1 ? "query parameter " : "query parameters: ";
        for (std::size_t i = 0; i < errors.size(); ++i)
            detail += (i ? "; " : "") + errors[i].field + " " + errors[i].message;
        throw BadRequestError(detail);
    }
    return parsed;
}

Poco::JSON::Object::Ptr itemJson(const service::WorklistItem& item)
{
    auto json = service::recordToJson(domain::milestoneSpec(), item.milestone);
    json->set("project_code", item.projectCode);
    json->set("project_title", item.projectTitle);
    Poco::JSON::Array::Ptr reasons = new Poco::JSON::Array;
    for (const auto reason : item.reasons)
        reasons->add(std::string(service::reasonName(reason)));
    json->set("reasons", reasons);
    json->set("overdue_days", static_cast<Poco::Int64>(item.overdueDays));
    json->set("days_left", static_cast<Poco::Int64>(item.daysLeft));
    json->set("days_untouched", static_cast<Poco::Int64>(item.daysUntouched));
    return json;
}

Poco::JSON::Object::Ptr worklistJson(const service::Worklist& list)
{
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    body->set("as_of", list.asOf.toString());
    body->set("look_ahead_days", static_cast<Poco::Int64>(list.window.lookAheadDays));
    body->set("stale_days", static_cast<Poco::Int64>(list.window.staleDays));
    Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
    for (const auto& item : list.items)
        items->add(itemJson(item));
    body->set("items", items);
    body->set("total", list.total);
    return body;
}
/// A worklist item: the milestone as GET /milestones/{id} shows it (ResourceDocs' record schema), and
/// the members itemJson adds.
std::string worklistItemSchema()
{
    using Poco::JSON::Object;
    Poco::JSON::Parser parser;
    auto schema = parser.parse(ResourceDocs(domain::milestoneSpec()).recordSchema()).extract<Object::Ptr>();
    std::vector<std::string> reasons;
    for (const auto reason :
         {service::UpdateReason::Overdue, service::UpdateReason::DueSoon, service::UpdateReason::Stale})
        reasons.emplace_back(service::reasonName(reason));
    const std::vector<std::pair<std::string, std::string>> added{
        {"project_code", R"({"type":"string"})"},
        {"project_title", R"({"type":"string"})"},
        {"reasons", R"({"type":"array","minItems":1,"uniqueItems":true,"items":)" + enumSchema(reasons) + "}"},
        {"overdue_days",
         R"({"type":"integer","minimum":0,"description":"as_of - due when due is before as_of, else 0"})"},
        {"days_left", R"({"type":"integer","description":"due - as_of; negative when overdue"})"},
        {"days_untouched",
         R"({"type":"integer","minimum":0,"description":"as_of - the day of its last change; 0 when changed after as_of"})"},
    };
    for (const auto& [name, text] : added)
    {
        schema->getObject("properties")->set(name, parser.parse(text));
        schema->getArray("required")->add(name);
    }
    schema->set("description", "A milestone (as GET /milestones/{id} shows it) that needs its lead's update, and why");
    std::ostringstream out;
    schema->stringify(out);
    return out.str();
}

RouteDoc needsUpdateDoc(const service::WorklistWindow& defaults)
{
    using service::WorklistWindow;
    RouteDoc doc;
    doc.summary = "The milestones that need my update";
    doc.description = "Across the projects the caller leads, the open milestones that are overdue, due within the "
                      "look-ahead or untouched for the stale days, most overdue first. Partners are refused (403).";
    doc.parameters = {asOfParameter(),
                      {"look_ahead_days", "query", "list those due within this many days",
                       R"({"type":"integer","minimum":0,"maximum":)" +
                           std::to_string(WorklistWindow::MAX_LOOK_AHEAD_DAYS) + R"(,"default":)" +
                           std::to_string(defaults.lookAheadDays) + "}",
                       false},
                      {"stale_days", "query", "list those not changed for this many days",
                       R"({"type":"integer","minimum":1,"maximum":)" + std::to_string(WorklistWindow::MAX_STALE_DAYS) +
                           R"(,"default":)" + std::to_string(defaults.staleDays) + "}",
                       false}};
    doc.responses = {{200, "The worklist", {{"application/json", schemaRef("NeedsUpdate")}}, {}}};
    doc.schemas = {
        {"NeedsUpdate",
         R"({"type":"object","description":"The milestones that need the caller's update","properties":{)"
         R"("as_of":{"type":"string","format":"date"},)"
         R"("look_ahead_days":{"type":"integer","minimum":0},"stale_days":{"type":"integer","minimum":1},)"
         R"("items":{"type":"array","maxItems":)" +
             std::to_string(service::LeadWorklist::MAX_ITEMS) + R"(,"items":)" + schemaRef("NeedsUpdateItem") +
             R"(},"total":{"type":"integer","minimum":0,"description":"every milestone that needs an update, )"
             R"(listed or not"}},"required":["as_of","look_ahead_days","stale_days","items","total"],)"
             R"("additionalProperties":false})"},
        {"NeedsUpdateItem", worklistItemSchema()}};
    return doc;
}
} // namespace

void addLeadApi(Router& router, const service::LeadWorklist& worklist)
{
    // Signed in, and no body: LeadWorklist asks the AccessPolicy, which refuses partners (403).
    router.add(
        "GET", API + "/me/needs-update",
        [&worklist](ApiRequest& request) {
            const auto parsed = worklistRequest(request, worklist.defaults());
            return ApiResponse::json(
                200, worklistJson(worklist.needsUpdate(request.principal(), parsed.asOf, parsed.window)));
        },
        RouteOptions{Access::SignedIn, 0}, needsUpdateDoc(worklist.defaults()));
}

} // namespace captrack::http
