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
};

/// How a portfolio report groups its projects (the `group_by` query parameter; docs/DOMAIN.md).
enum class Grouping
{
    Framework,
    Partner,
    CapabilityArea,
    Objective,
    Mission,
    Kind,
    Status,
    Health,
};

} // namespace captrack::report

namespace captrack::domain
{
template <> struct Names<report::ReportFormat>
{
    static constexpr std::string_view set = "report_format";
    static constexpr std::array list{"json"sv, "csv"sv, "md"sv, "html"sv, "txt"sv, "svg"sv};
};
template <> struct Names<report::Grouping>
{
    static constexpr std::string_view set = "group_by";
    static constexpr std::array list{"framework"sv, "partner"sv, "capability_area"sv, "objective"sv,
                                     "mission"sv,   "kind"sv,    "status"sv,          "health"sv};
};
} // namespace captrack::domain
