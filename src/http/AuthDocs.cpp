#include "AuthDocs.h"

#include "captrack/domain/Specs.h"
#include "captrack/http/ResourceDocs.h"

namespace captrack::http::docs
{

namespace
{
const std::string JSON = "application/json";

ResourceDocs users()
{
    return ResourceDocs(domain::userSpec(), {},
                        {{"password", R"({"type":"string","minLength":10,"maxLength":200,"writeOnly":true})", true}});
}

const char* SIGN_IN_SCHEMA = R"JSON({"type":"object","properties":{
 "token":{"type":"string","description":"send as Authorization: Bearer <token>"},
 "token_type":{"const":"Bearer"},
 "expires_at":{"type":"string","format":"date-time"},
 "user":{"$ref":"#/components/schemas/User"}},
"required":["token","token_type","expires_at","user"],"additionalProperties":false})JSON";

const char* TOKEN_SCHEMA = R"JSON({"type":"object","description":"An API token, without its secret",
"properties":{"id":{"type":"integer"},"name":{"type":"string"},
 "created_at":{"type":"string","format":"date-time"},
 "expires_at":{"type":["string","null"],"format":"date-time"},
 "revoked_at":{"type":["string","null"],"format":"date-time"}},
"required":["id","name","created_at","expires_at","revoked_at"],"additionalProperties":false})JSON";

const char* TOKEN_LIST_SCHEMA = R"JSON({"type":"object","properties":{
 "items":{"type":"array","items":{"$ref":"#/components/schemas/ApiToken"}},
 "total":{"type":"integer","minimum":0}},
"required":["items","total"],"additionalProperties":false})JSON";

const char* NEW_TOKEN_SCHEMA = R"JSON({"type":"object","description":"The new token: its secret is shown this once",
"properties":{"id":{"type":"integer"},"name":{"type":"string"},
 "token":{"type":"string","pattern":"^ct_"},
 "created_at":{"type":"string","format":"date-time"},
 "expires_at":{"type":["string","null"],"format":"date-time"}},
"required":["id","name","token","created_at","expires_at"],"additionalProperties":false})JSON";

const char* AUDIT_PAGE_SCHEMA = R"JSON({"type":"object","properties":{
 "items":{"type":"array","items":{"type":"object","properties":{
  "id":{"type":"integer"},
  "at":{"type":"string","format":"date-time"},
  "user_id":{"type":["integer","null"]},
  "user_name":{"type":["string","null"]},
  "action":{"type":"string"},
  "entity":{"type":"string"},
  "entity_id":{"type":["integer","null"]},
  "entity_label":{"type":["string","null"]},
  "project_id":{"type":["integer","null"]},
  "changes":{"type":"object","description":"field -> [before, after]"}},
  "required":["id","at","user_id","user_name","action","entity","entity_id","entity_label","project_id","changes"],
  "additionalProperties":false}},
 "total":{"type":"integer","minimum":0},
 "limit":{"type":"integer","minimum":1,"maximum":500},
 "offset":{"type":"integer","minimum":0}},
"required":["items","total","limit","offset"],"additionalProperties":false})JSON";

RouteDoc withSchemas(RouteDoc doc, std::vector<std::pair<std::string, std::string>> schemas)
{
    doc.schemas.insert(doc.schemas.end(), schemas.begin(), schemas.end());
    return doc;
}

RouteDoc noBodyAnswer(const std::string& summary, const std::string& description)
{
    RouteDoc doc;
    doc.summary = summary;
    doc.description = (description.empty() ? "" : description + " ") + "Takes no body (or `{}`).";
    doc.responses = {{204, "Done", {}, {}}};
    return doc;
}

ParamDoc userId()
{
    return idParameter("id", "the user's id");
}

ParamDoc timeBound(const std::string& name, const std::string& description)
{
    return {name, "query", description + ": a date (its midnight UTC) or a time YYYY-MM-DDTHH:MM:SSZ",
            R"({"type":"string","pattern":"^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}Z)?$"})", false};
}
} // namespace

RouteDoc login()
{
    RouteDoc doc;
    doc.tag = "auth";
    doc.summary = "Sign in with a username and password";
    doc.description = "Answers a session token. Repeated failures from one address or for one user are throttled "
                      "(429 with Retry-After).";
    doc.requestSchema = R"JSON({"type":"object","properties":{"username":{"type":"string","minLength":1},
"password":{"type":"string","minLength":1}},"required":["username","password"],"additionalProperties":false})JSON";
    doc.responses = {{200, "Signed in", {{JSON, schemaRef("SignIn")}}, {}}};
    return withSchemas(doc, {{"SignIn", SIGN_IN_SCHEMA}});
}

RouteDoc me()
{
    RouteDoc doc;
    doc.summary = "Who is signed in";
    doc.responses = {{200, "The signed-in user", {{JSON, schemaRef("User")}}, {"ETag"}}};
    return withSchemas(doc, users().schemas());
}

