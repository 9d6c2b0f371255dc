#include "captrack/http/ReminderApi.h"

#include "captrack/service/RecordJson.h"

namespace captrack::http
{

namespace
{
const std::string API = API_ROOT;

const char* SETTINGS_SCHEMA = R"JSON({"type":"object","description":"The caller's reminders by e-mail",
"properties":{
 "email":{"type":["string","null"],"maxLength":254,"description":"where reminders go; null: none"},
 "email_reminders":{"type":"boolean","description":"false: no reminder mail at all (opted out)"},
 "version":{"type":"integer","description":"the user's version (If-Match of a PATCH)"},
 "mail_enabled":{"type":"boolean","description":"whether this server sends mail at all (mail.smtp.host)"},
 "digest":{"type":"object","properties":{
  "weekday":{"enum":["monday","tuesday","wednesday","thursday","friday","saturday","sunday"]},
  "hour_utc":{"type":"integer","minimum":0,"maximum":23},
  "look_ahead_days":{"type":"integer","minimum":0}},
  "required":["weekday","hour_utc","look_ahead_days"],"additionalProperties":false}},
"required":["email","email_reminders","version","mail_enabled","digest"],"additionalProperties":false})JSON";

const char* CHANGE_SCHEMA = R"JSON({"type":"object","properties":{
 "email":{"type":["string","null"],"maxLength":254,"format":"email"},
 "email_reminders":{"type":"boolean"},
 "version":{"type":"integer","description":"instead of If-Match"}},
"additionalProperties":false})JSON";

ApiResponse settingsResponse(const Poco::JSON::Object::Ptr& settings)
{
    ApiResponse response = ApiResponse::json(200, settings);
    response.headers.emplace_back("ETag", "\"" + settings->get("version").convert<std::string>() + "\"");
    return response;
}

RouteDoc showDoc()
{
    RouteDoc doc;
    doc.summary = "My reminder settings";
    doc.description = "The caller's e-mail address, whether reminders by e-mail are on, and when the digest of "
                      "milestones that need an update is sent (leads; reviewers get published snapshots' "
                      "summaries).";
    doc.responses = {{200, "The settings", {{"application/json", schemaRef("ReminderSettings")}}, {"ETag"}}};
    doc.schemas = {{"ReminderSettings", SETTINGS_SCHEMA}};
    return doc;
}

RouteDoc changeDoc()
{
    RouteDoc doc;
    doc.summary = "Change my reminder settings";
    doc.description = "Sets the caller's `email` (null removes it) and `email_reminders` (false opts out), under the "
                      "user's version; any other field is refused (422). Audited like a change of the user.";
    doc.parameters = {ifMatchParameter()};
    doc.requestSchema = CHANGE_SCHEMA;
    doc.responses = {{200, "The settings", {{"application/json", schemaRef("ReminderSettings")}}, {"ETag"}}};
    doc.schemas = {{"ReminderSettings", SETTINGS_SCHEMA}};
    return doc;
}
} // namespace

void addReminderApi(Router& router, const service::ReminderSettings& settings)
{
    router.add(
        "GET", API + "/me/reminders",
        [&settings](ApiRequest& request) { return settingsResponse(settings.show(request.principal())); },
        RouteOptions{Access::SignedIn, 0}, showDoc());
    router.add(
        "PATCH", API + "/me/reminders",
        [&settings](ApiRequest& request) {
            const auto body = request.jsonBody();
            return settingsResponse(
                settings.change(request.principal(), service::recordFromJson(*body), request.ifMatch()));
        },
        RouteOptions{Access::SignedIn, SMALL_BODY_BYTES}, changeDoc());
}

} // namespace captrack::http
