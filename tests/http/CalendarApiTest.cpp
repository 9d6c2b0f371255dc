#include "ApiAssertions.h"

#include "captrack/http/RequestTarget.h"
#include "captrack/service/CalendarFeeds.h"
#include "captrack/service/Crypto.h"

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Format.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <Poco/String.h>

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

using namespace captrack::test::api;
using captrack::test::HttpResult;
using captrack::test::HttpTestServer;

namespace
{
/// Keeps every message logged to it.
class KeptLines : public Poco::Channel
{
public:
    void log(const Poco::Message& message) override
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _lines.push_back(message.getText());
    }
    std::vector<std::string> lines()
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _lines;
    }

private:
    std::mutex _mutex;
    std::vector<std::string> _lines;
};

/// The values of one property (e.g. "UID") in iCalendar text, unfolded.
std::vector<std::string> propertyValues(const std::string& ics, const std::string& name)
{
    std::string unfolded;
    for (std::size_t i = 0; i < ics.size(); ++i)
    {
        if (ics.compare(i, 3, "\r\n ") == 0)
        {
            i += 2;
            continue;
        }
        unfolded += ics[i];
    }
    std::vector<std::string> values;
    const std::string prefix = "\r\n" + name + ":";
    for (std::size_t at = unfolded.find(prefix); at != std::string::npos; at = unfolded.find(prefix, at + 1))
    {
        const std::size_t start = at + prefix.size();
        values.push_back(unfolded.substr(start, unfolded.find("\r\n", start) - start));
    }
    return values;
}

std::set<std::string> asSet(const std::vector<std::string>& values)
{
    return {values.begin(), values.end()};
}
} // namespace

