#include "captrack/service/ListFilters.h"

#include "captrack/Errors.h"
#include "captrack/domain/DecimalId.h"
#include "captrack/domain/Specs.h"
#include "captrack/domain/Wording.h"
#include "captrack/storage/ListConditions.h"

#include <algorithm>

namespace captrack::service
{

using Poco::Dynamic::Var;
using storage::Condition;
using storage::ListConditions;

namespace
{
/// The values that are ids (decimal numbers) and the others, which are codes.
std::pair<std::vector<Poco::Int64>, std::vector<std::string>> idsAndCodes(const std::vector<std::string>& values)
{
    std::pair<std::vector<Poco::Int64>, std::vector<std::string>> split;
    for (const auto& value : values)
    {
        if (const auto id = domain::decimalNumber(value))
            split.first.push_back(*id);
        else
            split.second.push_back(value);
    }
    return split;
}

/// The value of one query parameter value for the field, checked against its type.
Var filterValue(const domain::FieldSpec& field, const std::string& value)
{
    if (field.kind == domain::FieldKind::Choice &&
        std::find(field.choices.begin(), field.choices.end(), value) == field.choices.end())
        throw BadRequestError("query parameter " + field.name + ": '" + value + "' is not one of its values");
    if (field.kind == domain::FieldKind::Boolean)
    {
        if (value != "true" && value != "false")
            throw BadRequestError("query parameter " + field.name + " must be true or false");
        return Var(Poco::Int64(value == "true" ? 1 : 0));
    }
    if (field.kind == domain::FieldKind::Id || field.kind == domain::FieldKind::Integer)
    {
        const auto number = domain::decimalNumber(value);
        if (!number)
            throw BadRequestError("query parameter " + field.name + " must be an id");
        return Var(*number);
    }
    return Var(value);
}

void checkFrameworks(const std::vector<std::string>& values)
{
    const auto& known = domain::frameworkCodes();
    for (const auto& value : values)
        if (std::find(known.begin(), known.end(), value) == known.end())
            throw BadRequestError("query parameter framework: '" + value + "' is not a framework");
}
} // namespace

Condition fieldFilter(const domain::FieldSpec& field, const std::vector<std::string>& values)
{
    std::vector<Var> typed;
    for (const auto& value : values)
        typed.push_back(filterValue(field, value));
    return ListConditions::fieldIn(field.name, typed);
}

Condition textSearch(const std::vector<std::string>& columns, const std::string& text)
{
    return ListConditions::textSearch(columns, text);
}

Condition belongsTo(const std::string& parentField, Poco::Int64 parentId)
{
    return ListConditions::fieldIs(parentField, Var(parentId));
}

std::vector<ListFilter> projectFilters()
{
    return {
        {"partner", "projects a partner (code or id) contributes to",
         [](const std::vector<std::string>& values) {
             const auto [ids, codes] = idsAndCodes(values);
             return ListConditions::projectsWithPartner(ids, codes);
         }},
        {"framework", "projects with a contribution from a partner of the framework (NATO, EAPC, MD, ICI, PATG, IO)",
         [](const std::vector<std::string>& values) {
             checkFrameworks(values);
             return ListConditions::projectsWithFramework(values);
         }},
        {"mission", "projects that support the mission (code or id)",
         [](const std::vector<std::string>& values) {
             const auto [ids, codes] = idsAndCodes(values);
             return ListConditions::projectsWithMission(ids, codes);
         }},
        {"objective", "projects that serve the objective (code)",
         [](const std::vector<std::string>& values) { return ListConditions::projectsWithObjective(values); }},
    };
}

storage::Condition filterByName(const domain::ResourceSpec& spec, const std::vector<ListFilter>& filters,
                                const std::string& name, const std::vector<std::string>& values,
                                const std::vector<std::string>& notFields)
{
    if (const auto* field = spec.field(name);
        field && field->filterable && std::find(notFields.begin(), notFields.end(), name) == notFields.end())
        return fieldFilter(*field, values);
    const auto filter =
        std::find_if(filters.begin(), filters.end(), [&name](const ListFilter& f) { return f.name == name; });
    if (filter == filters.end())
        throw BadRequestError(domain::unknownQueryParameter(name));
    return filter->condition(values);
}

} // namespace captrack::service
