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

} // namespace captrack::http::docs
