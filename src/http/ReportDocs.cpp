#include "captrack/http/ReportDocs.h"

#include "captrack/Errors.h"
#include "captrack/domain/Specs.h"
#include "captrack/domain/Vocabulary.h"
#include "captrack/report/Grouping.h"
#include "captrack/report/Renderers.h"
#include "captrack/report/ReportService.h"
#include "captrack/service/ListFilters.h"

#include <utility>

namespace captrack::http
{

using report::ReportFormat;

namespace
{
const std::string DATE = R"({"type":"string","format":"date"})";
const std::string NULLABLE_DATE = R"({"type":["string","null"],"format":"date"})";
const std::string ID = R"({"type":"integer","minimum":1})";
const std::string COUNT = R"({"type":"integer","minimum":0})";
const std::string DAYS = R"({"type":"integer"})";
const std::string TEXT = R"({"type":"string"})";
const std::string EUROS = R"({"type":"integer","minimum":0})";
const std::string PERSON_MONTHS = R"({"type":"number","minimum":0})";

using Members = std::vector<std::pair<std::string, std::string>>;

/// `{"type":"object", <extra> "properties":{...},"required":[...],"additionalProperties":false}`: an
/// object with these members and no other. `extra` is more of the schema (a description), ending in a comma.
std::string objectSchema(const Members& members, const std::vector<std::string>& required,
                         const std::string& extra = "")
{
    std::string properties;
    for (const auto& [name, schema] : members)
        properties += (properties.empty() ? "\"" : ",\"") + name + "\":" + schema;
    std::string names;
    for (const auto& name : required)
        names += (names.empty() ? "\"" : ",\"") + name + "\"";
    return R"({"type":"object",)" + extra + R"("properties":{)" + properties + R"(},"required":[)" + names +
           R"(],"additionalProperties":false})";
}

/// An object whose members are always all there.
std::string closedObject(const Members& members, const std::string& extra = "")
{
    std::vector<std::string> required;
    for (const auto& member : members)
        required.push_back(member.first);
    return objectSchema(members, required, extra);
}

std::string arrayOf(const std::string& items, const std::string& extra = "")
{
    return R"({"type":"array",)" + extra + R"("items":)" + items + "}";
}

/// What the portfolio's `health` filter takes: a health's name, or none.
std::string healthFilterDescription()
{
    std::string description = "projects whose effective health is one of these:";
    for (const auto& health : domain::namesOf<domain::Health>())
        description += " " + health + ",";
    return description + " none (no health)";
}

std::string nullableHealth()
{
    return enumSchema(domain::namesOf<domain::Health>(), true);
}

/// The formats `parse` (report::summaryFormat, report::portfolioFormat) accepts, in ReportFormat's order:
/// the renderers' own sets, so that the document cannot offer a format the route refuses.
std::vector<ReportFormat> formatsOf(ReportFormat (*parse)(const std::string&))
{
    std::vector<ReportFormat> out;
    for (const auto format : domain::allValues<ReportFormat>())
    {
        try
        {
            out.push_back(parse(domain::nameText(format)));
        }
        catch (const BadRequestError&)
        {
            // not one of this report's formats
        }
    }
    return out;
}

/// The 200 of a report in `formats`: the JSON one keeps `jsonSchema`, the others are documents.
ResponseDoc reportResponse(const std::string& description, const std::vector<ReportFormat>& formats,
                           const std::string& jsonSchema)
{
    ResponseDoc response{200, description, {}, {}};
    for (const auto format : formats)
    {
        response.content.push_back({report::contentTypeOf(format), format == ReportFormat::Json ? jsonSchema : ""});
        // downloadResponse makes these two a download.
        if (format == ReportFormat::Csv || format == ReportFormat::Xlsx)
            response.headers = {"Content-Disposition"};
    }
    return response;
}

ParamDoc formatParameter(const std::vector<ReportFormat>& formats)
{
    std::vector<std::string> names;
    for (const auto format : formats)
        names.push_back(domain::nameText(format));
    std::string schema = enumSchema(names);
    schema.insert(schema.size() - 1, R"(,"default":"json")");
    std::string description = "json (the default)";
    for (std::size_t i = 1; i < names.size(); ++i)
        description += (i + 1 == names.size() ? " or " : ", ") + names[i];
    return {"format", "query", description, schema, false};
}

ParamDoc projectParameter()
{
    return idParameter("parent", "the project's id (a decimal id; not its code)");
}

/// The members of a portfolio group's figures (report::GroupFigures), as PortfolioJson.cpp writes them.
Members figureMembers()
{
    Members health;
    for (const auto& name : domain::namesOf<domain::Health>())
        health.emplace_back(name, COUNT);
    health.emplace_back("none", COUNT);
    const std::string milestones = closedObject({{"total", COUNT}, {"done", COUNT}, {"overdue", COUNT}});
    const std::string contributions = closedObject(
        {{"pledged_eur", EUROS}, {"committed_eur", EUROS}, {"delivered_eur", EUROS}, {"person_months", PERSON_MONTHS}},
        R"J("description":"the contributions' euros by state and person-months (a partner: its own only)",)J");
    return {{"projects", COUNT},
            {"health", closedObject(health, R"("description":"projects by effective health",)")},
            {"milestones", milestones},
            {"budget_eur", EUROS},
            {"contributions", contributions}};
}

std::string portfolioRowSchema()
{
    Members members{{"key", R"({"type":["string","null"],"description":"the group's key; null for the projects )"
                            R"(without one"})"},
                    {"label", TEXT}};
    for (auto& member : figureMembers())
        members.push_back(std::move(member));
    return closedObject(members, R"("description":"one group of a portfolio report and its figures",)");
}

std::string listedMilestone(const std::string& daysKey)
{
    return closedObject({{"project_id", ID},
                         {"project_code", TEXT},
                         {"milestone_id", ID},
                         {"title", TEXT},
                         {"due", DATE},
                         {daysKey, COUNT}});
}

std::string portfolioSchema()
{
    Members filters;
    for (const auto& name : report::ReportService::filterNames())
        filters.emplace_back(name, arrayOf(TEXT, R"("minItems":1,)"));
    const std::string listLimit = std::to_string(report::PortfolioRequest::MAX_LIST_LIMIT);
    return closedObject(
        {{"as_of", DATE},
         {"group_by", enumSchema(domain::namesOf<report::Grouping>())},
         {"look_ahead_days", COUNT},
         {"filters", objectSchema(filters, {}, R"("description":"the filters given, each with its values",)")},
         {"rows", arrayOf(schemaRef("PortfolioRow"))},
         {"totals", schemaRef("PortfolioFigures")},
         {"overdue", arrayOf(listedMilestone("overdue_days"), R"("maxItems":)" + listLimit + ",")},
         {"overdue_total", COUNT},
         {"due_soon", arrayOf(listedMilestone("days_left"), R"("maxItems":)" + listLimit + ",")},
         {"due_soon_total", COUNT}},
        R"("description":"The portfolio report (docs/DOMAIN.md): a row per group, totals counting each project once, )"
        R"(the overdue and the due-soon milestones",)");
}

std::string trendMilestoneSchema()
{
    const std::string point =
        closedObject({{"at", R"({"type":"string","format":"date","description":"the day the forecast was recorded"})"},
                      {"due", NULLABLE_DATE}});
    return closedObject(
        {{"id", ID},
         {"title", TEXT},
         {"status", enumSchema(domain::namesOf<domain::MilestoneStatus>())},
         {"baseline_date", DATE},
         {"compared_to", R"({"type":"string","format":"date","description":"the compared baseline's date"})"},
         {"due", DATE},
         {"actual_date", NULLABLE_DATE},
         {"slip_days", R"({"type":"integer","description":"(actual_date when done, else due) - compared_to"})"},
         {"points", arrayOf(point, R"("description":"its recorded forecasts, oldest first",)")}},
        R"("description":"a milestone of a trend: its dates, slip and forecasts over time",)");
}

std::string trendSchema()
{
    return closedObject({{"project_id", ID},
                         {"project_code", TEXT},
                         {"baseline", R"({"type":["string","null"],"description":"the named baseline compared )"
                                      R"(with; null: the current baseline"})"},
                         {"milestones", arrayOf(schemaRef("TrendMilestone"))}},
                        R"("description":"The milestone trend of a project",)");
}