/// The calendar feeds (docs/HTTP.md "Calendar feeds") through the real server: making, reading and
/// revoking one's feed, the feed itself without a bearer, one 404 for every address that is not a live
/// feed, what a partner's feed holds, and the secret kept out of the database and the access log.
class CalendarApiTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(CalendarApiTest);
    CPPUNIT_TEST(testMakeReadFetchRevoke);
    CPPUNIT_TEST(testANewFeedEndsTheOldOne);
    CPPUNIT_TEST(testEveryAddressThatIsNotALiveFeedGetsTheSame404);
    CPPUNIT_TEST(testSigningOutEverywhereOrDisablingEndsTheFeed);
    CPPUNIT_TEST(testAnApiTokenMayReadButNotMakeOrRevoke);
    CPPUNIT_TEST(testEventsFollowTheMilestonesAtFetchTime);
    CPPUNIT_TEST(testAPartnersFeedHoldsOnlyWhatItMaySee);
    CPPUNIT_TEST(testTheSecretNeverReachesTheAccessLog);
    CPPUNIT_TEST(testLoggableTargets);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        auto& s = *(_pServer = std::make_unique<HttpTestServer>());
        _adminToken = s.token();
        s.seedReference();
        _ukr = s.partnerId("UKR");
        _jor = s.partnerId("JOR");
        _lead = s.addUser("lead", "lead");
        _public = project("PUB", "public", _lead);
        _participating = project("PART", "participants", _lead);
        _otherParticipants = project("OTHER", "participants", _lead);
        _restricted = project("RESTR", "restricted", _lead);
        contribute(_participating, _ukr);
        contribute(_otherParticipants, _jor);
        contribute(_restricted, _ukr);
        _milestones[_public] = milestone(_public, "Kick-off, at last", "2027-04-01", "2027-04-15");
        _milestones[_participating] = milestone(_participating, "Field trial; site B", "2027-05-01", "");
        _milestones[_otherParticipants] = milestone(_otherParticipants, "Jordan's trial", "2027-06-01", "");
        _milestones[_restricted] = milestone(_restricted, "Restricted review", "2027-07-01", "");
    }

    void tearDown() override { _pServer.reset(); }

    void testMakeReadFetchRevoke()
    {
        auto& s = *_pServer;
        s.signIn("lead");
        expectProblem("GET /me/calendar before any", 404, s.get(API + "/me/calendar"));
        const auto made = s.post(API + "/me/calendar", "");
        expectStatus("POST /me/calendar", 201, made);
        CPPUNIT_ASSERT_EQUAL(API + "/me/calendar", made.header("Location"));
        const std::string url = text(made, "url");
        const std::string prefix = "http://127.0.0.1:" + std::to_string(s.port()) + "/calendar/";
        CPPUNIT_ASSERT_MESSAGE(url, url.rfind(prefix, 0) == 0);
        const std::string secret = url.substr(prefix.size(), 64);
        CPPUNIT_ASSERT_EQUAL(prefix + secret + ".ics", url);
        CPPUNIT_ASSERT_MESSAGE(secret, captrack::service::CalendarFeeds::isWellFormedSecret(secret));

        const auto shown = s.get(API + "/me/calendar");
        expectStatus("GET /me/calendar", 200, shown);
        CPPUNIT_ASSERT_EQUAL(number(made, "id"), number(shown, "id"));
        CPPUNIT_ASSERT_EQUAL(std::string("2027-03-01T10:00:00Z"), text(shown, "created_at"));
        CPPUNIT_ASSERT_MESSAGE(shown.body, shown.body.find(secret) == std::string::npos);
        // Only the SHA-256 of the secret is stored.
        CPPUNIT_ASSERT_EQUAL(captrack::service::sha256Hex(secret), s.scalar("SELECT secret_hash FROM calendar_feeds"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), s.count("calendar_feeds WHERE secret_hash = '" + secret + "'"));

        const auto feed = fetch(feedPath(made));
        expectStatus("GET the feed", 200, feed);
        CPPUNIT_ASSERT_EQUAL(std::string("text/calendar; charset=utf-8"), feed.contentType);
        CPPUNIT_ASSERT_EQUAL(std::string("private, no-store"), feed.header("Cache-Control"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), propertyValues(feed.body, "UID").size());

        expectStatus("DELETE /me/calendar", 204, s.request("DELETE", API + "/me/calendar"));
        expectProblem("the revoked feed", 404, fetch(feedPath(made)));
        expectProblem("GET /me/calendar after revoking", 404, s.get(API + "/me/calendar"));
        expectProblem("DELETE /me/calendar again", 404, s.request("DELETE", API + "/me/calendar"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), s.count("audit_events WHERE entity = 'user' AND entity_id = " +
                                                     std::to_string(_lead) + " AND changes LIKE '%calendar_feed%'"));
    }

    void testANewFeedEndsTheOldOne()
    {
        auto& s = *_pServer;
        s.signIn("lead");
        const auto first = s.post(API + "/me/calendar", "");
        const auto second = s.post(API + "/me/calendar", "");
        expectStatus("second POST", 201, second);
        CPPUNIT_ASSERT(text(first, "url") != text(second, "url"));
        expectProblem("the first feed", 404, fetch(feedPath(first)));
        expectStatus("the second feed", 200, fetch(feedPath(second)));
        CPPUNIT_ASSERT_EQUAL(number(second, "id"), number(s.get(API + "/me/calendar"), "id"));
    }

    void testEveryAddressThatIsNotALiveFeedGetsTheSame404()
    {
        auto& s = *_pServer;
        s.signIn("lead");
        const auto revoked = s.post(API + "/me/calendar", "");
        expectStatus("DELETE", 204, s.request("DELETE", API + "/me/calendar"));
        const std::string revokedSecret = feedPath(revoked).substr(10, 64);
        const std::vector<std::string> paths{
            feedPath(revoked),                                    // revoked
            "/calendar/" + std::string(64, '0') + ".ics",         // unknown
            "/calendar/" + revokedSecret,                         // no .ics
            "/calendar/" + revokedSecret + ".ICS",                // another suffix
            "/calendar/" + Poco::toUpper(revokedSecret) + ".ics", // upper case
            "/calendar/" + revokedSecret.substr(1) + ".ics",      // too short
            "/calendar/" + revokedSecret + "0.ics",               // too long
            "/calendar/" + std::string(63, 'a') + "g.ics",        // not hex
            "/calendar/.ics",                                     // nothing
        };
        const auto reference = fetch(paths.front());
        expectProblem("a revoked feed", 404, reference);
        for (const auto& path : paths)
        {
            const auto answer = fetch(path);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, 404, answer.status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, reference.body, answer.body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, reference.contentType, answer.contentType);
            CPPUNIT_ASSERT_MESSAGE(path, answer.body.find(revokedSecret) == std::string::npos);
        }
    }

    void testSigningOutEverywhereOrDisablingEndsTheFeed()
    {
        auto& s = *_pServer;
        s.signIn("lead");
        const auto beforeSignOut = s.post(API + "/me/calendar", "");
        expectStatus("sign out everywhere", 204, s.post(API + "/me/sign-out", ""));
        const auto reference = fetch("/calendar/" + std::string(64, '0') + ".ics");
        const auto ended = fetch(feedPath(beforeSignOut));
        expectProblem("the feed after a sign-out everywhere", 404, ended);
        CPPUNIT_ASSERT_EQUAL(reference.body, ended.body);

        s.signIn("lead");
        expectProblem("GET /me/calendar after a sign-out", 404, s.get(API + "/me/calendar"));
        const auto beforeDisable = s.post(API + "/me/calendar", "");
        expectStatus("the new feed", 200, fetch(feedPath(beforeDisable)));
        s.useToken(_adminToken);
        const std::string user = API + "/users/" + std::to_string(_lead);
        expectStatus("disable", 200, s.patch(user, R"({"disabled": true})", number(s.get(user), "version")));
        expectProblem("the feed of a disabled user", 404, fetch(feedPath(beforeDisable)));
        // Re-enabling revives nothing.
        expectStatus("enable", 200, s.patch(user, R"({"disabled": false})", number(s.get(user), "version")));
        expectProblem("the feed after a re-enable", 404, fetch(feedPath(beforeDisable)));
    }

    void testAnApiTokenMayReadButNotMakeOrRevoke()
    {
        auto& s = *_pServer;
        s.signIn("lead");
        const auto made = s.post(API + "/me/calendar", "");
        const auto token = s.post(API + "/me/tokens", R"({"name": "script"})");
        s.useToken(text(token, "token"));
        expectStatus("GET /me/calendar with an API token", 200, s.get(API + "/me/calendar"));
        expectProblem("POST /me/calendar with an API token", 403, s.post(API + "/me/calendar", ""));
        expectProblem("DELETE /me/calendar with an API token", 403, s.request("DELETE", API + "/me/calendar"));
        expectStatus("the feed", 200, fetch(feedPath(made)));
        expectProblem("a body", 422, s.post(API + "/me/calendar", R"({"name": "x"})"));
    }

    void testEventsFollowTheMilestonesAtFetchTime()
    {
        auto& s = *_pServer;
        s.signIn("lead");
        const std::string path = feedPath(s.post(API + "/me/calendar", ""));
        const auto feed = fetch(path);
        const auto starts = asSet(propertyValues(feed.body, "DTSTART;VALUE=DATE"));
        // Forecast when set, else baseline.
        CPPUNIT_ASSERT((starts == std::set<std::string>{"20270415", "20270501", "20270601", "20270701"}));
        const auto summaries = asSet(propertyValues(feed.body, "SUMMARY"));
        CPPUNIT_ASSERT_MESSAGE(*summaries.begin(), summaries.count("CT-PUB: Kick-off\\, at last") == 1);
        CPPUNIT_ASSERT(summaries.count("CT-PART: Field trial\\; site B") == 1);
        CPPUNIT_ASSERT(asSet(propertyValues(feed.body, "UID"))
                           .count("milestone-" + std::to_string(_milestones[_public]) +
                                  "@127.0.0.1:" + std::to_string(s.port())) == 1);
        CPPUNIT_ASSERT_EQUAL(std::string("PRODID:-//captrack//captrack "),
                             feed.body.substr(feed.body.find("PRODID"), 29));

        // Rescheduled and cancelled: the next fetch shows it.
        s.clock().advance(Poco::Timespan(1, 0, 0, 0, 0).totalMicroseconds());
        s.signIn("lead");
        const std::string item = API + "/milestones/" + std::to_string(_milestones[_public]);
        expectStatus("reschedule", 200, s.patch(item, R"({"forecast_date": "2027-04-20", "status": "cancelled"})", 1));
        const auto after = fetch(path);
        const auto startsAfter = asSet(propertyValues(after.body, "DTSTART;VALUE=DATE"));
        CPPUNIT_ASSERT(startsAfter.count("20270420") == 1 && startsAfter.count("20270415") == 0);
        const auto statuses = propertyValues(after.body, "STATUS");
        CPPUNIT_ASSERT_EQUAL(std::ptrdiff_t(1), std::count(statuses.begin(), statuses.end(), "CANCELLED"));
        CPPUNIT_ASSERT_EQUAL(std::ptrdiff_t(3), std::count(statuses.begin(), statuses.end(), "CONFIRMED"));
        CPPUNIT_ASSERT(after.body.find("LAST-MODIFIED:20270302T100000Z") != std::string::npos);
        CPPUNIT_ASSERT(after.body.find("DTSTAMP:20270302T100000Z") != std::string::npos);
    }

    void testAPartnersFeedHoldsOnlyWhatItMaySee()
    {
        auto& s = *_pServer;
        s.addUser("ukr-user", "partner", _ukr);
        s.signIn("ukr-user");
        const std::string path = feedPath(s.post(API + "/me/calendar", ""));
        const auto uids = asSet(propertyValues(fetch(path).body, "UID"));
        std::set<std::string> expected;
        for (const auto& [project, milestone] : _milestones)
        {
            const bool visible = project == _public || project == _participating;
            const auto answer = s.get(API + "/projects/" + std::to_string(project) + "/milestones");
            CPPUNIT_ASSERT_EQUAL(visible ? 200 : 404, answer.status);
            if (visible)
                expected.insert("milestone-" + std::to_string(milestone) + "@127.0.0.1:" + std::to_string(s.port()));
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), uids.size());
        CPPUNIT_ASSERT(expected == uids);
        const std::string body = fetch(path).body;
        for (const char* hidden : {"CT-OTHER", "CT-RESTR", "Jordan", "Restricted"})
            CPPUNIT_ASSERT_MESSAGE(hidden, body.find(hidden) == std::string::npos);

        // Visibility is decided at fetch time: the partner's contribution gone, the project goes too.
        s.useToken(_adminToken);
        const auto contributions = s.get(API + "/projects/" + std::to_string(_participating) + "/contributions");
        const auto first = contributions.json()->getArray("items")->getObject(0);
        expectStatus("delete UKR's contribution", 204,
                     s.request("DELETE", API + "/contributions/" + first->getValue<std::string>("id"), "",
                               ifMatch(first->getValue<Poco::Int64>("version"))));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), propertyValues(fetch(path).body, "UID").size());
    }

    void testTheSecretNeverReachesTheAccessLog()
    {
        auto& s = *_pServer;
        auto& log = Poco::Logger::get("captrack.access");
        Poco::AutoPtr<KeptLines> pKept(new KeptLines);
        Poco::AutoPtr<Poco::Channel> pBefore(log.getChannel(), true);
        const int levelBefore = log.getLevel();
        log.setChannel(pKept);
        log.setLevel(Poco::Message::PRIO_INFORMATION);
        s.signIn("lead");
        const std::string path = feedPath(s.post(API + "/me/calendar", ""));
        const std::string secret = path.substr(10, 64);
        fetch(path);
        fetch(path + "?x=1");
        fetch("/calendar/%" + Poco::format("%x", static_cast<int>(secret[0])) + secret.substr(1) + ".ics");
        fetch("/calendar/" + secret + ".ics#fragment");
        fetch("/api/v1/" + secret);
        log.setChannel(pBefore);
        log.setLevel(levelBefore);
        const auto lines = pKept->lines();
        std::string all;
        for (const auto& line : lines)
            all += line + "\n";
        // Sign-in, POST, two feed requests and the stray secret; the transport refuses the other two before
        // they are routed (no access line), and loggableTarget's own cases cover their spellings.
        CPPUNIT_ASSERT_MESSAGE(all, lines.size() >= 5);
        std::size_t feedLines = 0;
        for (const auto& line : lines)
        {
            CPPUNIT_ASSERT_MESSAGE(line, line.find(secret) == std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(line, line.find(secret.substr(0, 32)) == std::string::npos);
            feedLines += line.rfind("GET /calendar/***** ", 0) == 0 ? 1 : 0;
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE(all, std::size_t(2), feedLines);
    }

    void testLoggableTargets()
    {
        using captrack::http::loggableTarget;
        const std::string secret = std::string(32, 'a') + std::string(32, '1');
        const std::vector<std::pair<std::string, std::string>> cases{
            {"/api/v1/projects?limit=5", "/api/v1/projects?limit=5"},
            {"/calendar/" + secret + ".ics", "/calendar/*****"},
            {"/calendar/x", "/calendar/*****"},
            {"/%63alendar/" + secret + ".ics", "/calendar/*****"},
            {"/api/v1/" + secret, "/api/v1/*****"},
            {"/x/" + secret + "/" + secret + ".ics?q=" + secret, "/x/*****/*****.ics?q=*****"},
            {"/api/v1/projects/1234567", "/api/v1/projects/1234567"},
            {"/calendar", "/calendar"},
        };
        for (const auto& [target, shown] : cases)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(target, shown, loggableTarget(target));
    }

private:
    Poco::Int64 project(const std::string& code, const std::string& visibility, Poco::Int64 lead)
    {
        return _pServer->create(API + "/projects", R"({"code": "CT-)" + code + R"(", "title": "Project )" + code +
                                                       R"(", "kind": "capability", "visibility": ")" + visibility +
                                                       R"(", "lead_user_id": )" + std::to_string(lead) + "}");
    }

    void contribute(Poco::Int64 project, Poco::Int64 partner)
    {
        _pServer->create(API + "/projects/" + std::to_string(project) + "/contributions",
                         R"({"partner_id": )" + std::to_string(partner) +
                             R"(, "role": "contributor", "kind": "funding", "state": "pledged", "amount_eur": 1000})");
    }

    Poco::Int64 milestone(Poco::Int64 project, const std::string& title, const std::string& baseline,
                          const std::string& forecast)
    {
        return _pServer->create(API + "/projects/" + std::to_string(project) + "/milestones",
                                R"({"title": ")" + title + R"(", "baseline_date": ")" + baseline + "\"" +
                                    (forecast.empty() ? "" : R"(, "forecast_date": ")" + forecast + "\"") + "}");
    }

    /// The path of the feed a POST /me/calendar answered.
    static std::string feedPath(const HttpResult& made)
    {
        expectStatus("POST /me/calendar", 201, made);
        const std::string url = text(made, "url");
        return url.substr(url.find("/calendar/"));
    }

    /// GET without a bearer token, as a calendar client asks.
    HttpResult fetch(const std::string& path)
    {
        auto& s = *_pServer;
        const std::string token = s.token();
        s.useToken("");
        auto result = s.get(path);
        s.useToken(token);
        return result;
    }

    std::unique_ptr<HttpTestServer> _pServer;
    std::string _adminToken;
    Poco::Int64 _ukr = 0, _jor = 0, _lead = 0;
    Poco::Int64 _public = 0, _participating = 0, _otherParticipants = 0, _restricted = 0;
    std::map<Poco::Int64, Poco::Int64> _milestones; ///< project -> its milestone
};

CPPUNIT_TEST_SUITE_REGISTRATION(CalendarApiTest);
