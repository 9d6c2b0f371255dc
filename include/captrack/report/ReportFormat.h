#pragma once

#include "captrack/domain/Vocabulary.h"

namespace captrack::report
{

/// The formats a report can be given in (the `format` query parameter); which report takes which is
/// up to its renderer (report/Renderers.h). Parsed once at the edge with domain::parseName.
enum class ReportFormat
{
    Json,
    Csv,
    Markdown,
    Html,
    Text,
    Svg,
    Xlsx, ///< an Excel workbook (report/Renderers.h says which sheets)
};

} // namespace captrack::report

namespace captrack::domain
{
template <> struct Names<report::ReportFormat>
{
    static constexpr std::string_view set = "report_format";
    static constexpr std::array list{"json"sv, "csv"sv, "md"sv, "html"sv, "txt"sv, "svg"sv, "xlsx"sv};
};
} // namespace captrack::domain
