#include "SnapshotDocs.h"

#include "captrack/domain/Vocabulary.h"
#include "captrack/report/Grouping.h"
#include "captrack/report/Renderers.h"
#include "captrack/report/SnapshotService.h"

namespace captrack::http::docs
{

namespace
{
const std::string JSON = "application/json";

std::string quotedList(const std::vector<std::string>& names)
{
    std::string out;
    for (const auto& name : names)
        out += (out.empty() ? "\"" : ",\"") + name + "\"";
    return out;
}

std::string formatNames()
{
    std::vector<std::string> names;
    for (const auto format : report::SnapshotService::formats())
        names.emplace_back(domain::nameText(format));
    return quotedList(names);
}

std::string snapshotSchema()
{
    return R"JSON({"type":"object","description":"A published report snapshot: what it is, not its figures",
"properties":{
 "id":{"type":"integer"},
 "name":{"type":"string"},
 "as_of":{"type":"string","format":"date"},
 "group_by":{"enum":[)JSON" +
           quotedList(domain::namesOf<report::Grouping>()) + R"JSON(]},
 "filters":{"type":"object","additionalProperties":{"type":"array","items":{"type":"string"}}},
 "list_limit":{"type":"integer","minimum":0},
 "published_by":{"type":["integer","null"],"description":"the publishing user; null for a schedule"},
 "published_at":{"type":"string","format":"date-time"},
 "content_hash":{"type":"string","pattern":"^[0-9a-f]{64}$","description":"SHA-256 of the JSON rendering"},
 "schedule_period":{"type":["string","null"],"description":"the period a schedule published it for"},
 "formats":{"type":"array","items":{"enum":[)JSON" +
           formatNames() + R"JSON(]}}},
"required":["id","name","as_of","group_by","filters","list_limit","published_by","published_at","content_hash",
 "schedule_period","formats"],"additionalProperties":false})JSON";
}

const char* PAGE_SCHEMA = R"JSON({"type":"object","properties":{
 "items":{"type":"array","items":{"$ref":"#/components/schemas/ReportSnapshot"}},
 "total":{"type":"integer","minimum":0},
 "limit":{"type":"integer","minimum":1,"maximum":500},
 "offset":{"type":"integer","minimum":0}},
"required":["items","total","limit","offset"],"additionalProperties":false})JSON";

ParamDoc snapshotParameter()
{
    return {"snapshot", "path", "the snapshot's id, or its name", R"({"type":"string","minLength":1})", true};
}

RouteDoc withSnapshotSchema(RouteDoc doc)
{
    doc.tag = "reports";
    doc.schemas.emplace_back("ReportSnapshot", snapshotSchema());
    return doc;
}
} // namespace

RouteDoc listSnapshots()
{
    RouteDoc doc;
    doc.summary = "List the published report snapshots, newest first";
    doc.description = "Staff only (partners: 403): a snapshot holds every partner's figures.";
    doc.parameters = {
        {"limit", "query", "at most this many (default 50)", R"({"type":"integer","minimum":1,"maximum":500})", false},
        {"offset", "query", "skip this many first", R"({"type":"integer","minimum":0,"maximum":1000000000})", false}};
    doc.responses = {{200, "A page of snapshots", {{JSON, PAGE_SCHEMA}}, {}}};
    return withSnapshotSchema(doc);
}

RouteDoc publishSnapshot()
{
    RouteDoc doc;
    doc.summary = "Publish the portfolio report under a name: an immutable snapshot";
    doc.description = "Reviewers and admins. Every format of the live report is rendered now and kept, with the "
                      "state it was built from; the snapshot is served back byte for byte from then on. 409 for a "
                      "name taken; 503 with Retry-After while every report permit is taken.";
    doc.requestSchema = R"JSON({"type":"object","properties":{
 "name":{"type":"string","minLength":1,"maxLength":100,"description":"one line, not all digits"},
 "group_by":{"enum":[)JSON" +
                        quotedList(domain::namesOf<report::Grouping>()) +
                        R"JSON(],"default":"status"},
 "as_of":{"type":"string","format":"date","description":"default: today"},
 "list_limit":{"type":"integer","minimum":0,"maximum":1000},
 "filters":{"type":"object","description":"the live report's filters: name -> values (or one comma-separated string)",
  "propertyNames":{"enum":[)JSON" +
                        quotedList(report::ReportService::filterNames()) +
                        R"JSON(]},
  "additionalProperties":{"oneOf":[{"type":"string"},{"type":"array","items":{"type":"string"},"minItems":1}]}}},
"required":["name"],"additionalProperties":false})JSON";
    doc.responses = {{201, "Published", {{JSON, schemaRef("ReportSnapshot")}}, {"Location"}}};
    return withSnapshotSchema(doc);
}