RouteDoc changeOwnPassword()
{
    RouteDoc doc;
    doc.summary = "Change one's own password";
    doc.description = "Needs the current password. Ends every other session and API token, and answers a new "
                      "session token.";
    doc.parameters = {ifMatchParameter()};
    doc.requestSchema = R"JSON({"type":"object","properties":{"current_password":{"type":"string","minLength":1},
"password":{"type":"string","minLength":10,"maxLength":200},"version":{"type":"integer","minimum":1}},
"required":["current_password","password"],"additionalProperties":false})JSON";
    doc.responses = {{200, "Changed: a new session", {{JSON, schemaRef("SignIn")}}, {}}};
    return withSchemas(withSchemas(doc, {{"SignIn", SIGN_IN_SCHEMA}}), users().schemas());
}

RouteDoc signOutEverywhere()
{
    return noBodyAnswer("Sign out everywhere", "Ends every session and API token of the signed-in user.");
}

RouteDoc listOwnTokens()
{
    RouteDoc doc;
    doc.summary = "List one's own API tokens";
    doc.responses = {{200, "The tokens, revoked ones included", {{JSON, schemaRef("ApiTokenList")}}, {}}};
    return withSchemas(doc, {{"ApiToken", TOKEN_SCHEMA}, {"ApiTokenList", TOKEN_LIST_SCHEMA}});
}

RouteDoc createToken()
{
    RouteDoc doc;
    doc.summary = "Create an API token for scripts";
    doc.requestSchema = R"JSON({"type":"object","properties":{"name":{"type":"string","minLength":1,"maxLength":200},
"expires_in_days":{"type":["integer","null"],"minimum":1,"maximum":3650}},
"required":["name"],"additionalProperties":false})JSON";
    doc.responses = {{201, "Created: the secret is shown only here", {{JSON, schemaRef("NewApiToken")}}, {"Location"}}};
    return withSchemas(doc, {{"NewApiToken", NEW_TOKEN_SCHEMA}});
}

RouteDoc revokeOwnToken()
{
    RouteDoc doc = noBodyAnswer("Revoke one of one's own API tokens", "");
    doc.parameters = {idParameter("id", "the token's id")};
    return doc;
}

RouteDoc audit()
{
    RouteDoc doc;
    doc.summary = "Read the audit trail, newest first";
    doc.description = "Reviewers and admins only.";
    doc.parameters = {
        timeBound("since", "events at or after"),
        timeBound("until", "events before"),
        {"user", "query", "events by this user (id)", R"({"type":"string","pattern":"^[0-9]{1,18}$"})", false},
        {"entity", "query", "events of this kind of record (project, milestone, ...)", R"({"type":"string"})", false},
        {"project", "query", "events of this project (id)", R"({"type":"string","pattern":"^[0-9]{1,18}$"})", false},
        {"limit", "query", "at most this many (default 50)", R"({"type":"integer","minimum":1,"maximum":500})", false},
        {"offset", "query", "skip this many first", R"({"type":"integer","minimum":0,"maximum":1000000000})", false},
    };
    doc.responses = {{200, "A page of events", {{JSON, schemaRef("AuditPage")}}, {}}};
    return withSchemas(doc, {{"AuditPage", AUDIT_PAGE_SCHEMA}});
}

RouteDoc listUsers()
{
    return users().listDoc({}, "users");
}

RouteDoc createUser()
{
    RouteDoc doc = users().createDoc("users");
    doc.summary = "Add a user (admins)";
    return doc;
}

RouteDoc getUser()
{
    return users().getDoc(userId());
}

RouteDoc updateUser()
{
    RouteDoc doc = users().updateDoc(userId());
    doc.description += " A `password` resets it (not one's own: PATCH /api/v1/me); disabling ends the user's "
                       "sessions.";
    return doc;
}

RouteDoc listTokensOfUser()
{
    RouteDoc doc;
    doc.summary = "List a user's API tokens (admins)";
    doc.parameters = {userId()};
    doc.responses = {{200, "The tokens, revoked ones included", {{JSON, schemaRef("ApiTokenList")}}, {}}};
    return withSchemas(doc, {{"ApiToken", TOKEN_SCHEMA}, {"ApiTokenList", TOKEN_LIST_SCHEMA}});
}

RouteDoc revokeTokenOfUser()
{
    RouteDoc doc = noBodyAnswer("Revoke a user's API token (admins)", "");
    doc.parameters = {userId(), idParameter("token_id", "the token's id")};
    return doc;
}

RouteDoc signOutUser()
{
    RouteDoc doc = noBodyAnswer("Sign a user out everywhere (admins)", "Ends every session and API token of the user.");
    doc.parameters = {userId()};
    return doc;
}

} // namespace captrack::http::docs
