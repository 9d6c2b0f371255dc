#include "CredentialMatrixRows.h"
#include "MatrixCases.h"
#include "ReportMatrixRows.h"
#include "WebhookMatrixRows.h"

#include <Poco/Data/Session.h>
#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

#include <iostream>
#include <set>

using namespace captrack::test::api;
using namespace captrack::test::matrix;
using captrack::test::HttpResult;
using captrack::test::HttpTestServer;

namespace
{
/// Every occurrence of `what` in `text` replaced by `with`.
std::string replaceAll(std::string text, const std::string& what, const std::string& with)
{
    for (auto at = text.find(what); !what.empty() && at != std::string::npos; at = text.find(what, at + with.size()))
        text.replace(at, what.size(), with);
    return text;
}

/// The path of a request-target, without its query.
std::string pathOf(const std::string& target)
{
    return target.substr(0, target.find('?'));
}

std::string joined(const std::vector<std::string>& lines)
{
    std::string out;
    for (const auto& line : lines)
        out += "\n  " + line;
    return out;
}

/// The same path spelled in ways that are not its normal form.
std::vector<std::string> pathVariants(const std::string& pathAndQuery)
{
    const auto question = pathAndQuery.find('?');
    const std::string path = pathAndQuery.substr(0, question);
    const std::string query = question == std::string::npos ? "" : pathAndQuery.substr(question);
    const auto second = path.find('/', 1);
    const std::string first = path.substr(0, second), rest = second == std::string::npos ? "" : path.substr(second);
    return {"/" + path + query,
            path + "/" + query,
            first + "/" + rest + query,
            first + "/." + rest + query,
            first + "/x/.." + rest + query,
            first + "/%2e%2e" + first + rest + query,
            "/%2f" + path.substr(1) + query,
            path.substr(1) + query};
}
/// What a partner may not see of another partner's contribution: its amounts and details, and the
/// version and times that would tell when they changed.
const char* const HIDDEN_CONTRIBUTION_FIELDS[] = {"kind",        "state",   "amount_eur", "person_months",
                                                  "description", "version", "created_at", "updated_at"};

std::string shortBody(const std::string& body)
{
    return body.size() > 300 ? body.substr(0, 300) + "..." : body;
}
} // namespace

