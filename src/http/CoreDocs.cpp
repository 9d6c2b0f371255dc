#include "CoreDocs.h"

#include "captrack/domain/Specs.h"
#include "captrack/http/ResourceDocs.h"
#include "captrack/report/Renderers.h"
#include "captrack/service/AccessPolicy.h"

#include <algorithm>

namespace captrack::http::docs
{

namespace
{
const std::string JSON = "application/json";

const char* STATUS_SCHEMA = R"JSON({"type":"object","properties":{"status":{"type":"string"}},
"required":["status"],"additionalProperties":false})JSON";

const char* BASELINE_PROPERTIES = R"JSON(
 "id":{"type":"integer"},
 "project_id":{"type":"integer"},
 "name":{"type":"string"},
 "reason":{"type":"string"},
 "created_by":{"type":["integer","null"]},
 "created_at":{"type":"string","format":"date-time"})JSON";

std::string baselineSchema(bool withItems)
{
    std::string required = R"("id","project_id","name","reason","created_by","created_at")";
    std::string items;
    if (withItems)
    {
        required += R"(,"items")";
        items = R"JSON(,"items":{"type":"array","items":{"type":"object","properties":{
 "milestone_id":{"type":"integer"},
 "title":{"type":"string"},
 "baseline_date":{"type":["string","null"],"format":"date"},
 "previous_baseline_date":{"type":["string","null"],"format":"date"},
 "forecast_date":{"type":["string","null"],"format":"date"},
 "actual_date":{"type":["string","null"],"format":"date"},
 "status":{"type":["string","null"]}},
 "required":["milestone_id","title","baseline_date","previous_baseline_date","forecast_date","actual_date","status"],
 "additionalProperties":false}})JSON";
    }
    return std::string(R"({"type":"object","properties":{)") + BASELINE_PROPERTIES + items + R"(},"required":[)" +
           required + R"(],"additionalProperties":false})";
}

const char* HISTORY_SCHEMA = R"JSON({"type":"object","properties":{
 "items":{"type":"array","items":{"type":"object","properties":{
  "id":{"type":"integer"},
  "milestone_id":{"type":"integer"},
  "project_id":{"type":"integer"},
  "at":{"type":"string","format":"date-time"},
  "user_id":{"type":["integer","null"]},
  "action":{"type":"string"},
  "baseline_date":{"type":["string","null"],"format":"date"},
  "forecast_date":{"type":["string","null"],"format":"date"},
  "actual_date":{"type":["string","null"],"format":"date"},
  "status":{"type":["string","null"]},
  "progress":{"type":["integer","null"]}},
  "required":["id","milestone_id","project_id","at","user_id","action","baseline_date","forecast_date",
   "actual_date","status","progress"],"additionalProperties":false}},
 "total":{"type":"integer","minimum":0}},
"required":["items","total"],"additionalProperties":false})JSON";

std::string listOf(const std::string& name)
{
    return R"({"type":"object","properties":{"items":{"type":"array","items":)" + schemaRef(name) +
           R"(},"total":{"type":"integer","minimum":0}},"required":["items","total"],"additionalProperties":false})";
}

ParamDoc project()
{
    return idParameter("parent", "the project's id");
}

RouteDoc probe(const std::string& summary)
{
    RouteDoc doc;
    doc.tag = "service";
    doc.summary = summary;
    doc.schemas = {{"ProbeStatus", STATUS_SCHEMA}};
    return doc;
}
} // namespace

RouteDoc healthz()
{
    RouteDoc doc = probe("Liveness: the process answers");
    doc.responses = {{200, "Alive: {\"status\": \"ok\"}", {{JSON, schemaRef("ProbeStatus")}}, {}}};
    return doc;
}

RouteDoc readyz()
{
    RouteDoc doc = probe("Readiness: the database answers");
    doc.responses = {{200, "Ready", {{JSON, schemaRef("ProbeStatus")}}, {}},
                     {503, "The database is unreachable", {{JSON, schemaRef("ProbeStatus")}}, {}}};
    return doc;
}

RouteDoc partnerContributions()
{
    const auto& policy = service::AccessPolicy::redactedContributionFields();
    const ResourceDocs contributions(domain::contributionSpec(), {policy.begin(), policy.end()});
    RouteDoc doc = contributions.listDoc({}, "contributions of a partner");
    doc.tag = "partners";
    doc.description += " Another partner's amounts and details are null, as on every route.";
    doc.parameters.erase(std::remove_if(doc.parameters.begin(), doc.parameters.end(),
                                        [](const ParamDoc& p) { return p.name == "partner_id"; }),
                         doc.parameters.end());
    doc.parameters.insert(doc.parameters.begin(), {"parent", "path", "the partner's id, or its code",
                                                   R"({"type":"string","minLength":1})", true});
    doc.parameters.push_back({"format", "query", "json (default) or xlsx, a workbook of the same page",
                              R"({"enum":["json","xlsx"]})", false});
    doc.responses.front().content.push_back({report::contentTypeOf(report::ReportFormat::Xlsx), ""});
    doc.responses.front().headers.push_back("Content-Disposition");
    return doc;
}

RouteDoc listBaselines()
{
    RouteDoc doc;
    doc.summary = "List a project's baselines";
    doc.parameters = {project()};
    doc.responses = {{200, "The baselines", {{JSON, listOf("Baseline")}}, {}}};
    doc.schemas = {{"Baseline", baselineSchema(false)}};
    return doc;
}

RouteDoc takeBaseline()
{
    RouteDoc doc;
    doc.summary = "Take a baseline: the project's milestone dates, kept under a name";
    doc.parameters = {project()};
    doc.requestSchema = R"JSON({"type":"object","properties":{
"name":{"type":"string","minLength":1,"maxLength":100,"description":"not all digits"},
"reason":{"type":"string","minLength":1,"maxLength":1000}},
"required":["name","reason"],"additionalProperties":false})JSON";
    doc.responses = {{201, "Taken", {{JSON, schemaRef("BaselineWithItems")}}, {"Location"}}};
    doc.schemas = {{"BaselineWithItems", baselineSchema(true)}};
    return doc;
}

RouteDoc getBaseline()
{
    RouteDoc doc;
    doc.summary = "Read a baseline with its milestones";
    doc.parameters = {project(),
                      {"id", "path", "the baseline's id, or its name", R"({"type":"string","minLength":1})", true}};
    doc.responses = {{200, "The baseline", {{JSON, schemaRef("BaselineWithItems")}}, {}}};
    doc.schemas = {{"BaselineWithItems", baselineSchema(true)}};
    return doc;
}

RouteDoc milestoneHistory()
{
    RouteDoc doc;
    doc.summary = "A milestone's history: every change of its dates, status and progress";
    doc.parameters = {idParameter("id", "the milestone's id")};
    doc.responses = {{200, "The changes", {{JSON, schemaRef("MilestoneHistory")}}, {}}};
    doc.schemas = {{"MilestoneHistory", HISTORY_SCHEMA}};
    return doc;
}

} // namespace captrack::http::docs
