#include "captrack/http/AuthApi.h"

#include "AuthDocs.h"

#include "captrack/Errors.h"
#include "captrack/domain/Date.h"
#include "captrack/domain/DecimalId.h"
#include "captrack/http/ResourceRoutes.h"
#include "captrack/service/Catalogue.h"
#include "captrack/service/RecordJson.h"

#include <Poco/JSON/Array.h>
#include <Poco/NumberParser.h>

namespace captrack::http
{

using Poco::Dynamic::Var;

namespace
{
const std::string API = API_ROOT;

std::string requiredString(const Poco::JSON::Object& body, const std::string& name, FieldErrors& errors)
{
    if (!body.has(name) || !body.get(name).isString() || body.getValue<std::string>(name).empty())
    {
        errors.push_back({name, "is required"});
        return {};
    }
    return body.getValue<std::string>(name);
}

std::optional<Poco::Int64> idQuery(const ApiRequest& request, const std::string& name)
{
    const auto value = request.queryValue(name);
    if (!value)
        return std::nullopt;
    Poco::Int64 id = 0;
    if (!domain::isAllDigits(*value) || !Poco::NumberParser::tryParse64(*value, id))
        throw BadRequestError("query parameter " + name + " must be an id");
    return id;
}

/// A `since`/`until` bound: a date (its midnight UTC) or an RFC 3339 UTC time.
std::optional<std::string> timeQuery(const ApiRequest& request, const std::string& name)
{
    const auto value = request.queryValue(name);
    if (!value)
        return std::nullopt;
    if (domain::Date::parse(*value))
        return *value + "T00:00:00Z";
    if (value->size() == 20 && value->back() == 'Z' && (*value)[10] == 'T' && domain::Date::parse(value->substr(0, 10)))
        return *value;
    throw BadRequestError("query parameter " + name + " must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
}

/// {"items": [...], "total": N} of API tokens.
ApiResponse tokenList(const Poco::JSON::Array::Ptr& items)
{
    return ApiResponse::json(200, service::listJson(items));
}

service::AuditQuery auditQuery(const ApiRequest& request)
{
    allowOnly(request, {"since", "until", "user", "entity", "project", "limit", "offset"});
    service::AuditQuery query;
    query.limit = queryNumber(request, "limit", 1, 500, 50);
    query.offset = queryNumber(request, "offset", 0, 1000000000, 0);
    query.since = timeQuery(request, "since");
    query.until = timeQuery(request, "until");
    query.userId = idQuery(request, "user");
    query.projectId = idQuery(request, "project");
    query.entity = request.queryValue("entity");
    return query;
}

void addUsers(Router& router, const service::UserAccounts& accounts, const service::ResourceService& resources)
{
    const auto& users = service::Catalogue::instance().users;
    router.add(
        "GET", API + "/users",
        [&resources, &users](ApiRequest& request) {
            auto query = parseListQuery(request, users.spec, {});
            return pageResponse(users.spec, resources.list(request.principal(), users, query), query);
        },
        {}, docs::listUsers());
    router.add(
        "POST", API + "/users",
        [&accounts, &users](ApiRequest& request) {
            const auto body = request.jsonBody();
            const auto stored = accounts.createUser(request.principal(), service::recordFromJson(*body));
            ApiResponse response = recordResponse(201, users.spec, stored);
            response.headers.emplace_back("Location", API + "/users/" + std::to_string(domain::recordId(stored)));
            return response;
        },
        RouteOptions{Access::SignedIn, SMALL_BODY_BYTES}, docs::createUser());
    router.add(
        "GET", API + "/users/{id}",
        [&resources, &users](ApiRequest& request) {
            return recordResponse(200, users.spec, resources.get(request.principal(), users, request.idParam("id")));
        },
        {}, docs::getUser());
    router.add(
        "PATCH", API + "/users/{id}",
        [&accounts, &users](ApiRequest& request) {
            const Poco::Int64 id = request.idParam("id");
            const auto body = request.jsonBody();
            return recordResponse(
                200, users.spec,
                accounts.updateUser(request.principal(), id, service::recordFromJson(*body), request.ifMatch()));
        },
        RouteOptions{Access::SignedIn, SMALL_BODY_BYTES}, docs::updateUser());
}

/// An admin's view of a user's credentials: its API tokens, and signing it out everywhere.
void addUserCredentials(Router& router, const service::ApiTokens& tokens, const service::SignOut& signOut)
{
    router.add(
        "GET", API + "/users/{id}/tokens",
        [&tokens](ApiRequest& request) {
            return tokenList(tokens.listOfUser(request.principal(), request.idParam("id")));
        },
        {}, docs::listTokensOfUser());
    router.add(
        "DELETE", API + "/users/{id}/tokens/{token_id}",
        [&tokens](ApiRequest& request) {
            expectNoFields(request);
            tokens.revokeOfUser(request.principal(), request.idParam("id"), request.idParam("token_id"));
            return ApiResponse::noContent();
        },
        RouteOptions{Access::SignedIn, SMALL_BODY_BYTES}, docs::revokeTokenOfUser());
    router.add(
        "POST", API + "/users/{id}/sign-out",
        [&signOut](ApiRequest& request) {
            expectNoFields(request);
            signOut.signOutUser(request.principal(), request.idParam("id"));
            return ApiResponse::noContent();
        },
        RouteOptions{Access::SignedIn, SMALL_BODY_BYTES}, docs::signOutUser());
}

/// Sign-in, and what a signed-in user does with its own account.
void addSignIn(Router& router, service::SignIn& signIn, service::PasswordChange& passwordChange,
               const service::SignOut& signOut, const service::ResourceService& resources)
{
    router.add(
        "POST", API + "/auth/login",
        [&signIn](ApiRequest& request) {
            // A locked-out address costs no parsing.
            signIn.checkAddress(request.clientAddress());
            const auto body = request.jsonBody();
            FieldErrors errors;
            const std::string username = requiredString(*body, "username", errors);
            const std::string password = requiredString(*body, "password", errors);
            // A typo (`"pasword"`) is named, never signed in with part of the body ignored; not an attempt.
            for (const auto& [name, value] : *body)
                if (name != "username" && name != "password")
                    errors.push_back({name, "is not a field of a sign-in: send username and password"});
            throwIfAny(errors);
            return ApiResponse::json(200, signIn.login(username, password, request.clientAddress()));
        },
        RouteOptions{Access::Public, SMALL_BODY_BYTES}, docs::login());
    router.add(
        "GET", API + "/me",
        [&resources](ApiRequest& request) {
            const auto& users = service::Catalogue::instance().users;
            return recordResponse(200, users.spec,
                                  resources.get(request.principal(), users, request.principal().userId));
        },
        {}, docs::me());
    router.add(
        "PATCH", API + "/me",
        [&passwordChange](ApiRequest& request) {
            const auto body = request.jsonBody();
            return ApiResponse::json(200, passwordChange.changeOwnPassword(request.principal(), *body,
                                                                           request.ifMatch(), request.clientAddress()));
        },
        RouteOptions{Access::SignedIn, SMALL_BODY_BYTES}, docs::changeOwnPassword());
    router.add(
        "POST", API + "/me/sign-out",
        [&signOut](ApiRequest& request) {
            expectNoFields(request);
            signOut.signOutEverywhere(request.principal());
            return ApiResponse::noContent();
        },
        RouteOptions{Access::SignedIn, SMALL_BODY_BYTES}, docs::signOutEverywhere());
}

void addOwnTokens(Router& router, const service::ApiTokens& tokens)
{
    router.add(
        "GET", API + "/me/tokens",
        [&tokens](ApiRequest& request) { return tokenList(tokens.listOwn(request.principal())); }, {},
        docs::listOwnTokens());
    router.add(
        "POST", API + "/me/tokens",
        [&tokens](ApiRequest& request) {
            const auto body = request.jsonBody();
            const auto created = tokens.create(request.principal(), *body);
            ApiResponse response = ApiResponse::json(201, created);
            response.headers.emplace_back("Location", API + "/me/tokens/" + created->get("id").convert<std::string>());
            return response;
        },
        RouteOptions{Access::SignedIn, SMALL_BODY_BYTES}, docs::createToken());
    router.add(
        "DELETE", API + "/me/tokens/{id}",
        [&tokens](ApiRequest& request) {
            expectNoFields(request);
            tokens.revokeOwn(request.principal(), request.idParam("id"));
            return ApiResponse::noContent();
        },
        RouteOptions{Access::SignedIn, SMALL_BODY_BYTES}, docs::revokeOwnToken());
}
} // namespace

void addAuthApi(Router& router, service::Authentication& auth, const service::ResourceService& resources,
                const service::AuditReader& audit)
{
    addSignIn(router, auth.signIn(), auth.passwordChange(), auth.signOut(), resources);
    addOwnTokens(router, auth.apiTokens());
    router.add(
        "GET", API + "/audit",
        [&audit](ApiRequest& request) {
            return ApiResponse::json(200, audit.list(request.principal(), auditQuery(request)));
        },
        {}, docs::audit());
    addUsers(router, auth.users(), resources);
    addUserCredentials(router, auth.apiTokens(), auth.signOut());
}

} // namespace captrack::http