RouteDoc getSnapshot()
{
    RouteDoc doc;
    doc.summary = "Read what a snapshot is: its name, parameters, publisher and content hash";
    doc.parameters = {snapshotParameter()};
    doc.responses = {{200, "The snapshot", {{JSON, schemaRef("ReportSnapshot")}}, {}}};
    return withSnapshotSchema(doc);
}

RouteDoc snapshotPortfolio()
{
    RouteDoc doc;
    doc.tag = "reports";
    doc.summary = "A snapshot's portfolio report, as rendered at publication";
    doc.description = "Byte for byte what was stored, whatever changed since; the ETag is the rendering's SHA-256.";
    std::string formats;
    doc.parameters = {snapshotParameter(),
                      {"format", "query", "default json", R"({"enum":[)" + formatNames() + R"(]})", false}};
    ResponseDoc ok{200, "The report", {}, {"ETag", "Content-Disposition"}};
    for (const auto format : report::SnapshotService::formats())
        ok.content.push_back(
            {report::contentTypeOf(format), format == report::ReportFormat::Json ? schemaRef("PortfolioReport") : ""});
    doc.responses = {ok};
    return doc;
}

RouteDoc deleteSnapshot()
{
    RouteDoc doc;
    doc.tag = "reports";
    doc.summary = "Delete a snapshot and all it holds (admins; audited)";
    doc.description = "Takes no body (or `{}`).";
    doc.parameters = {snapshotParameter()};
    doc.responses = {{204, "Deleted", {}, {}}};
    return doc;
}

namespace
{
const char* TOTALS_SCHEMA = R"JSON({"type":"object","properties":{
 "projects":{"type":"integer"},
 "health":{"type":"object","properties":{"green":{"type":"integer"},"amber":{"type":"integer"},
  "red":{"type":"integer"},"none":{"type":"integer"}},"required":["green","amber","red","none"],
  "additionalProperties":false},
 "milestones":{"type":"object","properties":{"total":{"type":"integer"},"done":{"type":"integer"},
  "overdue":{"type":"integer"}},"required":["total","done","overdue"],"additionalProperties":false},
 "budget_eur":{"type":"integer"},
 "contributions":{"type":"object","properties":{"pledged_eur":{"type":"integer"},"committed_eur":{"type":"integer"},
  "delivered_eur":{"type":"integer"},"person_months":{"type":"number"}},
  "required":["pledged_eur","committed_eur","delivered_eur","person_months"],"additionalProperties":false}},
"required":["projects","health","milestones","budget_eur","contributions"],"additionalProperties":false})JSON";

const char* HEALTH_SIDE_SCHEMA = R"JSON({"type":"object","properties":{
 "declared":{"enum":["green","amber","red",null]},
 "computed":{"enum":["green","amber","red",null]},
 "effective":{"enum":["green","amber","red",null]},
 "reasons":{"type":"array","items":{"type":"string"}}},
"required":["declared","computed","effective","reasons"],"additionalProperties":false})JSON";

