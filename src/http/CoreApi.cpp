#include "captrack/http/CoreApi.h"

#include "CoreDocs.h"

#include "captrack/Errors.h"
#include "captrack/domain/Wording.h"
#include "captrack/http/ReportApi.h"
#include "captrack/http/RequestParameters.h"
#include "captrack/http/ResourceRoutes.h"
#include "captrack/service/Catalogue.h"
#include "captrack/service/RecordJson.h"

#include <Poco/JSON/Object.h>

namespace captrack::http
{

using Poco::Dynamic::Var;

namespace
{
const std::string API = API_ROOT;

void addProbes(Router& router, storage::Database& database)
{
    router.add(
        "GET", "/healthz",
        [](ApiRequest&) {
            Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
            body->set("status", "ok");
            return ApiResponse::json(200, body);
        },
        {Access::Public, 0}, docs::healthz());
    router.add(
        "GET", "/readyz",
        [&database](ApiRequest&) {
            const bool ready = database.ready();
            Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
            body->set("status", ready ? "ready" : "database unreachable");
            return ApiResponse::json(ready ? 200 : 503, body);
        },
        {Access::Public, 0}, docs::readyz());
}

void addReferenceData(Router& router, const service::ResourceService& resources)
{
    const auto& c = service::Catalogue::instance();
    addResourceRoutes(router, resources, {c.partners, std::string(API) + "/partners", "", {}, nullptr, nullptr});
    addResourceRoutes(router, resources, {c.missions, std::string(API) + "/missions", "", {}, nullptr, nullptr});
    addResourceRoutes(router, resources,
                      {c.capabilityAreas, std::string(API) + "/capability-areas", "", {}, nullptr, nullptr});
    addResourceRoutes(router, resources, {c.objectives, std::string(API) + "/objectives", "", {}, nullptr, nullptr});
}

void addPortfolio(Router& router, const service::ResourceService& resources)
{
    const auto& c = service::Catalogue::instance();
    const std::string project = std::string(API) + "/projects/{parent}";
    addResourceRoutes(router, resources,
                      {c.projects, std::string(API) + "/projects", "", service::projectFilters(), nullptr, nullptr});
    addResourceRoutes(
        router, resources,
        {c.milestones, project + "/milestones", std::string(API) + "/milestones/{id}", {}, nullptr, nullptr});
    addResourceRoutes(
        router, resources,
        {c.contributions, project + "/contributions", std::string(API) + "/contributions/{id}", {}, nullptr, nullptr});
    // Mission links are addressed by their project and mission (id or code).
    addResourceRoutes(
        router, resources,
        {c.missionLinks,
         project + "/missions",
         project + "/missions/{id}",
         {},
         [&resources, &c](const ApiRequest& request) {
             const Poco::Int64 projectId = request.idParam("parent");
             const Poco::Int64 missionId = idOrCode(resources, c.missions, request, "id", IdCheck::Now);
             const auto link = resources.findMissionLink(request.principal(), projectId, missionId);
             if (!link)
                 throw NotFoundError("the project has no link to that mission");
             return *link;
         },
         [](const domain::Record& link) {
             return std::string(API) + "/projects/" + std::to_string(*domain::intField(link, "project_id")) +
                    "/missions/" + std::to_string(*domain::intField(link, "mission_id"));
         },
         {"id", "path", "the linked mission's id, or its code", R"({"type":"string","minLength":1})", true}});

    // A partner's contributions, also as a workbook (format=xlsx): the same page, redacted the same way.
    router.add(
        "GET", std::string(API) + "/partners/{parent}/contributions",
        [&resources, &c](ApiRequest& request) {
            const auto format = report::listFormat(request.queryValue("format").value_or("json"));
            const Poco::Int64 partnerId = idOrCode(resources, c.partners, request, "parent", IdCheck::Now);
            auto query =
                parseListQuery(request, c.contributions.spec, {}, {"partner_id"},
                               resources.policy().hiddenFields(request.principal(), c.contributions), {"format"});
            query.conditions.push_back(service::belongsTo("partner_id", partnerId));
            const auto page = resources.list(request.principal(), c.contributions, query);
            if (format == report::ReportFormat::Json)
                return pageResponse(c.contributions.spec, page, query);
            return downloadResponse(report::renderRecordsXlsx({c.contributions.spec, "Contributions", page.items,
                                                               page.total, query.limit, query.offset}),
                                    format, "contributions-partner-" + std::to_string(partnerId));
        },
        {}, docs::partnerContributions());
}

void addSchedule(Router& router, const service::BaselineService& baselines)
{
    const std::string baselinesPath = std::string(API) + "/projects/{parent}/baselines";
    router.add(
        "GET", baselinesPath,
        [&baselines](ApiRequest& request) {
            allowOnly(request, {});
            return ApiResponse::json(200,
                                     service::listJson(baselines.list(request.principal(), request.idParam("parent"))));
        },
        {}, docs::listBaselines());
    router.add(
        "POST", baselinesPath,
        [&baselines, baselinesPath](ApiRequest& request) {
            const Poco::Int64 projectId = request.idParam("parent");
            const auto body = request.jsonBody();
            auto baseline = baselines.take(request.principal(), projectId, *body);
            ApiResponse response = ApiResponse::json(201, baseline);
            response.headers.emplace_back("Location", std::string(API) + "/projects/" + std::to_string(projectId) +
                                                          "/baselines/" + baseline->get("id").convert<std::string>());
            return response;
        },
        {}, docs::takeBaseline());
    router.add(
        "GET", baselinesPath + "/{id}",
        [&baselines](ApiRequest& request) {
            return ApiResponse::json(
                200, baselines.get(request.principal(), request.idParam("parent"), request.param("id")));
        },
        {}, docs::getBaseline());
    router.add(
        "GET", std::string(API) + "/milestones/{id}/history",
        [&baselines](ApiRequest& request) {
            allowOnly(request, {});
            return ApiResponse::json(
                200, service::listJson(baselines.milestoneHistory(request.principal(), request.idParam("id"))));
        },
        {}, docs::milestoneHistory());
}
} // namespace

void addCoreApi(Router& router, storage::Database& database, const service::ResourceService& resources,
                const service::BaselineService& baselines)
{
    addProbes(router, database);
    addReferenceData(router, resources);
    addPortfolio(router, resources);
    addSchedule(router, baselines);
}

} // namespace captrack::http
