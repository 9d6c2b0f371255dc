#include "captrack/service/ListFilters.h"

#include "captrack/Errors.h"
#include "captrack/domain/Specs.h"

#include <Poco/NumberParser.h>
#include <Poco/UTF8String.h>

#include <algorithm>

namespace captrack::service
{

using Poco::Dynamic::Var;
using storage::Condition;

namespace
{
std::string questionMarks(std::size_t n)
{
    std::string marks;
    for (std::size_t i = 0; i < n; ++i)
        marks += i ? ", ?" : "?";
    return marks;
}

bool isId(const std::string& value)
{
    return !value.empty() && value.size() <= 18 && value.find_first_not_of("0123456789") == std::string::npos;
}

/// `table.id IN (...)` or `table.code IN (...)` for a list mixing ids and codes.
Condition codeOrId(const std::string& alias, const std::vector<std::string>& values)
{
    std::vector<Var> ids, codes;
    for (const auto& value : values)
        isId(value) ? ids.emplace_back(Poco::NumberParser::parse64(value)) : codes.emplace_back(value);
    Condition condition;
    if (!ids.empty())
        condition.sql = alias + ".id IN (" + questionMarks(ids.size()) + ")";
    if (!codes.empty())
        condition.sql +=
            (condition.sql.empty() ? "" : " OR ") + alias + ".code IN (" + questionMarks(codes.size()) + ")";
    condition.values = ids;
    condition.values.insert(condition.values.end(), codes.begin(), codes.end());
    return condition;
}

Condition wrap(const std::string& prefix, Condition inner, const std::string& suffix)
{
    inner.sql = prefix + "(" + inner.sql + ")" + suffix;
    return inner;
}
} // namespace

Condition fieldFilter(const domain::FieldSpec& field, const std::vector<std::string>& values)
{
    Condition condition{field.name + " IN (" + questionMarks(values.size()) + ")", {}};
    for (const auto& value : values)
    {
        if (field.kind == domain::FieldKind::Choice &&
            std::find(field.choices.begin(), field.choices.end(), value) == field.choices.end())
            throw BadRequestError("query parameter " + field.name + ": '" + value + "' is not one of its values");
        if (field.kind == domain::FieldKind::Boolean)
        {
            if (value != "true" && value != "false")
                throw BadRequestError("query parameter " + field.name + " must be true or false");
            condition.values.emplace_back(Poco::Int64(value == "true" ? 1 : 0));
        }
        else if (field.kind == domain::FieldKind::Id || field.kind == domain::FieldKind::Integer)
        {
            if (!isId(value))
                throw BadRequestError("query parameter " + field.name + " must be an id");
            condition.values.emplace_back(Poco::NumberParser::parse64(value));
        }
        else
        {
            condition.values.emplace_back(value);
        }
    }
    return condition;
}

Condition textSearch(const std::vector<std::string>& columns, const std::string& text)
{
    // `!` escapes LIKE's wildcards the same way in SQLite and MySQL.
    std::string pattern = "%";
    for (char c : Poco::UTF8::toLower(text))
    {
        if (c == '%' || c == '_' || c == '!')
            pattern += '!';
        pattern += c;
    }
    pattern += "%";
    Condition condition;
    for (const auto& column : columns)
    {
        condition.sql += (condition.sql.empty() ? "" : " OR ") + std::string("LOWER(") + column + ") LIKE ? ESCAPE '!'";
        condition.values.emplace_back(pattern);
    }
    return condition;
}

std::vector<ListFilter> projectFilters()
{
    return {
        {"partner",
         [](const std::vector<std::string>& values) {
             return wrap(
                 "id IN (SELECT c.project_id FROM contributions c JOIN partners p ON p.id = c.partner_id WHERE ",
                 codeOrId("p", values), ")");
         }},
        {"framework",
         [](const std::vector<std::string>& values) {
             for (const auto& value : values)
                 if (std::find(domain::frameworkCodes().begin(), domain::frameworkCodes().end(), value) ==
                     domain::frameworkCodes().end())
                     throw BadRequestError("query parameter framework: '" + value + "' is not a framework");
             Condition c{"p.framework IN (" + questionMarks(values.size()) + ")",
                         std::vector<Var>(values.begin(), values.end())};
             return wrap(
                 "id IN (SELECT c.project_id FROM contributions c JOIN partners p ON p.id = c.partner_id WHERE ", c,
                 ")");
         }},
        {"mission",
         [](const std::vector<std::string>& values) {
             return wrap(
                 "id IN (SELECT l.project_id FROM mission_links l JOIN missions m ON m.id = l.mission_id WHERE ",
                 codeOrId("m", values), ")");
         }},
        {"objective",
         [](const std::vector<std::string>& values) {
             return Condition{"id IN (SELECT project_id FROM project_objectives WHERE objective_code IN (" +
                                  questionMarks(values.size()) + "))",
                              std::vector<Var>(values.begin(), values.end())};
         }},
    };
}

} // namespace captrack::service