std::string projectImpactSchema()
{
    const std::string late = closedObject(
        {{"id", ID},
         {"title", TEXT},
         {"baseline_date", DATE},
         {"due", DATE},
         {"projected_finish", DATE},
         {"overdue_days", COUNT},
         {"slip_days", DAYS},
         {"pushed_days", COUNT},
         {"pushed_by", arrayOf(ID, R"("description":"predecessors projected to finish after it is due",)")}},
        R"("description":"a milestone that is overdue, slipped past amber or pushed by a predecessor",)");
    return closedObject({{"project_id", ID},
                         {"project_code", TEXT},
                         {"title", TEXT},
                         {"relation", enumSchema(domain::namesOf<domain::MissionRelation>())},
                         {"effective_health", nullableHealth()},
                         {"late_milestones", arrayOf(late)}},
                        R"("description":"a project supporting the mission, with its late milestones",)");
}

std::string missionImpactSchema()
{
    return closedObject({{"mission_id", ID},
                         {"mission_code", TEXT},
                         {"as_of", DATE},
                         {"projects", arrayOf(schemaRef("ProjectImpact"))},
                         {"projects_total", COUNT},
                         {"projects_with_late_milestones", COUNT}},
                        R"("description":"The impact of slips on a mission",)");
}

std::string summarySchema()
{
    const std::string milestones =
        closedObject({{"total", COUNT}, {"done", COUNT}, {"overdue", COUNT}, {"max_slip_days", DAYS}});
    // The object or null: the same schema with "null" among its types.
    std::string next = closedObject({{"id", ID}, {"title", TEXT}, {"due", DATE}},
                                    R"("description":"the open milestone due first; null when none is open",)");
    next.replace(0, std::string(R"({"type":"object")").size(), R"({"type":["object","null"])");
    const std::string contributions =
        closedObject({{"pledged_eur", EUROS},
                      {"committed_eur", EUROS},
                      {"delivered_eur", EUROS},
                      {"person_months", PERSON_MONTHS},
                      {"partners", COUNT},
                      {"by_framework", R"({"type":"object","description":"distinct partners by framework code",)"
                                       R"("additionalProperties":)" +
                                           COUNT + "}"}},
                     R"J("description":"visible amounts only (a partner: its own)",)J");
    return closedObject(
        {{"project_id", ID},
         {"project_code", TEXT},
         {"project_title", TEXT},
         {"project_status", enumSchema(domain::namesOf<domain::ProjectStatus>())},
         {"as_of", DATE},
         {"computed_health", nullableHealth()},
         {"health_reasons", arrayOf(TEXT)},
         {"declared_health", nullableHealth()},
         {"declared_reason", R"({"type":["string","null"],"description":"null when no health is declared"})"},
         {"effective_health", nullableHealth()},
         {"progress", R"({"type":"integer","minimum":0,"maximum":100})"},
         {"milestones", milestones},
         {"next_milestone", next},
         {"contributions", contributions},
         {"missions", arrayOf(TEXT, R"("description":"the codes of the missions it supports",)")},
         {"text", R"({"type":"string","description":"the summary in plain words"})"}},
        R"J("description":"The status summary of a project (docs/DOMAIN.md, \"Status summary rules\")",)J");
}
} // namespace

