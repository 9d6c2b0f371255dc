// Fuzzes the list parameters (captrack::http::parseListQuery): the input is the query string of a
// list request (`/x?` + input, split by parseRequestTarget as the transport does), parsed for every
// resource of the catalogue as its list route does, with and without fields hidden from the caller.
// Checks that only BadRequestError escapes, and that an accepted query stays inside its bounds: limit
// and offset in range, sort keys that are sortable and visible, no filter on a hidden or fixed field,
// SQL text built from the spec alone (client text only ever in bound values, one `?` per value), and
// LIKE patterns whose wildcards are all escaped.
#include "FuzzSupport.h"

#include "captrack/Errors.h"
#include "captrack/http/RequestTarget.h"
#include "captrack/http/ResourceRoutes.h"
#include "captrack/service/Catalogue.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace
{
using captrack::domain::ResourceSpec;
using captrack::fuzz::check;
using captrack::storage::ListQuery;

/// Every second sortable or filterable field: the fields a caller must not sort or filter on in the
/// hidden variant (as AccessPolicy::hiddenFields does for a partner's view of contributions).
std::set<std::string> someFields(const ResourceSpec& spec)
{
    std::set<std::string> hidden;
    bool take = false;
    for (const auto& field : spec.fields)
        if ((field.sortable || field.filterable) && (take = !take))
            hidden.insert(field.name);
    return hidden;
}

/// `%` + text with every `%`, `_` and `!` escaped by `!` + `%`.
bool isEscapedLikePattern(const std::string& pattern)
{
    if (pattern.size() < 2 || pattern.front() != '%' || pattern.back() != '%')
        return false;
    for (std::size_t i = 1; i + 1 < pattern.size(); ++i)
    {
        const char c = pattern[i];
        if (c == '!')
        {
            if (i + 2 >= pattern.size() || std::string("%_!").find(pattern[i + 1]) == std::string::npos)
                return false;
            ++i;
        }
        else if (c == '%' || c == '_')
            return false;
    }
    return true;
}

void checkCondition(const ResourceSpec& spec, const captrack::storage::Condition& condition,
                    const std::set<std::string>& forbidden)
{
    const auto& sql = condition.sql;
    check(static_cast<std::size_t>(std::count(sql.begin(), sql.end(), '?')) == condition.values.size(),
          spec.entity + ": bind markers and values differ in " + sql);
    check(std::all_of(sql.begin(), sql.end(),
                      [](char c) {
                          return std::isalnum(static_cast<unsigned char>(c)) ||
                                 std::string(" _.,()?=!'").find(c) != std::string::npos;
                      }),
          spec.entity + ": unexpected SQL text " + sql);
    for (const auto& name : forbidden) // fieldFilter's form; the project filters' subqueries start "id IN (SELECT"
        check(sql.rfind(name + " IN (?", 0) != 0, spec.entity + ": filters on " + name);
    if (sql.find(" LIKE ") != std::string::npos)
        for (const auto& value : condition.values)
            check(isEscapedLikePattern(value.extract<std::string>()), spec.entity + ": LIKE pattern not escaped");
}

void checkQuery(const ResourceSpec& spec, const ListQuery& query, const std::set<std::string>& hidden,
                const std::vector<std::string>& fixed)
{
    check(query.limit >= 1 && query.limit <= 500 && query.offset <= 1000000000, spec.entity + ": limit or offset");
    check(!query.sort.empty(), spec.entity + ": no sort order");
    for (const auto& key : query.sort)
    {
        const auto* pField = spec.field(key.column);
        check(key.column == spec.defaultSort || (pField && pField->sortable && !hidden.count(key.column)),
              spec.entity + ": sorts on " + key.column);
    }
    std::set<std::string> forbidden = hidden;
    forbidden.insert(fixed.begin(), fixed.end());
    for (const auto& condition : query.conditions)
        checkCondition(spec, condition, forbidden);
}

void parseFor(const captrack::http::ApiRequest& request, const ResourceSpec& spec,
              const std::vector<captrack::service::ListFilter>& filters, const std::vector<std::string>& fixed,
              const std::set<std::string>& hidden)
{
    try
    {
        checkQuery(spec, captrack::http::parseListQuery(request, spec, filters, fixed, hidden), hidden, fixed);
    }
    catch (const captrack::BadRequestError&)
    {
    }
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    captrack::http::RequestTarget target;
    try
    {
        target = captrack::http::parseRequestTarget("/x?" + captrack::fuzz::inputText(data, size));
    }
    catch (const captrack::BadRequestError&)
    {
        return 0;
    }
    captrack::http::RequestHead head;
    head.method = "GET";
    head.target = "/x";
    head.version = "HTTP/1.1";
    const captrack::http::ApiRequest request(head, target.path, target.query, "", "127.0.0.1");
    static const auto projectFilters = captrack::service::projectFilters();
    const auto& c = captrack::service::Catalogue::instance();
    for (const auto* pResource : {&c.partners, &c.missions, &c.capabilityAreas, &c.objectives, &c.projects,
                                  &c.milestones, &c.contributions, &c.missionLinks, &c.users})
    {
        const ResourceSpec& spec = pResource->spec;
        const auto& filters = pResource == &c.projects ? projectFilters : std::vector<captrack::service::ListFilter>{};
        parseFor(request, spec, filters, {}, {});
        parseFor(request, spec, filters, {}, someFields(spec));
    }
    // The contributions of one partner (GET /api/v1/partners/{parent}/contributions) fix partner_id.
    parseFor(request, c.contributions.spec, {}, {"partner_id"}, {});
    return 0;
}