/// Who may do what (README.md "API": "Access" and the conventions; docs/HTTP.md): every route of the
/// router against every principal, over one world of four projects, plus what a partner's responses must
/// never contain and what its 404s must look like.
class AuthorizationMatrixTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(AuthorizationMatrixTest);
    CPPUNIT_TEST(testEveryRouteHasARowAndEveryRowARoute);
    CPPUNIT_TEST(testEveryCellAnswersItsExpectedStatus);
    CPPUNIT_TEST(testPathVariantsOfEveryRouteAre400ForEveryone);
    CPPUNIT_TEST(testPartnersReadNothingHiddenFromThem);
    CPPUNIT_TEST(testInvisibleProjectsAnswerLikeMissingOnes);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        auto& s = *(_pServer = std::make_unique<HttpTestServer>());
        auto& w = _world;
        s.seedReference();
        w.ukr = s.partnerId("UKR");
        w.ita = s.partnerId("ITA");
        w.jor = s.partnerId("JOR");
        w.kfor = number(s.get(API + "/missions/KFOR"), "id");
        w.userIds[Admin] = number(s.get(API + "/me"), "id");
        w.userIds[Reviewer] = s.addUser(USERNAMES[Reviewer], "reviewer");
        w.userIds[Lead1] = s.addUser(USERNAMES[Lead1], "lead");
        w.userIds[Lead2] = s.addUser(USERNAMES[Lead2], "lead");
        w.userIds[PartnerU] = s.addUser(USERNAMES[PartnerU], "partner", w.ukr);
        w.userIds[PartnerJ] = s.addUser(USERNAMES[PartnerJ], "partner", w.jor);
        w.bystander = s.addUser("bystander", "reviewer");
        for (std::size_t who = Admin; who < WHO_COUNT; ++who)
        {
            s.signIn(USERNAMES[who]);
            w.tokens[who] = s.token();
        }
        s.useToken(w.tokens[Admin]);

        w.pub = makeProject("P_pub", "ZQ-PUBLIC", "Open venture Xray", "public", Lead1, true, true);
        w.part = makeProject("P_part", "ZQ-PARTICIPANTS", "Shared venture Whiskey", "participants", Lead1, true, false);
        w.otherPart =
            makeProject("P_other_part", "ZQ-OTHER-PART", "Hidden cooperation Zulu", "participants", Lead2, false, true);
        w.restr =
            makeProject("P_restr", "ZQ-RESTRICTED", "Restricted venture Yankee", "restricted", Lead1, false, false);
        // Distinctive amounts, person-months and descriptions, so that a leak shows in any body.
        w.ukrOnPub =
            contribute(w.pub, w.ukr, "co_director", "funding", "committed", "5550001", "5551.25", "ukr-desc-pub");
        w.jorOnPub =
            contribute(w.pub, w.jor, "contributor", "equipment", "delivered", "7777001", "7771.25", "jor-secret-pub");
        w.ukrOnPart =
            contribute(w.part, w.ukr, "lead_nation", "personnel", "pledged", "5550002", "5552.25", "ukr-desc-part");
        w.jorOnOther = contribute(w.otherPart, w.jor, "lead_nation", "expertise", "committed", "7777002", "7772.25",
                                  "jor-secret-other");
        w.ukrOnRestr = contribute(w.restr, w.ukr, "co_director", "facilities", "delivered", "5550003", "5553.25",
                                  "ukr-desc-restr");
        for (ProjectFixture* p : {&w.pub, &w.part, &w.otherPart, &w.restr})
            addChildren(*p);
    }

    void tearDown() override { _pServer.reset(); }

    /// A route added without a row, or a row left behind by a removed route, fails here by name: the
    /// routes are the router's own table (Router::table).
    void testEveryRouteHasARowAndEveryRowARoute()
    {
        std::set<std::string> served;
        for (const auto& route : _pServer->server().router().table())
            served.insert(route.name());
        std::set<std::string> covered;
        for (const auto& row : matrixRows(_world))
            covered.insert(row.route);
        std::vector<std::string> missing, stale;
        for (const auto& route : served)
            if (!covered.count(route))
                missing.push_back(route);
        for (const auto& route : covered)
            if (!served.count(route))
                stale.push_back(route);
        CPPUNIT_ASSERT_MESSAGE("routes of the router without a row in tests/http/MatrixCases.h:" + joined(missing) +
                                   "\nrows naming a route the router does not have:" + joined(stale),
                               missing.empty() && stale.empty());
    }

    /// Runs every cell (row x principal) through the server; lists every cell that answered otherwise, and
    /// every refused cell (4xx) that wrote to the audit trail all the same.
    void testEveryCellAnswersItsExpectedStatus()
    {
        auto& s = *_pServer;
        const auto& router = s.server().router();
        const auto rows = matrixRows(_world);
        std::vector<std::string> failures;
        std::set<std::string> covered;
        std::size_t cells = 0, serial = 0;
        for (const auto& row : rows)
        {
            covered.insert(row.route);
            for (std::size_t index = 0; index < WHO_COUNT; ++index)
            {
                const Who who = static_cast<Who>(index);
                s.useToken(_world.tokens[Admin]);
                Cell cell{s, _world, who, "C" + std::to_string(++serial)};
                const Request request = row.prepare(cell);
                const std::string where =
                    row.route + " | " + row.name + " | " + WHO_NAMES[who] + ": " + row.method() + " " + request.path;
                // The router itself says which route serves the request (Router::match, as dispatch picks it).
                const auto routed = router.match(row.method(), pathOf(request.path));
                if (!routed || routed->name() != row.route)
                    failures.push_back(where + " is served by '" + (routed ? routed->name() : "no route") +
                                       "', not by the row's route");
                s.useToken(request.token.value_or(_world.tokens[who]));
                // Every accepted write appends to the audit trail: a refused request must append nothing.
                const bool refused = row.expect[who] >= 400;
                const Poco::Int64 audited = refused ? auditEvents() : 0;
                const HttpResult result = s.request(row.method(), request.path, request.body, request.headers);
                ++cells;
                if (result.status != row.expect[who])
                    failures.push_back(where + " expected " + std::to_string(row.expect[who]) + ", got " +
                                       std::to_string(result.status) + " -> " + shortBody(result.body));
                else if (refused && auditEvents() != audited)
                    failures.push_back(where + " answered " + std::to_string(result.status) +
                                       " but wrote: audit events " + std::to_string(audited) + " -> " +
                                       std::to_string(auditEvents()));
            }
        }
        s.useToken(_world.tokens[Admin]);
        std::cout << "\n[authorization matrix] " << rows.size() << " rows, " << cells << " cells, " << covered.size()
                  << " routes, " << failures.size() << " failing cells" << std::endl;
        CPPUNIT_ASSERT_MESSAGE(std::to_string(failures.size()) + " of " + std::to_string(cells) +
                                   " cells answered otherwise:" + joined(failures),
                               failures.empty());
    }

    /// Deny by default, before routing: every route's path spelled another way (an empty segment, a
    /// `.` or `..` segment, an encoded slash, no leading slash) answers 400 to everyone, anonymous
    /// included, and writes nothing.
    void testPathVariantsOfEveryRouteAre400ForEveryone()
    {
        auto& s = *_pServer;
        std::vector<std::pair<const Row*, Request>> requests;
        std::set<std::string> seen;
        const auto rows = matrixRows(_world);
        for (const auto& row : rows)
        {
            if (!seen.insert(row.route).second)
                continue;
            s.useToken(_world.tokens[Admin]);
            Cell cell{s, _world, Admin, "V" + std::to_string(seen.size())};
            requests.emplace_back(&row, row.prepare(cell));
        }
        const Poco::Int64 audited = s.count("audit_events");
        std::vector<std::string> failures;
        std::size_t cells = 0;
        for (const auto& [pRow, request] : requests)
            for (const std::string& variant : pathVariants(request.path))
                for (const Who who : {Anonymous, Admin, PartnerU})
                {
                    s.useToken(_world.tokens[who]);
                    const HttpResult result = s.request(pRow->method(), variant, request.body, request.headers);
                    ++cells;
                    if (result.status != 400)
                        failures.push_back(pRow->route + " | " + WHO_NAMES[who] + ": " + pRow->method() + " " +
                                           variant + " got " + std::to_string(result.status) + " -> " +
                                           shortBody(result.body));
                }
        s.useToken(_world.tokens[Admin]);
        std::cout << "\n[path variants] " << requests.size() << " routes, " << cells << " cells, " << failures.size()
                  << " failing" << std::endl;
        CPPUNIT_ASSERT_MESSAGE(std::to_string(failures.size()) + " of " + std::to_string(cells) +
                                   " path variants were not refused:" + joined(failures),
                               failures.empty());
        CPPUNIT_ASSERT_EQUAL_MESSAGE("a refused path wrote nothing", audited, s.count("audit_events"));
    }

    /// As each partner, GETs every readable route (lists, items, filters, the other partner's contributions,
    /// the projects it may not see) and checks that no body holds the other partner's amounts, person-months
    /// or descriptions, nor the code or title of a project it may not see (or anything made on it).
    void testPartnersReadNothingHiddenFromThem()
    {
        auto& s = *_pServer;
        const auto& w = _world;
        // The scan can fail: each partner does read its own amounts, and the other's contribution without them.
        s.useToken(w.tokens[PartnerU]);
        const auto own = s.get(API + "/contributions/" + str(w.ukrOnPub));
        expectStatus("partnerU reads its own contribution", 200, own);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(5550001), number(own, "amount_eur"));
        const auto other = s.get(API + "/contributions/" + str(w.jorOnPub));
        expectStatus("partnerU reads JOR's contribution on P_pub", 200, other);
        CPPUNIT_ASSERT_EQUAL(std::string("contributor"), text(other, "role"));
        CPPUNIT_ASSERT_EQUAL(w.jor, number(other, "partner_id"));
        for (const char* hidden : HIDDEN_CONTRIBUTION_FIELDS)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(hidden, std::string("null"), text(other, hidden));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("ETag of JOR's contribution", std::string(), other.header("ETag"));
        CPPUNIT_ASSERT_EQUAL(std::string("\"1\""), own.header("ETag"));
        CPPUNIT_ASSERT_EQUAL(std::string("ZQ-PARTICIPANTS,ZQ-PUBLIC"), column(s.get(API + "/projects"), "code"));
        s.useToken(w.tokens[PartnerJ]);
        CPPUNIT_ASSERT_EQUAL(std::string("ZQ-OTHER-PART,ZQ-PUBLIC"), column(s.get(API + "/projects"), "code"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(7777001),
                             number(s.get(API + "/contributions/" + str(w.jorOnPub)), "amount_eur"));
        s.useToken(w.tokens[Admin]);

        std::vector<std::string> leaks;
        scanAs(PartnerU, w.jor,
               {"7777001", "7777002", "7771.25", "7772.25", "jor-secret-pub", "jor-secret-other", "5550003", "5553.25",
                "ukr-desc-restr", w.restr.code, w.restr.title, w.otherPart.code, w.otherPart.title},
               leaks);
        scanAs(PartnerJ, w.ukr,
               {"5550001", "5550002", "5550003", "5551.25", "5552.25", "5553.25", "ukr-desc-pub", "ukr-desc-part",
                "ukr-desc-restr", w.restr.code, w.restr.title, w.part.code, w.part.title},
               leaks);
        CPPUNIT_ASSERT_MESSAGE("partners read what is hidden from them:" + joined(leaks), leaks.empty());
    }

    /// A partner's 404 for a project it may not see (and everything on it) is the 404 of an id that does
    /// not exist: same status, content type and body but for the path.
    void testInvisibleProjectsAnswerLikeMissingOnes()
    {
        auto& s = *_pServer;
        std::vector<std::string> differences;
        std::size_t compared = 0;
        for (const Who who : {PartnerU, PartnerJ})
            for (const ProjectFixture* p : _world.projects())
            {
                if (who == PartnerU ? p->seenByU : p->seenByJ)
                    continue;
                for (const auto& [method, hidden, missing, body] : invisibleAndMissing(*p, who))
                {
                    s.useToken(_world.tokens[who]);
                    const auto headers =
                        method == "GET" || method == "POST" ? std::map<std::string, std::string>() : ifMatch(1);
                    const HttpResult a = s.request(method, hidden, body, headers);
                    const HttpResult b = s.request(method, missing, body, headers);
                    ++compared;
                    const std::string where = WHO_NAMES[who] + " " + method + " " + hidden + " vs " + missing;
                    if (a.status != 404 || b.status != 404)
                        differences.push_back(where + ": statuses " + std::to_string(a.status) + " and " +
                                              std::to_string(b.status) + " -> " + shortBody(a.body));
                    else if (a.contentType != b.contentType || replaceAll(a.body, pathOf(hidden), "{path}") !=
                                                                   replaceAll(b.body, pathOf(missing), "{path}"))
                        differences.push_back(where + ":\n    " + a.contentType + " " + a.body + "\n    " +
                                              b.contentType + " " + b.body);
                }
            }
        s.useToken(_world.tokens[Admin]);
        CPPUNIT_ASSERT(compared >= 100);
        CPPUNIT_ASSERT_MESSAGE("404s for invisible projects that differ from 404s for missing ones:" +
                                   joined(differences),
                               differences.empty());
    }