const char* CHANGES_SCHEMA = R"JSON({"type":"object","properties":{
 "from":{"type":"object","properties":{"snapshot":{"type":"string"},"as_of":{"type":"string","format":"date"}},
  "required":["snapshot","as_of"],"additionalProperties":false},
 "to":{"type":"object","properties":{"snapshot":{"type":"string","description":"a snapshot's name, or now"},
  "as_of":{"type":"string","format":"date"}},"required":["snapshot","as_of"],"additionalProperties":false},
 "totals":{"type":"object","properties":{"before":{"$ref":"#/components/schemas/ChangeTotals"},
  "after":{"$ref":"#/components/schemas/ChangeTotals"}},"required":["before","after"],"additionalProperties":false},
 "health":{"type":"array","items":{"type":"object","properties":{
  "project_id":{"type":"integer"},"project_code":{"type":"string"},"title":{"type":"string"},
  "from":{"$ref":"#/components/schemas/HealthSide"},"to":{"$ref":"#/components/schemas/HealthSide"}},
  "required":["project_id","project_code","title","from","to"],"additionalProperties":false}},
 "projects":{"type":"array","items":{"type":"object","properties":{
  "project_id":{"type":"integer"},"project_code":{"type":"string"},"title":{"type":"string"},
  "change":{"enum":["added","removed","closed","status","rebaselined"]},
  "from":{"type":["string","null"],"description":"the status, or the number of baselines"},
  "to":{"type":["string","null"]}},
  "required":["project_id","project_code","title","change","from","to"],"additionalProperties":false}},
 "milestones":{"type":"array","items":{"type":"object","properties":{
  "milestone_id":{"type":"integer"},"project_id":{"type":"integer"},"project_code":{"type":"string"},
  "title":{"type":"string"},"change":{"enum":["newly_overdue","slipped","completed","added","cancelled"]},
  "due_before":{"type":["string","null"],"format":"date"},"due_after":{"type":["string","null"],"format":"date"},
  "days":{"type":"integer","description":"days overdue (newly_overdue) or slipped (slipped)"}},
  "required":["milestone_id","project_id","project_code","title","change","due_before","due_after","days"],
  "additionalProperties":false}},
 "contributions":{"type":"array","items":{"type":"object","properties":{
  "contribution_id":{"type":"integer"},"project_id":{"type":"integer"},"project_code":{"type":"string"},
  "partner_code":{"type":"string"},"change":{"enum":["added","removed","state","amount"]},
  "state_before":{"enum":["pledged","committed","delivered",null]},
  "state_after":{"enum":["pledged","committed","delivered",null]},
  "amount_eur_before":{"type":"integer"},"amount_eur_after":{"type":"integer"}},
  "required":["contribution_id","project_id","project_code","partner_code","change","state_before","state_after",
   "amount_eur_before","amount_eur_after"],"additionalProperties":false}}},
"required":["from","to","totals","health","projects","milestones","contributions"],"additionalProperties":false})JSON";

const char* HISTORY_SCHEMA = R"JSON({"type":"object","properties":{
 "items":{"type":"array","items":{"type":"object","properties":{
  "snapshot_id":{"type":"integer"},"snapshot":{"type":"string"},
  "published_at":{"type":"string","format":"date-time"},"as_of":{"type":"string","format":"date"},
  "status":{"type":"string"},
  "declared_health":{"enum":["green","amber","red",null]},"declared_reason":{"type":["string","null"]},
  "computed_health":{"enum":["green","amber","red",null]},
  "health_reasons":{"type":"array","items":{"type":"string"}},
  "effective_health":{"enum":["green","amber","red",null]}},
  "required":["snapshot_id","snapshot","published_at","as_of","status","declared_health","declared_reason",
   "computed_health","health_reasons","effective_health"],"additionalProperties":false}},
 "total":{"type":"integer","minimum":0}},
"required":["items","total"],"additionalProperties":false})JSON";
} // namespace

RouteDoc portfolioChanges()
{
    RouteDoc doc;
    doc.tag = "reports";
    doc.summary = "What changed between two snapshots, or a snapshot and now";
    doc.description = "Health changes (from, to, the reasons on both sides), projects added, removed, closed or "
                      "re-baselined, milestones newly overdue, slipped further, completed, added or cancelled, "
                      "contributions that moved state or amount, and the totals before and after. `to=now` (the "
                      "default) compares with the live portfolio of the snapshot's filters, judged today. Staff only.";
    doc.parameters = {
        {"from", "query", "the earlier snapshot's id or name", R"({"type":"string","minLength":1})", true},
        {"to", "query", "the later snapshot's id or name, or now (default)", R"({"type":"string","minLength":1})",
         false},
        {"format", "query", "default json", R"({"enum":["json","csv","md","html"]})", false}};
    ResponseDoc ok{200, "The changes", {}, {"Content-Disposition"}};
    for (const auto format : {report::ReportFormat::Json, report::ReportFormat::Csv, report::ReportFormat::Markdown,
                              report::ReportFormat::Html})
        ok.content.push_back(
            {report::contentTypeOf(format), format == report::ReportFormat::Json ? schemaRef("PortfolioChanges") : ""});
    doc.responses = {ok};
    doc.schemas = {
        {"PortfolioChanges", CHANGES_SCHEMA}, {"ChangeTotals", TOTALS_SCHEMA}, {"HealthSide", HEALTH_SIDE_SCHEMA}};
    return doc;
}

RouteDoc healthHistory()
{
    RouteDoc doc;
    doc.summary = "A project's health at each report snapshot, oldest first";
    doc.description = "Staff only (partners: 403). Snapshots keep a project deleted since.";
    doc.parameters = {idParameter("parent", "the project's id")};
    doc.responses = {{200, "The project's health history", {{JSON, schemaRef("HealthHistory")}}, {}}};
    doc.schemas = {{"HealthHistory", HISTORY_SCHEMA}};
    return doc;
}

} // namespace captrack::http::docs
