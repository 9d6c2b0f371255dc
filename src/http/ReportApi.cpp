#include "captrack/http/ReportApi.h"

#include "captrack/Errors.h"
#include "captrack/http/ReportDocs.h"
#include "captrack/http/ResourceRoutes.h"
#include "captrack/report/Renderers.h"
#include "captrack/report/TrendChart.h"

#include <Poco/StringTokenizer.h>

namespace captrack::http
{

using report::ReportFormat;

namespace
{
const std::string API = API_ROOT;

std::optional<domain::Date> asOfParam(const ApiRequest& request)
{
    const auto text = request.queryValue("as_of");
    if (!text)
        return std::nullopt;
    const auto date = domain::Date::parse(*text);
    if (!date)
        throw BadRequestError("query parameter as_of must be a date YYYY-MM-DD");
    return date;
}

/// The request's portfolio filters, date and list limit (format and grouping aside). BadRequestError for
/// an empty filter, a bad date or list limit.
report::PortfolioRequest portfolioRequest(const ApiRequest& request)
{
    report::PortfolioRequest portfolio;
    for (const auto& name : report::ReportService::filterNames())
        if (const auto value = request.queryValue(name))
        {
            Poco::StringTokenizer tokens(*value, ",",
                                         Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
            if (tokens.count() == 0)
                throw BadRequestError("query parameter " + name + " needs a value");
            portfolio.filters[name] = {tokens.begin(), tokens.end()};
        }
    portfolio.asOf = asOfParam(request);
    portfolio.listLimit = queryNumber(request, "list_limit", 0, report::PortfolioRequest::MAX_LIST_LIMIT,
                                      report::PortfolioRequest::MAX_LIST_LIMIT);
    return portfolio;
}

void addTrendRoute(Router& router, const report::ScheduleAnalysis& schedule)
{
    router.add(
        "GET", API + "/projects/{parent}/trend",
        [&schedule](ApiRequest& request) {
            allowOnly(request, {"baseline", "format"});
            const auto format = domain::parseName<ReportFormat>(request.queryValue("format").value_or("json"));
            if (format != ReportFormat::Json && format != ReportFormat::Svg)
                throw BadRequestError("format must be json or svg");
            const auto trend =
                schedule.trend(request.principal(), request.idParam("parent"), request.queryValue("baseline"));
            if (format == ReportFormat::Json)
                return ApiResponse::json(200, report::trendJson(trend));
            ApiResponse response;
            response.body = report::trendChartSvg(trend);
            response.contentType = report::contentTypeOf(ReportFormat::Svg);
            response.headers.emplace_back("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
            return response;
        },
        {}, trendDoc());
}

void addPortfolioRoute(Router& router, const report::ReportService& reports)
{
    router.add(
        "GET", API + "/reports/portfolio",
        [&reports](ApiRequest& request) {
            std::vector<std::string> allowed = report::ReportService::filterNames();
            allowed.insert(allowed.end(), {"group_by", "as_of", "format", "list_limit"});
            allowOnly(request, allowed);
            // A bad request is a 400 before it takes a permit: never a 503 while the permits are taken, never
            // a whole build thrown away for a format there is no renderer for.
            auto portfolio = portfolioRequest(request);
            const ReportFormat format = report::portfolioFormat(request.queryValue("format").value_or("json"));
            // The HTML report draws each project's timeline; a workbook lists the projects in a sheet.
            portfolio.includeProjects = format == ReportFormat::Html || format == ReportFormat::Xlsx;
            portfolio.groupBy = report::ReportService::grouping(request.queryValue("group_by").value_or("status"));
            reports.check(portfolio);
            // Held until the answer is rendered: the built report and its rendering are the memory to bound.
            const auto permit = reports.admit();
            const auto report = reports.portfolio(permit, request.principal(), portfolio);
            if (format == ReportFormat::Json)
                return ApiResponse::json(200, report::portfolioJson(report));
            return renderedReportResponse(report::renderPortfolio(report, format), format,
                                          "portfolio-" + report.asOf.toString());
        },
        {}, portfolioDoc());
}
} // namespace

ApiResponse renderedReportResponse(report::Rendered&& rendered, ReportFormat format, const std::string& filename)
{
    ApiResponse response = downloadResponse(std::move(rendered), format, filename);
    if (format == ReportFormat::Html)
        response.headers.emplace_back("Content-Security-Policy",
                                      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                                      "frame-ancestors 'none'");
    return response;
}

ApiResponse downloadResponse(report::Rendered&& rendered, ReportFormat format, const std::string& filename)
{
    ApiResponse response;
    response.body = std::move(rendered.body);
    response.contentType = std::move(rendered.contentType);
    if (format == ReportFormat::Csv || format == ReportFormat::Xlsx)
        response.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + filename + "." +
                                                                 std::string(domain::nameText(format)) + "\"");
    return response;
}

void addReportApi(Router& router, const report::ReportService& reports, const report::ScheduleAnalysis& schedule)
{
    addTrendRoute(router, schedule);
    router.add(
        "GET", API + "/missions/{id}/impact",
        [&reports, &schedule](ApiRequest& request) {
            allowOnly(request, {"as_of"});
            const auto asOf = asOfParam(request);
            // Every project supporting the mission, with all its milestones: a report build too.
            const auto permit = reports.admit();
            return ApiResponse::json(
                200, report::missionImpactJson(schedule.missionImpact(request.principal(), request.param("id"), asOf)));
        },
        {}, missionImpactDoc());
    router.add(
        "GET", API + "/projects/{parent}/summary",
        [&reports](ApiRequest& request) {
            allowOnly(request, {"as_of", "format"});
            const std::string formatText = request.queryValue("format").value_or("json");
            const auto summary = reports.summary(request.principal(), request.idParam("parent"), asOfParam(request));
            const ReportFormat format = report::summaryFormat(formatText);
            if (format == ReportFormat::Json)
                return ApiResponse::json(200, report::summaryJson(summary));
            return renderedReportResponse(report::renderSummary(summary, format), format,
                                          "summary-" + summary.projectCode);
        },
        {}, summaryDoc());
    addPortfolioRoute(router, reports);
}

} // namespace captrack::http
