#include "captrack/http/ListQueryParser.h"

#include "captrack/Errors.h"
#include "captrack/domain/Wording.h"
#include "captrack/http/RequestParameters.h"
#include "captrack/service/RecordJson.h"

#include <Poco/JSON/Array.h>
#include <Poco/StringTokenizer.h>

namespace captrack::http
{

namespace
{
std::vector<std::string> splitValues(const std::string& name, const std::string& text)
{
    Poco::StringTokenizer tokens(text, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    if (tokens.count() == 0)
        throw BadRequestError("query parameter " + name + " needs a value");
    if (tokens.count() > 100)
        throw BadRequestError("query parameter " + name + " takes at most 100 values");
    return {tokens.begin(), tokens.end()};
}

std::size_t wholeNumber(const std::string& name, const std::string& text, std::size_t min, std::size_t max)
{
    if (const auto value = wholeNumberIn(text, min, max))
        return *value;
    throw BadRequestError("query parameter " + name + " must be a whole number from " + std::to_string(min) + " to " +
                          std::to_string(max));
}

std::vector<storage::SortKey> parseSort(const domain::ResourceSpec& spec, const std::string& text,
                                        const std::set<std::string>& hiddenFields)
{
    std::vector<storage::SortKey> keys;
    for (const auto& token : splitValues("sort", text))
    {
        const bool descending = token[0] == '-';
        const std::string name = descending || token[0] == '+' ? token.substr(1) : token;
        const auto* field = hiddenFields.count(name) ? nullptr : spec.field(name);
        if (!field || !field->sortable)
        {
            std::string sortable;
            for (const auto& f : spec.fields)
                if (f.sortable && !hiddenFields.count(f.name))
                    sortable += (sortable.empty() ? "" : ", ") + f.name;
            throw BadRequestError("cannot sort by '" + name + "'; sortable fields: " + sortable);
        }
        keys.push_back({name, descending});
    }
    return keys;
}
} // namespace

storage::ListQuery parseListQuery(const ApiRequest& request, const domain::ResourceSpec& spec,
                                  const std::vector<service::ListFilter>& filters,
                                  const std::vector<std::string>& fixedParams,
                                  const std::set<std::string>& hiddenFields, const std::set<std::string>& routeParams)
{
    storage::ListQuery query;
    query.sort.push_back({spec.defaultSort, false});
    for (const auto& [name, value] : request.query())
    {
        if (routeParams.count(name))
            continue;
        if (name == "limit")
            query.limit = wholeNumber(name, value, 1, 500);
        else if (name == "offset")
            query.offset = wholeNumber(name, value, 0, 1000000000);
        else if (name == "sort")
            query.sort = parseSort(spec, value, hiddenFields);
        else if (name == "q" && (spec.field("title") || spec.field("name")))
        {
            if (value.size() > 200)
                throw BadRequestError("query parameter q is longer than 200 characters");
            std::vector<std::string> columns{spec.field("title") ? "title" : "name"};
            if (spec.field("code"))
                columns.push_back("code");
            if (!value.empty())
                query.conditions.push_back(service::textSearch(columns, value));
        }
        else if (hiddenFields.count(name))
            throw BadRequestError("cannot filter by '" + name + "': it is hidden from your role on some rows");
        else
            query.conditions.push_back(
                service::filterByName(spec, filters, name, splitValues(name, value), fixedParams));
    }
    return query;
}

ApiResponse pageResponse(const domain::ResourceSpec& spec, const storage::Page& page, const storage::ListQuery& query)
{
    ApiResponse response;
    response.body = service::pageJsonText(spec, page.items, page.total, query.limit, query.offset);
    return response;
}

} // namespace captrack::http
