#pragma once

#include "captrack/domain/Vocabulary.h"

namespace captrack::report
{

/// How a portfolio report groups its projects (the `group_by` query parameter; docs/DOMAIN.md). Parsed
/// once at the edge with domain::parseName (report::ReportService::grouping).
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
template <> struct Names<report::Grouping>
{
    static constexpr std::string_view set = "group_by";
    static constexpr std::array list{"framework"sv, "partner"sv, "capability_area"sv, "objective"sv,
                                     "mission"sv,   "kind"sv,    "status"sv,          "health"sv};
};
} // namespace captrack::domain
