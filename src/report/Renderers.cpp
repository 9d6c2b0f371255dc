#include "captrack/report/Renderers.h"

#include "RenderFormats.h"
#include "XlsxWorkbook.h"

#include "captrack/Errors.h"

#include <Poco/JSON/Stringifier.h>

#include <sstream>

namespace captrack::report
{

using domain::nameText;

namespace
{
const char* const JSON = "application/json";
const char* const MARKDOWN = "text/markdown; charset=utf-8";
const char* const HTML = "text/html; charset=utf-8";
const char* const PLAIN_TEXT = "text/plain; charset=utf-8";
const char* const CSV = "text/csv; charset=utf-8";
const char* const SVG = "image/svg+xml";

const char* const SUMMARY_FORMATS = "json, md, html, txt, xlsx";
const char* const PORTFOLIO_FORMATS = "json, csv, md, html, xlsx";
const char* const LIST_FORMATS = "json, xlsx";
const char* const CHANGES_FORMATS = "json, csv, md, html";

[[noreturn]] void rejectFormat(const std::string& format, const char* supported)
{
    throw BadRequestError("format '" + format + "' is not supported here; use one of " + supported);
}

/// As http::ApiResponse::json writes it.
std::string jsonText(const Poco::JSON::Object::Ptr& json)
{
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(json, out);
    return out.str();
}

ReportFormat formatOf(const std::string& text, std::initializer_list<ReportFormat> supported, const char* names)
{
    const auto format = domain::parseName<ReportFormat>(text);
    if (!format || std::find(supported.begin(), supported.end(), *format) == supported.end())
        rejectFormat(text, names);
    return *format;
}
} // namespace

ReportFormat summaryFormat(const std::string& text)
{
    using F = ReportFormat;
    return formatOf(text, {F::Json, F::Markdown, F::Html, F::Text, F::Xlsx}, SUMMARY_FORMATS);
}

ReportFormat portfolioFormat(const std::string& text)
{
    using F = ReportFormat;
    return formatOf(text, {F::Json, F::Csv, F::Markdown, F::Html, F::Xlsx}, PORTFOLIO_FORMATS);
}

ReportFormat changesFormat(const std::string& text)
{
    using F = ReportFormat;
    return formatOf(text, {F::Json, F::Csv, F::Markdown, F::Html}, CHANGES_FORMATS);
}

Rendered renderChanges(const PortfolioChanges& changes, ReportFormat format)
{
    switch (format)
    {
    case ReportFormat::Json:
        return {jsonText(detail::changesJson(changes)), JSON};
    case ReportFormat::Csv:
        return {detail::changesCsv(changes), CSV};
    case ReportFormat::Markdown:
        return {detail::changesMarkdown(changes), MARKDOWN};
    case ReportFormat::Html:
        return {detail::changesHtml(changes), HTML};
    default:
        rejectFormat(std::string(domain::nameText(format)), CHANGES_FORMATS);
    }
}

Poco::JSON::Object::Ptr changesJson(const PortfolioChanges& changes)
{
    return detail::changesJson(changes);
}

ReportFormat listFormat(const std::string& text)
{
    return formatOf(text, {ReportFormat::Json, ReportFormat::Xlsx}, LIST_FORMATS);
}

const char* contentTypeOf(ReportFormat format)
{
    switch (format)
    {
    case ReportFormat::Json:
        return JSON;
    case ReportFormat::Csv:
        return CSV;
    case ReportFormat::Markdown:
        return MARKDOWN;
    case ReportFormat::Html:
        return HTML;
    case ReportFormat::Text:
        return PLAIN_TEXT;
    case ReportFormat::Svg:
        return SVG;
    case ReportFormat::Xlsx:
        return detail::XLSX_CONTENT_TYPE;
    }
    return "application/octet-stream";
}

Poco::JSON::Object::Ptr summaryJson(const StatusSummary& summary)
{
    return detail::summaryJson(summary);
}

Rendered renderSummary(const StatusSummary& summary, ReportFormat format)
{
    switch (format)
    {
    case ReportFormat::Json:
        return {jsonText(detail::summaryJson(summary)), JSON};
    case ReportFormat::Markdown:
        return {detail::summaryMarkdown(summary), MARKDOWN};
    case ReportFormat::Html:
        return {detail::summaryHtml(summary), HTML};
    case ReportFormat::Text:
        return {detail::summaryPlainText(summary), PLAIN_TEXT};
    case ReportFormat::Xlsx:
        return {detail::summaryXlsx(summary), detail::XLSX_CONTENT_TYPE};
    default:
        rejectFormat(nameText(format), SUMMARY_FORMATS);
    }
}

Poco::JSON::Object::Ptr portfolioJson(const PortfolioReport& report)
{
    return detail::portfolioJson(report);
}

Poco::JSON::Object::Ptr trendJson(const Trend& trend)
{
    return detail::trendJson(trend);
}

Poco::JSON::Object::Ptr missionImpactJson(const MissionImpact& impact)
{
    return detail::missionImpactJson(impact);
}

Rendered renderRecordsXlsx(const RecordPage& page)
{
    return {detail::recordsXlsx(page), detail::XLSX_CONTENT_TYPE};
}

Rendered renderPortfolio(const PortfolioReport& report, ReportFormat format)
{
    switch (format)
    {
    case ReportFormat::Json:
        return {jsonText(detail::portfolioJson(report)), JSON};
    case ReportFormat::Csv:
        return {detail::portfolioCsv(report), CSV};
    case ReportFormat::Markdown:
        return {detail::portfolioMarkdown(report), MARKDOWN};
    case ReportFormat::Html:
        return {detail::portfolioHtml(report), HTML};
    case ReportFormat::Xlsx:
        return {detail::portfolioXlsx(report), detail::XLSX_CONTENT_TYPE};
    default:
        rejectFormat(nameText(format), PORTFOLIO_FORMATS);
    }
}

} // namespace captrack::report