private:
    /// The rows of the audit trail, read on a session of the server's own pool (cheaper than a connection of
    /// the independent reader per cell).
    Poco::Int64 auditEvents()
    {
        Poco::Int64 rows = 0;
        auto pLease = _pServer->db().database().lease();
        pLease->session() << "SELECT COUNT(*) FROM audit_events", Poco::Data::Keywords::into(rows),
            Poco::Data::Keywords::now;
        return rows;
    }

    ProjectFixture makeProject(const std::string& name, const std::string& code, const std::string& title,
                               const std::string& visibility, Who lead, bool seenByU, bool seenByJ)
    {
        ProjectFixture p{name, code, title, visibility, lead, seenByU, seenByJ};
        p.id = _pServer->create(API + "/projects", R"({"code": ")" + code + R"(", "title": ")" + title +
                                                       R"(", "kind": "capability", "capability_area": "CYB",
            "objectives": ["SO1"], "status": "implementation", "budget_eur": 900000, "visibility": ")" +
                                                       visibility + R"(", "lead_user_id": )" +
                                                       str(_world.userIds[lead]) + "}");
        return p;
    }

    Poco::Int64 contribute(ProjectFixture& p, Poco::Int64 partner, const std::string& role, const std::string& kind,
                           const std::string& state, const std::string& amount, const std::string& personMonths,
                           const std::string& description)
    {
        const auto id = _pServer->create(API + "/projects/" + str(p.id) + "/contributions",
                                         R"({"partner_id": )" + str(partner) + R"(, "role": ")" + role +
                                             R"(", "kind": ")" + kind + R"(", "state": ")" + state +
                                             R"(", "amount_eur": )" + amount + R"(, "person_months": )" + personMonths +
                                             R"(, "description": ")" + description + R"("})");
        if (!p.contribution)
            p.contribution = id;
        return id;
    }

    /// A milestone (with a forecast, so that it has history), a link to KFOR and a baseline, each naming
    /// the project's code so that a leak of any of them shows in the body scan.
    void addChildren(ProjectFixture& p)
    {
        auto& s = *_pServer;
        const std::string project = API + "/projects/" + str(p.id);
        p.milestone = s.create(project + "/milestones", R"({"title": "Milestone of )" + p.code +
                                                            R"(", "baseline_date": "2027-06-01",
            "forecast_date": "2027-07-15", "status": "in_progress", "progress": 40})");
        expectStatus("PATCH milestone of " + p.code, 200,
                     s.patch(API + "/milestones/" + str(p.milestone), R"({"progress": 50})", 1));
        s.create(project + "/missions", R"({"mission_id": )" + str(_world.kfor) +
                                            R"(, "relation": "direct_support", "note": "Link of )" + p.code + R"("})");
        p.baseline = s.create(project + "/baselines",
                              R"({"name": "BL-)" + p.code + R"(", "reason": "Plan of )" + p.title + R"("})");
    }

    /// Every GET path `who` might read, over all four projects (the invisible ones too), below /api/v1.
    std::vector<std::string> scanPaths(Who who) const
    {
        const auto& w = _world;
        std::vector<std::string> paths{"/me", "/me/tokens", "/users/" + str(w.userIds[who]), "/audit", "/users"};
        for (const char* grouping :
             {"framework", "partner", "capability_area", "objective", "mission", "kind", "status", "health"})
            for (const char* format : {"json", "csv", "md", "html"})
                paths.push_back(std::string("/reports/portfolio?group_by=") + grouping + "&format=" + format);
        paths.push_back("/missions/KFOR/impact");
        paths.push_back("/missions/" + str(w.kfor) + "/impact");
        for (const char* filtered : {"partner=JOR", "framework=MD", "partner=UKR&group_by=partner", "mission=KFOR"})
            paths.push_back(std::string("/reports/portfolio?") + filtered);
        for (const char* reference : {"partners", "missions", "capability-areas", "objectives"})
            paths.push_back(std::string("/") + reference + "?limit=500");
        for (const char* item : {"partners/UKR", "partners/JOR", "partners/ITA", "missions/KFOR", "missions/NMI",
                                 "capability-areas/CYB", "objectives/SO1"})
            paths.push_back(std::string("/") + item);
        for (const std::string& partner : {std::string("JOR"), std::string("UKR"), std::string("ITA"), str(w.jor)})
            for (const std::string& query :
                 {std::string(), std::string("?limit=500"), std::string("?sort=-id"), "?project_id=" + str(w.pub.id),
                  "?project_id=" + str(w.otherPart.id), "?project_id=" + str(w.restr.id)})
                paths.push_back("/partners/" + partner + "/contributions" + query);
        for (const char* query :
             {"", "?limit=500", "?sort=-updated_at", "?visibility=restricted", "?visibility=participants",
              "?visibility=restricted,participants,public", "?partner=JOR", "?partner=UKR", "?partner=ITA",
              "?status=implementation", "?kind=capability", "?capability_area=CYB", "?mission=KFOR", "?q=ZQ",
              "?q=venture", "?q=Hidden", "?q=Restricted", "?sort=title", "?sort=-budget_eur"})
            paths.push_back(std::string("/projects") + query);
        for (const ProjectFixture* p : w.projects())
        {
            const std::string project = "/projects/" + str(p->id);
            for (const std::string& path : {project,
                                            "/projects/" + p->code,
                                            project + "/milestones",
                                            project + "/contributions",
                                            project + "/contributions?sort=-id",
                                            project + "/contributions?partner_id=" + str(w.jor),
                                            project + "/contributions?partner_id=" + str(w.ukr),
                                            project + "/missions",
                                            project + "/missions/KFOR",
                                            project + "/missions/" + str(w.kfor),
                                            project + "/baselines",
                                            project + "/baselines/" + str(p->baseline),
                                            project + "/baselines/BL-" + p->code,
                                            "/milestones/" + str(p->milestone),
                                            "/milestones/" + str(p->milestone) + "/history",
                                            project + "/summary",
                                            project + "/summary?format=md",
                                            project + "/summary?format=html",
                                            project + "/summary?format=txt",
                                            project + "/trend",
                                            project + "/trend?format=svg"})
                paths.push_back(path);
        }
        for (const auto id : {w.ukrOnPub, w.jorOnPub, w.ukrOnPart, w.jorOnOther, w.ukrOnRestr})
            paths.push_back("/contributions/" + str(id));
        return paths;
    }

    /// GETs every scan path as `who`; adds to `leaks` each body (the request's own path left out) holding a
    /// secret, and each contribution of another partner showing a field hidden from `who`.
    void scanAs(Who who, Poco::Int64 otherPartner, const std::vector<std::string>& secrets,
                std::vector<std::string>& leaks)
    {
        auto& s = *_pServer;
        s.useToken(_world.tokens[who]);
        std::size_t ok = 0;
        for (const auto& path : scanPaths(who))
        {
            const std::string uri = API + path;
            const HttpResult result = s.get(uri);
            ok += result.status == 200 ? 1 : 0;
            const std::string body =
                replaceAll(replaceAll(result.body, uri, "{uri}"), uri.substr(0, uri.find('?')), "{path}");
            for (const auto& secret : secrets)
                if (body.find(secret) != std::string::npos)
                    leaks.push_back(WHO_NAMES[who] + " GET " + uri + " (" + std::to_string(result.status) +
                                    ") shows '" + secret + "': " + shortBody(result.body));
            if (!result.body.empty() && result.body.front() == '{')
                checkRedacted(Poco::JSON::Parser().parse(result.body), otherPartner, WHO_NAMES[who] + " GET " + uri,
                              leaks);
        }
        s.useToken(_world.tokens[Admin]);
        // The scan read something: every reference route, the visible projects and their children.
        CPPUNIT_ASSERT_MESSAGE(WHO_NAMES[who] + " got 200 on " + std::to_string(ok) + " paths", ok >= 70);
    }

    /// Walks a JSON value; every contribution of `otherPartner` in it must have its hidden fields null.
    static void checkRedacted(const Poco::Dynamic::Var& value, Poco::Int64 otherPartner, const std::string& where,
                              std::vector<std::string>& leaks)
    {
        if (value.type() == typeid(Poco::JSON::Array::Ptr))
        {
            for (const auto& item : *value.extract<Poco::JSON::Array::Ptr>())
                checkRedacted(item, otherPartner, where, leaks);
            return;
        }
        if (value.type() != typeid(Poco::JSON::Object::Ptr))
            return;
        const auto object = value.extract<Poco::JSON::Object::Ptr>();
        if (object->has("partner_id") && object->has("role") && object->has("amount_eur") &&
            !object->get("partner_id").isEmpty() && object->getValue<Poco::Int64>("partner_id") == otherPartner)
            for (const char* hidden : HIDDEN_CONTRIBUTION_FIELDS)
                if (!object->get(hidden).isEmpty())
                    leaks.push_back(where + ": another partner's " + hidden + " = " +
                                    object->get(hidden).convert<std::string>());
        for (const auto& [key, member] : *object)
            checkRedacted(member, otherPartner, where, leaks);
    }

    struct Probe
    {
        std::string method;
        std::string hidden;  ///< a path on the invisible project
        std::string missing; ///< the same path on a project (or record) that does not exist
        std::string body;
    };

    /// Requests on an invisible project and its records, each paired with the same request on a missing one.
    std::vector<Probe> invisibleAndMissing(const ProjectFixture& p, Who who) const
    {
        const std::string project = API + "/projects/" + str(p.id), none = API + "/projects/" + MISSING_ID;
        std::vector<Probe> probes{
            {"GET", API + "/projects/" + p.code, API + "/projects/ZQ-NO-SUCH-PROJECT", ""},
            {"GET", API + "/milestones/" + str(p.milestone), API + "/milestones/" + MISSING_ID, ""},
            {"GET", API + "/milestones/" + str(p.milestone) + "/history",
             API + "/milestones/" + MISSING_ID + "/history", ""},
            {"GET", API + "/contributions/" + str(p.contribution), API + "/contributions/" + MISSING_ID, ""},
            {"PATCH", project, none, R"({"title": "Taken over"})"},
            {"DELETE", project, none, ""},
            {"PATCH", API + "/milestones/" + str(p.milestone), API + "/milestones/" + MISSING_ID,
             R"({"progress": 99})"},
            {"DELETE", API + "/contributions/" + str(p.contribution), API + "/contributions/" + MISSING_ID, ""},
            {"POST", project + "/milestones", none + "/milestones",
             R"({"title": "Planted", "baseline_date": "2027-09-01"})"},
            {"POST", project + "/baselines", none + "/baselines",
             R"({"name": "Planted by )" + WHO_NAMES[who] + R"(", "reason": "probe"})"},
            {"PATCH", project + "/missions/KFOR", none + "/missions/KFOR", R"({"note": "probe"})"},
        };
        for (const std::string& below :
             {std::string(), std::string("/milestones"), std::string("/contributions"), std::string("/missions"),
              std::string("/missions/KFOR"), "/missions/" + str(_world.kfor), std::string("/baselines"),
              "/baselines/" + str(p.baseline), "/baselines/BL-" + p.code, std::string("/summary"),
              std::string("/summary?format=md"), std::string("/trend"), std::string("/trend?format=svg"),
              "/trend?baseline=BL-" + p.code})
            probes.push_back({"GET", project + below, none + below, ""});
        probes.push_back({"PATCH", API + "/contributions/" + str(p.contribution), API + "/contributions/" + MISSING_ID,
                          R"({"amount_eur": 1})"});
        probes.push_back({"DELETE", project + "/missions/KFOR", none + "/missions/KFOR", ""});
        probes.push_back({"POST", project + "/contributions", none + "/contributions",
                          R"({"partner_id": 1, "role": "observer", "kind": "data"})"});
        return probes;
    }

    std::unique_ptr<HttpTestServer> _pServer;
    World _world;
};

CPPUNIT_TEST_SUITE_REGISTRATION(AuthorizationMatrixTest);
