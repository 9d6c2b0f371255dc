#include "captrack/http/MetaApi.h"

#include "captrack/domain/Specs.h"
#include "captrack/domain/Vocabulary.h"
#include "captrack/domain/Wording.h"
#include "captrack/http/RequestParameters.h"
#include "captrack/report/Grouping.h"

#include <Poco/JSON/Array.h>

#include <map>
#include <utility>
#include <vector>

namespace captrack::http
{

namespace
{
/// Labels that are not the name in words with a capital first letter.
const std::map<std::string, std::string>& labelExceptions()
{
    static const std::map<std::string, std::string> labels{
        {"none", "No health"},
        {"co_director", "Co-director"},
        {"api_token", "API token"},
        {"NATO", "NATO — Allies"},
        {"EAPC", "EAPC — Partnership for Peace"},
        {"MD", "MD — Mediterranean Dialogue"},
        {"ICI", "ICI — Istanbul Cooperation Initiative"},
        {"PATG", "PATG — Partners across the Globe"},
        {"IO", "IO — International organisations"},
    };
    return labels;
}

/// Every set the page shows, by key: the domain's closed sets, then the frameworks and the groupings.
std::vector<std::pair<std::string, std::vector<std::string>>> everySet()
{
    std::vector<std::pair<std::string, std::vector<std::string>>> sets;
    for (const auto& set : domain::everyNamedSet())
        sets.emplace_back(std::string(set.key), set.names);
    sets.emplace_back("framework", domain::frameworkCodes());
    sets.emplace_back("report_group_by", domain::namesOf<report::Grouping>());
    return sets;
}

RouteDoc metaDoc()
{
    RouteDoc doc;
    doc.summary = "The closed sets of the domain (statuses, kinds, roles, frameworks...) and their labels";
    doc.responses = {{200,
                      "Every set, by key, and a label for each name",
                      {{"application/json", R"JSON({
"type":"object","properties":{
 "sets":{"type":"object","additionalProperties":{"type":"array","items":{"type":"string"}}},
 "labels":{"type":"object","additionalProperties":{"type":"string"}}},
"required":["sets","labels"],"additionalProperties":false})JSON"}},
                      {"Cache-Control"}}};
    return doc;
}
} // namespace

std::string labelOf(const std::string& name)
{
    const auto exception = labelExceptions().find(name);
    if (exception != labelExceptions().end())
        return exception->second;
    std::string label = domain::plainWords(name);
    if (!label.empty() && label.front() >= 'a' && label.front() <= 'z')
        label.front() = static_cast<char>(label.front() - 'a' + 'A');
    return label;
}

Poco::JSON::Object::Ptr metaJson()
{
    Poco::JSON::Object::Ptr sets = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    Poco::JSON::Object::Ptr labels = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& [key, names] : everySet())
    {
        Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
        for (const auto& name : names)
        {
            list->add(name);
            labels->set(name, labelOf(name));
        }
        sets->set(key, list);
    }
    labels->set("none", labelOf("none"));
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    body->set("sets", sets);
    body->set("labels", labels);
    return body;
}

void addMetaApi(Router& router)
{
    const ApiResponse answer = [] {
        ApiResponse response = ApiResponse::json(200, metaJson());
        response.headers.emplace_back("Cache-Control", "private, max-age=3600");
        return response;
    }();
    router.add(
        "GET", std::string(API_ROOT) + "/meta",
        [answer](ApiRequest& request) {
            allowOnly(request, {});
            return answer;
        },
        RouteOptions{Access::SignedIn, 0}, metaDoc());
}

} // namespace captrack::http