std::string enumSchema(const std::vector<std::string>& names, bool nullable)
{
    std::string values;
    for (const auto& name : names)
        values += (values.empty() ? "\"" : ",\"") + name + "\"";
    if (nullable)
        return R"({"type":["string","null"],"enum":[)" + values + ",null]}";
    return R"({"type":"string","enum":[)" + values + "]}";
}

ParamDoc asOfParameter()
{
    return {"as_of", "query", "the day to compute for, YYYY-MM-DD (default: today, UTC)", DATE, false};
}

RouteDoc trendDoc()
{
    RouteDoc doc;
    doc.summary = "A project's milestone trend";
    doc.description = "Each milestone's recorded forecasts over time and its slip against the current baseline or "
                      "a named one; as JSON or as an SVG chart.";
    doc.parameters = {projectParameter(),
                      {"baseline", "query",
                       "the name of a baseline of the project to compare with (default: the "
                       "current baseline); an unknown name is a 404",
                       TEXT, false},
                      formatParameter({ReportFormat::Json, ReportFormat::Svg})};
    doc.responses = {reportResponse("The trend", {ReportFormat::Json, ReportFormat::Svg}, schemaRef("Trend"))};
    doc.schemas = {{"Trend", trendSchema()}, {"TrendMilestone", trendMilestoneSchema()}};
    return doc;
}

