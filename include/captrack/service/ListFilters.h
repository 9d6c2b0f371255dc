#pragma once

#include "captrack/domain/ResourceSpec.h"
#include "captrack/storage/RecordStore.h"

#include <functional>
#include <string>
#include <vector>

namespace captrack::service
{

/// A list filter beyond the spec's own filterable fields: query parameter name -> SQL condition
/// over the resource's table for the given values (already split at commas, at least one).
/// Throws BadRequestError for a value it cannot take.
struct ListFilter
{
    std::string name;
    std::function<storage::Condition(const std::vector<std::string>& values)> condition;
};

/// Project filters of DESIGN.md: partner (code or id), framework, mission (code or id), objective.
[[nodiscard]] std::vector<ListFilter> projectFilters();

/// The condition for `field IN (values)` on a spec field, checking choices and ids.
[[nodiscard]] storage::Condition fieldFilter(const domain::FieldSpec& field, const std::vector<std::string>& values);

/// The condition for a case-insensitive substring search over the given columns.
[[nodiscard]] storage::Condition textSearch(const std::vector<std::string>& columns, const std::string& text);

} // namespace captrack::service
