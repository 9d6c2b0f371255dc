#include "captrack/report/Renderers.h"

#include "RenderFormats.h"

#include "captrack/Errors.h"

namespace captrack::report
{

namespace
{
const char* const MARKDOWN = "text/markdown; charset=utf-8";
const char* const HTML = "text/html; charset=utf-8";
const char* const PLAIN_TEXT = "text/plain; charset=utf-8";
const char* const CSV = "text/csv; charset=utf-8";

const char* const PORTFOLIO_FORMATS = "json, csv, md, html";

[[noreturn]] void rejectFormat(const std::string& format, const char* supported)
{
    throw BadRequestError("format '" + format + "' is not supported here; use one of " + supported);
}
} // namespace

Rendered renderSummary(const Poco::JSON::Object& summary, const std::string& format)
{
    if (format == "md")
        return {detail::summaryMarkdown(summary), MARKDOWN};
    if (format == "html")
        return {detail::summaryHtml(summary), HTML};
    if (format == "txt")
        return {detail::summaryPlainText(summary), PLAIN_TEXT};
    rejectFormat(format, "json, md, html, txt");
}

Rendered renderPortfolio(const Poco::JSON::Object& report, const std::string& format)
{
    if (format == "csv")
        return {detail::portfolioCsv(report), CSV};
    if (format == "md")
        return {detail::portfolioMarkdown(report), MARKDOWN};
    if (format == "html")
        return {detail::portfolioHtml(report), HTML};
    rejectFormat(format, PORTFOLIO_FORMATS);
}

void checkPortfolioFormat(const std::string& format)
{
    if (format != "json" && format != "csv" && format != "md" && format != "html")
        rejectFormat(format, PORTFOLIO_FORMATS);
}

} // namespace captrack::report
