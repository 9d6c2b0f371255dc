#pragma once

#include <Poco/JSON/Object.h>

#include <string>

namespace captrack::report
{

/// A rendered report: its body and its media type.
struct Rendered
{
    std::string body;
    std::string contentType;
};

/// Renders a status summary (the JSON of buildStatusSummary) as `md`, `html` or `txt`, with the
/// same numbers as the JSON. BadRequestError for another format.
[[nodiscard]] Rendered renderSummary(const Poco::JSON::Object& summary, const std::string& format);

/// Renders a portfolio report (the JSON of buildPortfolioReport) as `csv` (RFC 4180, UTF-8, header
/// row), `md` or `html` (one self-contained page with inline SVG charts, fit to print), with the
/// same numbers as the JSON. BadRequestError for another format.
[[nodiscard]] Rendered renderPortfolio(const Poco::JSON::Object& report, const std::string& format);

/// BadRequestError unless a portfolio report can be given in `format` (`json` or one renderPortfolio
/// renders): for checking before anything is built.
void checkPortfolioFormat(const std::string& format);

} // namespace captrack::report
