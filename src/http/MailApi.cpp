#include "captrack/http/MailApi.h"

#include "captrack/Errors.h"
#include "captrack/http/RequestParameters.h"

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

const char* OUTBOX_PAGE_SCHEMA = R"JSON({"type":"object","properties":{
 "items":{"type":"array","items":{"type":"object","properties":{
  "id":{"type":"integer"},"user_id":{"type":"integer"},"recipient":{"type":"string"},
  "kind":{"type":"string","description":"digest, snapshot"},
  "period_key":{"type":"string","description":"with kind and user: the message's identity"},
  "subject":{"type":"string"},"created_at":{"type":"string","format":"date-time"},
  "attempts":{"type":"integer","minimum":0,"description":"failed attempts"},
  "next_attempt_at":{"type":["string","null"],"format":"date-time","description":"null once sent"},
  "sent_at":{"type":["string","null"],"format":"date-time"},
  "last_error":{"type":["string","null"],"description":"the relay's answer to the last failed attempt"}},
  "required":["id","user_id","recipient","kind","period_key","subject","created_at","attempts","next_attempt_at",
   "sent_at","last_error"],"additionalProperties":false}},
 "total":{"type":"integer","minimum":0},
 "limit":{"type":"integer","minimum":1,"maximum":500},
 "offset":{"type":"integer","minimum":0}},
"required":["items","total","limit","offset"],"additionalProperties":false})JSON";

storage::OutboxState outboxState(const ApiRequest& request)
{
    const std::string state = request.queryValue("state").value_or("all");
    if (state == "all")
        return storage::OutboxState::Any;
    if (state == "unsent")
        return storage::OutboxState::Unsent;
    if (state == "sent")
        return storage::OutboxState::Sent;
    throw BadRequestError("query parameter state must be all, unsent or sent");
}

RouteDoc outboxDoc()
{
    RouteDoc doc;
    doc.summary = "The mail outbox";
    doc.description = "Every queued message, newest first, without its body: whether and when it was sent, the "
                      "failed attempts and the relay's last answer. Admins only. Sent messages are kept 90 days.";
    doc.parameters = {
        {"state", "query", "which messages", R"({"enum":["all","unsent","sent"],"default":"all"})", false},
        {"limit", "query", "page size", R"({"type":"integer","minimum":1,"maximum":500,"default":50})", false},
        {"offset", "query", "messages skipped", R"({"type":"integer","minimum":0,"default":0})", false}};
    doc.responses = {{200, "A page of the outbox", {{"application/json", schemaRef("MailOutboxPage")}}, {}}};
    doc.schemas = {{"MailOutboxPage", OUTBOX_PAGE_SCHEMA}};
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

void addMailApi(Router& router, const service::ReminderSettings& settings, const service::OutboxReader& outbox)
{
    router.add(
        "GET", API + "/mail/outbox",
        [&outbox](ApiRequest& request) {
            allowOnly(request, {"state", "limit", "offset"});
            const auto state = outboxState(request);
            return ApiResponse::json(200,
                                     outbox.page(request.principal(), state, queryNumber(request, "limit", 1, 500, 50),
                                                 queryNumber(request, "offset", 0, 1000000000, 0)));
        },
        RouteOptions{Access::SignedIn, 0}, outboxDoc());
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