RouteDoc portfolioDoc()
{
    RouteDoc doc;
    doc.summary = "The portfolio report";
    doc.description = "The projects the caller may see, grouped, with totals and the overdue and due-soon milestones "
                      "(a partner sees only its own amounts). Each filter takes comma-separated values: any of them.";
    for (const auto& name : report::ReportService::filterNames())
    {
        std::string description = "projects whose " + name + " is one of these";
        if (const auto* pField = domain::projectSpec().field(name); pField && !pField->choices.empty())
            for (std::size_t i = 0; i < pField->choices.size(); ++i)
                description += (i ? ", " : ": ") + pField->choices[i];
        else if (pField && !pField->refTable.empty())
            description += " (" + pField->refTable + " " + pField->refColumn + ")";
        for (const auto& filter : service::projectFilters())
            if (filter.name == name)
                description = filter.description;
        if (name == "health")
            description = healthFilterDescription();
        doc.parameters.push_back({name, "query", description + " (comma-separated)", TEXT, false});
    }
    std::string groupBy = enumSchema(domain::namesOf<report::Grouping>());
    groupBy.insert(groupBy.size() - 1, R"(,"default":"status")");
    const auto formats = formatsOf(report::portfolioFormat);
    const std::string maxList = std::to_string(report::PortfolioRequest::MAX_LIST_LIMIT);
    doc.parameters.push_back({"group_by", "query", "what a row groups (default status)", groupBy, false});
    doc.parameters.push_back(asOfParameter());
    doc.parameters.push_back(formatParameter(formats));
    doc.parameters.push_back(
        {"list_limit", "query",
         "at most this many items in overdue and in due_soon (their totals "
         "count them all)",
         R"({"type":"integer","minimum":0,"maximum":)" + maxList + R"(,"default":)" + maxList + "}", false});
    doc.responses = {reportResponse("The report; csv and xlsx are downloads (Content-Disposition)", formats,
                                    schemaRef("PortfolioReport"))};
    doc.schemas = {{"PortfolioReport", portfolioSchema()},
                   {"PortfolioRow", portfolioRowSchema()},
                   {"PortfolioFigures", closedObject(figureMembers(), R"("description":"the figures of all )"
                                                                      R"(projects, each counted once",)")}};
    return doc;
}

RouteDoc missionImpactDoc()
{
    RouteDoc doc;
    doc.summary = "The impact of slips on a mission";
    doc.description = "The projects supporting the mission that the caller may see, with their effective health and "
                      "their overdue, slipped or pushed milestones.";
    doc.parameters = {{"id", "path", "the mission's id, or its code", R"({"type":"string","minLength":1})", true},
                      asOfParameter()};
    doc.responses = {{200, "The mission's impact", {{"application/json", schemaRef("MissionImpact")}}, {}}};
    doc.schemas = {{"MissionImpact", missionImpactSchema()}, {"ProjectImpact", projectImpactSchema()}};
    return doc;
}

RouteDoc summaryDoc()
{
    RouteDoc doc;
    doc.summary = "A project's status summary";
    doc.description = "Computed, declared and effective health with reasons, progress, milestones, contributions "
                      "(a partner sees only its own amounts) and missions; in JSON or as a document.";
    const auto formats = formatsOf(report::summaryFormat);
    doc.parameters = {projectParameter(), asOfParameter(), formatParameter(formats)};
    doc.responses = {
        reportResponse("The summary; xlsx is a download (Content-Disposition)", formats, schemaRef("ProjectSummary"))};
    doc.schemas = {{"ProjectSummary", summarySchema()}};
    return doc;
}

} // namespace captrack::http
