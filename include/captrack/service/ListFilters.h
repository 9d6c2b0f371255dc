#pragma once

#include "captrack/domain/ResourceSpec.h"
#include "captrack/storage/RecordStore.h"

#include <functional>
#include <string>
#include <vector>

namespace captrack::service
{

/// A list filter beyond the spec's own filterable fields: query parameter name -> condition over the
/// resource's table (an opaque storage::Condition, built by storage::ListConditions) for the given values
/// (already split at commas, at least one). Throws BadRequestError for a value it cannot take. The
/// functions below are pure and thread-safe.
struct ListFilter
{
    std::string name;
    std::string description; ///< what it keeps, for the OpenAPI document
    std::function<storage::Condition(const std::vector<std::string>& values)> condition;
};

/// Project filters of docs/HTTP.md: partner (code or id), framework, mission (code or id), objective.
[[nodiscard]] std::vector<ListFilter> projectFilters();

/// The condition for `field IN (values)` on a spec field; BadRequestError for a value that is not one of
/// its choices, not true/false (booleans) or not a decimal number of at most 18 digits (ids, integers).
[[nodiscard]] storage::Condition fieldFilter(const domain::FieldSpec& field, const std::vector<std::string>& values);

/// The condition for a case-insensitive substring search over the given columns.
[[nodiscard]] storage::Condition textSearch(const std::vector<std::string>& columns, const std::string& text);

/// The condition that keeps a nested resource's list to one parent: `parentField` (the spec's) is `parentId`.
[[nodiscard]] storage::Condition belongsTo(const std::string& parentField, Poco::Int64 parentId);

/// The condition of the query parameter `name` over `values`: a filterable field of `spec` (unless
/// `name` is one of `notFields`), else the one of `filters` with that name. Throws BadRequestError
/// naming an unknown query parameter when neither. Stateless.
[[nodiscard]] storage::Condition filterByName(const domain::ResourceSpec& spec, const std::vector<ListFilter>& filters,
                                              const std::string& name, const std::vector<std::string>& values,
                                              const std::vector<std::string>& notFields = {});

} // namespace captrack::service
