#include "captrack/http/ResourceRoutes.h"

#include "captrack/Errors.h"
#include "captrack/domain/Wording.h"
#include "captrack/http/ResourceDocs.h"
#include "captrack/service/RecordJson.h"

namespace captrack::http
{

using domain::Record;

namespace
{
/// Resolves `{id}`: a numeric id, or the code of resources that have one among those the principal
/// may see (so a hidden code is looked up exactly like a missing one).
Poco::Int64 defaultItemId(const service::ResourceService& service, const service::Resource& resource,
                          const ApiRequest& request)
{
    return idOrCode(service, resource, request, "id", IdCheck::Later);
}

std::string replaceParam(std::string pattern, const std::string& name, const std::string& value)
{
    const std::string token = "{" + name + "}";
    const auto at = pattern.find(token);
    if (at != std::string::npos)
        pattern.replace(at, token.size(), value);
    return pattern;
}
/// The members of a request's JSON body other than `allowed`, each as a field error.
FieldErrors membersOtherThan(const Poco::JSON::Object& body, const std::string& allowed, const std::string& why)
{
    FieldErrors errors;
    for (const auto& [name, value] : body)
        if (name != allowed)
            errors.push_back({name, why});
    return errors;
}
} // namespace

std::optional<Poco::Int64> versionToDelete(const ApiRequest& request)
{
    const auto ifMatch = request.ifMatch();
    if (request.body().empty())
        return ifMatch;
    const auto body = request.jsonBody();
    throwIfAny(membersOtherThan(*body, "version", "is not taken by DELETE: send only `version`, or no body"));
    if (!body->has("version") || body->get("version").isEmpty())
        return ifMatch;
    return service::expectedVersionOf({{"version", body->get("version")}}, ifMatch);
}

void expectNoFields(const ApiRequest& request)
{
    if (request.body().empty())
        return;
    throwIfAny(membersOtherThan(*request.jsonBody(), "", "is not taken here: this request takes no body"));
}

ApiResponse recordResponse(int status, const domain::ResourceSpec& spec, const domain::Record& record)
{
    ApiResponse response;
    response.status = status;
    service::appendRecordJson(response.body, spec, record);
    if (const auto version = domain::intField(record, "version"))
        response.headers.emplace_back("ETag", "\"" + std::to_string(*version) + "\"");
    return response;
}

namespace
{
/// GET on the collection: a page of the resource (of one parent when nested), filtered and sorted.
void addListRoute(Router& router, const service::ResourceService& service, const ResourceRoutes& routes, bool nested,
                  RouteDoc doc)
{
    const auto& resource = routes.resource;
    router.add(
        "GET", routes.collectionPath,
        [&service, &resource, routes, nested](ApiRequest& request) {
            std::optional<Poco::Int64> parentId;
            if (nested)
            {
                parentId = request.idParam("parent");
                service.checkParentVisible(request.principal(), resource, *parentId);
            }
            auto query = parseListQuery(request, resource.spec, routes.filters, {},
                                        service.policy().hiddenFields(request.principal(), resource));
            if (parentId)
                query.conditions.push_back(service::belongsTo(resource.spec.parentField, *parentId));
            ApiResponse response;
            response.body = service.listJson(request.principal(), resource, query);
            return response;
        },
        {}, std::move(doc));
}

/// What the OpenAPI document says of a resource: its partner-redacted fields may be null.
ResourceDocs docsOf(const service::Resource& resource)
{
    std::set<std::string> redacted;
    if (resource.spec.kind == domain::Entity::Contribution)
        redacted = {service::AccessPolicy::redactedContributionFields().begin(),
                    service::AccessPolicy::redactedContributionFields().end()};
    return ResourceDocs(resource.spec, std::move(redacted));
}

/// "capability areas", "milestones of a project": the collection of a path, in words.
std::string pluralOf(const std::string& collectionPath, bool nested)
{
    const std::string last = collectionPath.substr(collectionPath.rfind('/') + 1);
    return domain::plainWords(last) + (nested ? " of a project" : "");
}
} // namespace

void addResourceRoutes(Router& router, const service::ResourceService& service, const ResourceRoutes& routes)
{
    const auto& resource = routes.resource;
    const auto& spec = resource.spec;
    const bool nested = !spec.parentField.empty() && routes.collectionPath.find("{parent}") != std::string::npos;
    const std::string itemPath = routes.itemPath.empty() ? routes.collectionPath + "/{id}" : routes.itemPath;

    auto itemId = [&service, &resource, routes](const ApiRequest& request) {
        return routes.itemId ? routes.itemId(request) : defaultItemId(service, resource, request);
    };
    auto locationOf = [routes, itemPath](const Record& record) {
        if (routes.location)
            return routes.location(record);
        return replaceParam(itemPath, "id", std::to_string(domain::recordId(record)));
    };
    const ResourceDocs docs = docsOf(resource);
    const std::string plural = pluralOf(routes.collectionPath, nested);
    // The item's path parameter: its id or code, unless the route says otherwise (mission links).
    ParamDoc item = routes.itemParameter.name.empty() ? docs.itemParameter() : routes.itemParameter;
    auto withParent = [nested](RouteDoc doc) {
        if (nested)
            doc.parameters.insert(doc.parameters.begin(), idParameter("parent", "the project's id"));
        return doc;
    };
    addListRoute(router, service, routes, nested, withParent(docs.listDoc(routes.filters, plural)));

    router.add(
        "POST", routes.collectionPath,
        [&service, &resource, nested, locationOf](ApiRequest& request) {
            const std::optional<Poco::Int64> parentId =
                nested ? std::optional<Poco::Int64>(request.idParam("parent")) : std::nullopt;
            const auto body = request.jsonBody();
            const Record stored =
                service.create(request.principal(), resource, service::recordFromJson(*body), parentId);
            ApiResponse response = recordResponse(201, resource.spec, stored);
            response.headers.emplace_back("Location", locationOf(stored));
            return response;
        },
        {}, withParent(docs.createDoc(plural)));

    const bool itemNested = itemPath.find("{parent}") != std::string::npos;
    auto itemDoc = [itemNested](RouteDoc doc) {
        if (itemNested)
            doc.parameters.insert(doc.parameters.begin(), idParameter("parent", "the project's id"));
        return doc;
    };
    router.add(
        "GET", itemPath,
        [&service, &resource, itemId](ApiRequest& request) {
            return recordResponse(200, resource.spec, service.get(request.principal(), resource, itemId(request)));
        },
        {}, itemDoc(docs.getDoc(item)));

    router.add(
        "PATCH", itemPath,
        [&service, &resource, itemId](ApiRequest& request) {
            const Poco::Int64 id = itemId(request);
            const auto body = request.jsonBody();
            const Record stored =
                service.update(request.principal(), resource, id, service::recordFromJson(*body), request.ifMatch());
            return recordResponse(200, resource.spec, stored);
        },
        {}, itemDoc(docs.updateDoc(item)));

    router.add(
        "DELETE", itemPath,
        [&service, &resource, itemId](ApiRequest& request) {
            const Poco::Int64 id = itemId(request);
            service.remove(request.principal(), resource, id, versionToDelete(request));
            return ApiResponse::noContent();
        },
        {}, itemDoc(docs.deleteDoc(item)));
}

} // namespace captrack::http
