#include "captrack/http/CalendarApi.h"

#include "captrack/http/ProblemWriter.h"
#include "captrack/http/RequestParameters.h"
#include "captrack/http/RequestTarget.h"
#include "captrack/http/ResourceRoutes.h"
#include "captrack/report/ICalendar.h"

#include <Poco/JSON/Object.h>
#include <Poco/String.h>

#include <algorithm>
#include <cctype>

namespace captrack::http
{

namespace
{
const std::string API = API_ROOT;
const std::string FEED_SUFFIX = ".ics";

/// The one answer for every feed address that is not a live feed, whatever the reason: the address as
/// logs show it, the same for every secret.
ApiResponse noSuchFeed(const ApiRequest& request)
{
    return ProblemWriter::notFound(loggableTarget(request.path()));
}

/// The Host the client named, when it is a plain host[:port]; "localhost" otherwise.
std::string hostOf(const ApiRequest& request)
{
    const std::string host = Poco::trim(request.header("Host").value_or(""));
    const bool plain = !host.empty() && host.size() <= 255 && std::all_of(host.begin(), host.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
    });
    return plain ? host : std::string("localhost");
}

/// "http://host[:port]", or https when a proxy in front says so (X-Forwarded-Proto: https).
std::string baseUrlOf(const ApiRequest& request)
{
    const bool https = Poco::icompare(Poco::trim(request.header("X-Forwarded-Proto").value_or("")), "https") == 0;
    return (https ? "https://" : "http://") + hostOf(request);
}

Poco::JSON::Object::Ptr feedJson(const service::CalendarFeedInfo& feed)
{
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    body->set("id", feed.id);
    body->set("created_at", feed.createdAt);
    return body;
}

ApiResponse feedText(const ApiRequest& request, const service::CalendarFeeds& feeds,
                     const report::MilestoneCalendar& calendar, const domain::Clock& clock)
{
    // A query parameter is refused like on every route (400), before the address is looked at.
    allowOnly(request, {});
    const std::string& file = request.param("feed");
    if (file.size() <= FEED_SUFFIX.size() ||
        file.compare(file.size() - FEED_SUFFIX.size(), std::string::npos, FEED_SUFFIX) != 0)
        return noSuchFeed(request);
    const auto owner = feeds.ownerOf(file.substr(0, file.size() - FEED_SUFFIX.size()));
    if (!owner)
        return noSuchFeed(request);
    report::CalendarHeader header;
    header.name = "captrack milestones (" + owner->username + ")";
    header.uidDomain = hostOf(request);
    header.stamp = clock.nowText();
    header.webBase = baseUrlOf(request);
    ApiResponse response;
    response.contentType = "text/calendar; charset=utf-8";
    response.body = report::milestoneCalendarText(calendar.milestonesFor(*owner), header);
    // The address is a secret and the content need-to-know: no shared cache keeps either.
    response.headers.emplace_back("Cache-Control", "private, no-store");
    return response;
}

RouteDoc feedDoc(const std::string& summary, int status, const std::string& schema)
{
    RouteDoc doc;
    doc.tag = "calendar";
    doc.summary = summary;
    doc.responses = {{status, summary, {{"application/json", schema}}, {}}};
    doc.schemas = {{"CalendarFeed", R"JSON({"type":"object","properties":{"id":{"type":"integer"},
"created_at":{"type":"string","format":"date-time"}},"required":["id","created_at"],"additionalProperties":false})JSON"}};
    return doc;
}

RouteDoc currentFeedDoc()
{
    RouteDoc doc = feedDoc("The signed-in user's calendar feed (not its address: that is shown only when made)", 200,
                           schemaRef("CalendarFeed"));
    doc.description = "404 when the user has none.";
    return doc;
}

RouteDoc newFeedDoc()
{
    RouteDoc doc = feedDoc("Make a new calendar feed address, revoking the one before", 201,
                           R"JSON({"type":"object","properties":{"id":{"type":"integer"},
"created_at":{"type":"string","format":"date-time"},
"url":{"type":"string","description":"the secret address to subscribe to; shown this once"}},
"required":["id","created_at","url"],"additionalProperties":false})JSON");
    doc.description = "Takes no body (or `{}`).";
    doc.responses.front().headers = {"Location", "Cache-Control"};
    return doc;
}

RouteDoc revokeFeedDoc()
{
    RouteDoc doc;
    doc.tag = "calendar";
    doc.summary = "Revoke the signed-in user's calendar feed: its address answers 404 from now on";
    doc.description = "Takes no body (or `{}`).";
    doc.responses = {{204, "Revoked", {}, {}}};
    return doc;
}

RouteDoc feedTextDoc()
{
    RouteDoc doc;
    doc.tag = "calendar";
    doc.summary = "A calendar feed (iCalendar): the milestones its user may see";
    doc.description = "For calendar clients, which send no Authorization header: the secret address is the "
                      "credential. Every address that is not a live feed answers the same 404.";
    doc.parameters = {
        {"feed", "path", "the feed's secret, then .ics", R"({"type":"string","pattern":"\\.ics$"})", true}};
    doc.responses = {{200, "One event per milestone", {{"text/calendar", ""}}, {"Cache-Control"}}};
    return doc;
}
} // namespace

void addCalendarApi(Router& router, const service::CalendarFeeds& feeds, const report::MilestoneCalendar& calendar,
                    const domain::Clock& clock)
{
    router.add(
        "GET", API + "/me/calendar",
        [&feeds](ApiRequest& request) {
            const auto feed = feeds.current(request.principal());
            if (!feed)
                throw NotFoundError("no calendar feed: make one with POST " + API + "/me/calendar");
            return ApiResponse::json(200, feedJson(*feed));
        },
        {}, currentFeedDoc());
    router.add(
        "POST", API + "/me/calendar",
        [&feeds](ApiRequest& request) {
            expectNoFields(request);
            const auto made = feeds.create(request.principal());
            auto body = feedJson(made.feed);
            body->set("url", baseUrlOf(request) + CALENDAR_ROOT + "/" + made.secret + FEED_SUFFIX);
            ApiResponse response = ApiResponse::json(201, body);
            response.headers.emplace_back("Location", API + "/me/calendar");
            response.headers.emplace_back("Cache-Control", "no-store");
            return response;
        },
        RouteOptions{Access::SignedIn, SMALL_BODY_BYTES}, newFeedDoc());
    router.add(
        "DELETE", API + "/me/calendar",
        [&feeds](ApiRequest& request) {
            expectNoFields(request);
            feeds.revoke(request.principal());
            return ApiResponse::noContent();
        },
        RouteOptions{Access::SignedIn, SMALL_BODY_BYTES}, revokeFeedDoc());
    router.add(
        "GET", std::string(CALENDAR_ROOT) + "/{feed}",
        [&feeds, &calendar, &clock](ApiRequest& request) { return feedText(request, feeds, calendar, clock); },
        RouteOptions{Access::Public, 0}, feedTextDoc());
}

} // namespace captrack::http
