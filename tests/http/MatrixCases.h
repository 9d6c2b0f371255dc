#pragma once

// The authorization matrix (README.md "API", its "Access" paragraph; docs/HTTP.md): one row per route and case,
// each with the status every principal must get. AuthorizationMatrixTest builds the world these rows
// name and runs every cell through the real server.

#include "ApiAssertions.h"
#include "captrack/http/Router.h"
#include "captrack/http/StaticFiles.h"

#include <Poco/String.h>

#include <array>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace captrack::test::matrix
{

using namespace captrack::test::api;

/// The columns of the matrix: who sends the request.
enum Who : std::size_t
{
    Anonymous,
    Admin,
    Reviewer,
    Lead1,
    Lead2,
    PartnerU,
    PartnerJ,
    WHO_COUNT
};

inline const std::array<std::string, WHO_COUNT> WHO_NAMES{"anonymous", "admin",    "reviewer", "lead1",
                                                          "lead2",     "partnerU", "partnerJ"};
/// Sign-in names (usernames are lower case); anonymous has none.
inline const std::array<std::string, WHO_COUNT> USERNAMES{"",      "admin",    "reviewer", "lead1",
                                                          "lead2", "partneru", "partnerj"};

/// The expected status per principal, indexed by Who.
using Expect = std::array<int, WHO_COUNT>;

/// One project of the fixture world and who may see it.
struct ProjectFixture
{
    std::string name; ///< P_pub, P_part, P_other_part, P_restr
    std::string code;
    std::string title;
    std::string visibility;
    Who lead = Lead1;
    bool seenByU = false; ///< partnerU (UKR) may read it
    bool seenByJ = false; ///< partnerJ (JOR) may read it
    Poco::Int64 id = 0;
    Poco::Int64 milestone = 0;
    Poco::Int64 contribution = 0; ///< the first contribution made to it
    Poco::Int64 baseline = 0;
};

/// What setUp creates (as admin) and the rows refer to.
struct World
{
    std::array<Poco::Int64, WHO_COUNT> userIds{}; ///< 0 for anonymous
    std::array<std::string, WHO_COUNT> tokens{};  ///< "" for anonymous
    Poco::Int64 bystander = 0;                    ///< a user none of the principals is
    Poco::Int64 ukr = 0, ita = 0, jor = 0, kfor = 0;
    ProjectFixture pub, part, otherPart, restr;
    Poco::Int64 ukrOnPub = 0, jorOnPub = 0, ukrOnPart = 0, jorOnOther = 0, ukrOnRestr = 0;

    [[nodiscard]] std::vector<const ProjectFixture*> projects() const { return {&pub, &part, &otherPart, &restr}; }
};

/// What a cell sends (the method comes from its row's route).
struct Request
{
    explicit Request(std::string path_, std::string body_ = "", std::map<std::string, std::string> headers_ = {})
        : path(std::move(path_)), body(std::move(body_)), headers(std::move(headers_))
    {
    }

    std::string path;
    std::string body;
    std::map<std::string, std::string> headers;
    std::optional<std::string> token; ///< sent instead of the principal's token when set
};

/// Handed to a row's prepare(): the server, signed in as admin, the world, who will send the request and a
/// tag unique to the cell for the names of the throwaway records prepare() may create.
struct Cell
{
    HttpTestServer& server;
    const World& world;
    Who who;
    std::string tag;
};

/// One row: a route, a case of it, how to make the request, and the status each principal must get.
struct Row
{
    std::string route; ///< "METHOD pattern", as RouteInfo::name() prints it: the route the request must match
    std::string name;
    std::function<Request(Cell&)> prepare;
    Expect expect;

    [[nodiscard]] std::string method() const { return route.substr(0, route.find(' ')); }
};

inline const std::string MISSING_ID = "987654";

// ---- expectations ----

inline Expect everyone(int status)
{
    Expect expect{};
    expect.fill(status);
    return expect;
}

/// `status` for every signed-in principal, 401 without a token.
inline Expect signedIn(int status)
{
    Expect expect = everyone(status);
    expect[Anonymous] = 401;
    return expect;
}

/// `ok` for admin, 403 for the other roles.
inline Expect adminOnly(int ok)
{
    Expect expect = signedIn(403);
    expect[Admin] = ok;
    return expect;
}

/// `ok` for admin and reviewer, 403 for leads and partners (the audit trail).
inline Expect adminAndReviewer(int ok)
{
    Expect expect = adminOnly(ok);
    expect[Reviewer] = ok;
    return expect;
}

/// `ok` for the staff roles (admin, reviewer, leads), 403 for partners (report snapshots).
inline Expect staffOnly(int ok)
{
    Expect expect = signedIn(ok);
    expect[PartnerU] = expect[PartnerJ] = 403;
    return expect;
}

/// `ok` for admin and lead1 and lead2, 403 for reviewer and partners (creating a project).
inline Expect adminAndLeads(int ok)
{
    Expect expect = adminOnly(ok);
    expect[Lead1] = expect[Lead2] = ok;
    return expect;
}

/// Reading something on a project: staff roles see every project, a partner only the ones it may see (404).
inline Expect readExpect(bool seenByU, bool seenByJ)
{
    Expect expect = signedIn(200);
    expect[PartnerU] = seenByU ? 200 : 404;
    expect[PartnerJ] = seenByJ ? 200 : 404;
    return expect;
}

inline Expect readOf(const ProjectFixture& project)
{
    return readExpect(project.seenByU, project.seenByJ);
}

/// Writing something on a project: admin and its lead may, reviewer and the other lead get 403, a partner
/// 403 where it can see the project and 404 where it cannot.
inline Expect writeExpect(Who lead, bool seenByU, bool seenByJ, int ok)
{
    Expect expect = signedIn(403);
    expect[Admin] = expect[lead] = ok;
    expect[PartnerU] = seenByU ? 403 : 404;
    expect[PartnerJ] = seenByJ ? 403 : 404;
    return expect;
}

inline Expect writeOf(const ProjectFixture& project, int ok)
{
    return writeExpect(project.lead, project.seenByU, project.seenByJ, ok);
}

/// 200 for staff roles, `partners` for both partners (filtering or sorting by fields hidden from them).
inline Expect staffElse(int partners)
{
    Expect expect = signedIn(200);
    expect[PartnerU] = expect[PartnerJ] = partners;
    return expect;
}

// ---- throwaway records, made as admin ----

inline std::string str(Poco::Int64 id)
{
    return std::to_string(id);
}

/// A PATCH or DELETE of `path` with If-Match naming its current version (read as admin).
inline Request current(HttpTestServer& server, const std::string& path, const std::string& body = "")
{
    return Request(path, body, ifMatch(number(server.get(path), "version")));
}

inline Poco::Int64 newMilestone(Cell& cell, Poco::Int64 project)
{
    return cell.server.create(API + "/projects/" + str(project) + "/milestones",
                              R"({"title": "Throwaway )" + cell.tag + R"(", "baseline_date": "2027-08-01"})");
}

/// A contribution of Italy, which no partner principal is: it changes no partner's view.
inline Poco::Int64 newContribution(Cell& cell, Poco::Int64 project)
{
    return cell.server.create(API + "/projects/" + str(project) + "/contributions",
                              R"({"partner_id": )" + str(cell.world.ita) +
                                  R"(, "role": "observer", "kind": "data", "amount_eur": 10})");
}

inline Poco::Int64 newMission(Cell& cell)
{
    return cell.server.create(API + "/missions", R"({"code": "TM-)" + cell.tag + R"(", "name": "Throwaway )" +
                                                     cell.tag + R"(", "kind": "activity"})");
}

/// A link of the project to a new mission; returns the link's path.
inline std::string newLink(Cell& cell, Poco::Int64 project)
{
    const Poco::Int64 mission = newMission(cell);
    const std::string links = API + "/projects/" + str(project) + "/missions";
    cell.server.create(links, R"({"mission_id": )" + str(mission) + R"(, "relation": "interoperability"})");
    return links + "/" + str(mission);
}

inline Poco::Int64 newProject(Cell& cell, const std::string& visibility, Who lead)
{
    return cell.server.create(API + "/projects", R"({"code": "TP-)" + cell.tag + R"(", "title": "Throwaway )" +
                                                     cell.tag + R"(", "kind": "capability", "visibility": ")" +
                                                     visibility + R"(", "lead_user_id": )" +
                                                     str(cell.world.userIds[lead]) + "}");
}

inline Poco::Int64 newUser(Cell& cell)
{
    return cell.server.create(API + "/users", R"({"username": "u-)" + Poco::toLower(cell.tag) +
                                                  R"(", "display_name": "Throwaway", "role": "reviewer",
                                                  "password": "pw-throwaway-0123456"})");
}

/// An API token of `owner` (admin when owner is anonymous); returns its id.
inline Poco::Int64 newToken(Cell& cell, Who owner)
{
    auto& server = cell.server;
    server.useToken(cell.world.tokens[owner == Anonymous ? Admin : owner]);
    const auto result = server.post(API + "/me/tokens", R"({"name": "token )" + cell.tag + R"("})");
    server.useToken(cell.world.tokens[Admin]);
    expectStatus("POST /me/tokens for " + WHO_NAMES[owner], 201, result);
    return number(result, "id");
}

// ---- the rows ----

inline void addAccountRows(std::vector<Row>& rows)
{
    rows.push_back({"GET /healthz", "probe", [](Cell&) { return Request{"/healthz"}; }, everyone(200)});
    rows.push_back({"GET /readyz", "probe", [](Cell&) { return Request{"/readyz"}; }, everyone(200)});
    // Opened by an allowed address or the metrics token, never by a user's credentials, and by default by
    // nothing (MetricsApiTest: allowed addresses, the token).
    rows.push_back({"GET /metrics", "default settings", [](Cell&) { return Request{"/metrics"}; }, everyone(403)});
    for (const auto& path : http::staticFilePaths())
        rows.push_back({"GET " + path, "web page file", [path](Cell&) { return Request{path}; }, everyone(200)});
    rows.push_back({"POST /api/v1/auth/login", "own credentials (anonymous: reviewer's)",
                    [](Cell& c) {
                        const std::string user = USERNAMES[c.who == Anonymous ? Reviewer : c.who];
                        return Request{API + "/auth/login", R"({"username": ")" + user + R"(", "password": ")" +
                                                                HttpTestServer::passwordOf(user) + R"("})"};
                    },
                    everyone(200)});
    rows.push_back({"GET /api/v1/me", "self", [](Cell&) { return Request{API + "/me"}; }, signedIn(200)});
    rows.push_back({"GET /api/v1/openapi.json", "the API's description: public",
                    [](Cell&) { return Request{API + "/openapi.json"}; }, everyone(200)});
    rows.push_back({"GET /api/v1/meta", "the closed sets and their labels",
                    [](Cell&) { return Request{API + "/meta"}; }, signedIn(200)});
    rows.push_back({"GET /api/v1/me/tokens", "own", [](Cell&) { return Request{API + "/me/tokens"}; }, signedIn(200)});
    rows.push_back({"GET /api/v1/me/needs-update", "own projects",
                    [](Cell&) { return Request{API + "/me/needs-update"}; }, staffElse(403)});
    rows.push_back(
        {"GET /api/v1/me/needs-update", "a window and a day",
         [](Cell&) { return Request{API + "/me/needs-update?look_ahead_days=90&stale_days=7&as_of=2027-01-01"}; },
         staffElse(403)});
    rows.push_back({"GET /api/v1/me/needs-update", "bad window",
                    [](Cell&) { return Request{API + "/me/needs-update?look_ahead_days=400"}; }, signedIn(400)});
    rows.push_back({"POST /api/v1/me/tokens", "own",
                    [](Cell& c) {
                        return Request{API + "/me/tokens", R"({"name": "cell )" + c.tag + R"("})"};
                    },
                    signedIn(201)});
    rows.push_back({"DELETE /api/v1/me/tokens/{id}", "own token",
                    [](Cell& c) { return Request{API + "/me/tokens/" + str(newToken(c, c.who))}; }, signedIn(204)});
    rows.push_back(
        {"DELETE /api/v1/me/tokens/{id}", "another user's token",
         [](Cell& c) { return Request{API + "/me/tokens/" + str(newToken(c, c.who == Reviewer ? Lead1 : Reviewer))}; },
         signedIn(404)});
}

/// What only admins (users) or admins and reviewers (the audit trail) may do.
inline void addAdminRows(std::vector<Row>& rows)
{
    rows.push_back({"GET /api/v1/audit", "all", [](Cell&) { return Request{API + "/audit"}; }, adminAndReviewer(200)});
    rows.push_back({"GET /api/v1/audit", "of P_restr",
                    [](Cell& c) { return Request{API + "/audit?project=" + str(c.world.restr.id)}; },
                    adminAndReviewer(200)});
    rows.push_back({"GET /api/v1/users", "all", [](Cell&) { return Request{API + "/users"}; }, adminOnly(200)});
    rows.push_back({"POST /api/v1/users", "new reviewer",
                    [](Cell& c) {
                        return Request{API + "/users", R"({"username": "n-)" + Poco::toLower(c.tag) +
                                                           R"(", "display_name": "New", "role": "reviewer",
                                                           "password": "pw-new-user-0123456"})"};
                    },
                    adminOnly(201)});
    rows.push_back({"GET /api/v1/users/{id}", "own record (anonymous: admin's)",
                    [](Cell& c) { return Request{API + "/users/" + str(c.world.userIds[c.who ? c.who : Admin])}; },
                    signedIn(200)});
    rows.push_back({"GET /api/v1/users/{id}", "another user",
                    [](Cell& c) { return Request{API + "/users/" + str(c.world.bystander)}; }, adminOnly(200)});
    rows.push_back({"GET /api/v1/users/{id}", "missing id", [](Cell&) { return Request{API + "/users/" + MISSING_ID}; },
                    adminOnly(404)});
    rows.push_back({"PATCH /api/v1/users/{id}", "own record (anonymous: admin's)",
                    [](Cell& c) {
                        return current(c.server, API + "/users/" + str(c.world.userIds[c.who ? c.who : Admin]),
                                       R"({"display_name": "Renamed )" + c.tag + R"("})");
                    },
                    adminOnly(200)});
    rows.push_back({"PATCH /api/v1/users/{id}", "another user (throwaway)",
                    [](Cell& c) {
                        return current(c.server, API + "/users/" + str(newUser(c)),
                                       R"({"display_name": "Renamed )" + c.tag + R"("})");
                    },
                    adminOnly(200)});
}

inline void addReferenceRows(std::vector<Row>& rows)
{
    struct Reference
    {
        std::string collection; ///< path below /api/v1
        std::string existing;   ///< code of a seeded record
        std::string extra;      ///< further required fields of a new record
    };
    const Reference references[] = {
        {"partners", "UKR", R"(, "kind": "organisation", "framework": "IO")"},
        {"missions", "KFOR", R"(, "kind": "activity")"},
        {"capability-areas", "CYB", ""},
        {"objectives", "SO1", ""},
    };
    for (const auto& ref : references)
    {
        const std::string collection = API + "/" + ref.collection;
        const std::string item = collection + "/{id}";
        auto body = [ref](const Cell& c) {
            return R"({"code": "R)" + c.tag + R"(", "name": "Reference )" + c.tag + "\"" + ref.extra + "}";
        };
        auto throwaway = [collection, body](Cell& c) {
            return collection + "/" + str(c.server.create(collection, body(c)));
        };
        rows.push_back(
            {"GET " + collection, "list", [collection](Cell&) { return Request{collection}; }, signedIn(200)});
        rows.push_back({"POST " + collection, "new code",
                        [collection, body](Cell& c) {
                            return Request{collection, body(c)};
                        },
                        adminOnly(201)});
        rows.push_back({"GET " + item, "by code " + ref.existing,
                        [collection, ref](Cell&) { return Request{collection + "/" + ref.existing}; }, signedIn(200)});
        rows.push_back({"GET " + item, "missing id",
                        [collection](Cell&) { return Request{collection + "/" + MISSING_ID}; }, signedIn(404)});
        rows.push_back({"PATCH " + item, "throwaway",
                        [throwaway](Cell& c) {
                            return current(c.server, throwaway(c), R"({"name": "Renamed )" + c.tag + R"("})");
                        },
                        adminOnly(200)});
        rows.push_back({"DELETE " + item, "throwaway", [throwaway](Cell& c) { return current(c.server, throwaway(c)); },
                        adminOnly(204)});
    }
}

/// A partner's contributions across projects, by id or code, with the sorts and filters hidden from partners.
inline void addPartnerContributionRows(std::vector<Row>& rows)
{
    const std::string byPartner = "GET " + API + "/partners/{parent}/contributions";
    rows.push_back(
        {byPartner, "JOR by code", [](Cell&) { return Request{API + "/partners/JOR/contributions"}; }, signedIn(200)});
    rows.push_back({byPartner, "UKR by id",
                    [](Cell& c) { return Request{API + "/partners/" + str(c.world.ukr) + "/contributions"}; },
                    signedIn(200)});
    rows.push_back({byPartner, "unknown code", [](Cell&) { return Request{API + "/partners/NOPE/contributions"}; },
                    signedIn(404)});
    for (const char* query : {"sort=-amount_eur", "sort=person_months", "kind=equipment", "state=delivered",
                              "sort=-updated_at", "sort=created_at"})
        rows.push_back({byPartner, std::string("JOR ?") + query + " (hidden from partners)",
                        [query](Cell&) { return Request{API + "/partners/JOR/contributions?" + query}; },
                        staffElse(400)});
}

inline void addProjectRows(std::vector<Row>& rows, const World& world)
{
    const std::string projects = API + "/projects";
    const std::string item = "/api/v1/projects/{id}";
    for (const char* query : {"", "?partner=JOR", "?visibility=restricted,participants", "?q=ZQ", "?sort=-updated_at"})
        rows.push_back({"GET " + projects, std::string("list") + query,
                        [projects, query](Cell&) { return Request{projects + query}; }, signedIn(200)});
    rows.push_back({"POST " + projects, "the creator leads",
                    [projects](Cell& c) {
                        return Request{projects, R"({"code": "NP-)" + c.tag + R"(", "title": "New )" + c.tag +
                                                     R"(", "kind": "scientific", "visibility": "public"})"};
                    },
                    adminAndLeads(201)});
    // An import is each row's create or update under the same rules: who may write at all is asked first.
    for (const char* kind : {"projects", "milestones", "contributions"})
        rows.push_back({"POST /api/v1/import/{kind}", std::string(kind) + ", a dry run of a header alone",
                        [kind](Cell&) {
                            return Request{API + "/import/" + kind + "?dry_run=true",
                                           kind == std::string("projects") ? "code,title,kind\n" : "project_id,title\n",
                                           {{"Content-Type", "text/csv"}}};
                        },
                        adminAndLeads(200)});
    rows.push_back({"POST " + projects, "naming admin as lead",
                    [projects](Cell& c) {
                        return Request{projects, R"({"code": "NA-)" + c.tag + R"(", "title": "New )" + c.tag +
                                                     R"(", "kind": "scientific", "lead_user_id": )" +
                                                     str(c.world.userIds[Admin]) + "}"};
                    },
                    adminOnly(201)});
    for (const ProjectFixture* p : world.projects())
    {
        rows.push_back({"GET " + item, p->name + " by id",
                        [p](Cell&) { return Request{API + "/projects/" + str(p->id)}; }, readOf(*p)});
        rows.push_back({"GET " + item, p->name + " by code",
                        [p](Cell&) { return Request{API + "/projects/" + p->code}; }, readOf(*p)});
        rows.push_back({"PATCH " + item, p->name,
                        [p](Cell& c) {
                            return current(c.server, API + "/projects/" + str(p->id),
                                           R"({"description": "Edited in )" + c.tag + R"("})");
                        },
                        writeOf(*p, 200)});
    }
    rows.push_back(
        {"GET " + item, "missing id", [](Cell&) { return Request{API + "/projects/" + MISSING_ID}; }, signedIn(404)});
    rows.push_back({"PATCH " + item, "missing id",
                    [](Cell&) {
                        return Request{API + "/projects/" + MISSING_ID, R"({"title": "X"})", ifMatch(1)};
                    },
                    signedIn(404)});
    rows.push_back({"PATCH " + item, "lead1's public project handed to lead2 (throwaway)",
                    [](Cell& c) {
                        return current(c.server, API + "/projects/" + str(newProject(c, "public", Lead1)),
                                       R"({"lead_user_id": )" + str(c.world.userIds[Lead2]) + "}");
                    },
                    adminOnly(200)});
}

/// Deleting projects: throwaways of each visibility, led by lead1 or lead2.
inline void addProjectDeleteRows(std::vector<Row>& rows)
{
    const std::string item = "/api/v1/projects/{id}";
    struct Throwaway
    {
        std::string visibility;
        Who lead;
        Expect expect;
    };
    // Throwaway projects have no contributions, so no partner sees a `participants` one.
    const Throwaway throwaways[] = {{"public", Lead1, writeExpect(Lead1, true, true, 204)},
                                    {"restricted", Lead1, writeExpect(Lead1, false, false, 204)},
                                    {"participants", Lead2, writeExpect(Lead2, false, false, 204)}};
    for (const auto& t : throwaways)
        rows.push_back(
            {"DELETE " + item, t.visibility + " throwaway led by " + WHO_NAMES[t.lead],
             [t](Cell& c) { return current(c.server, API + "/projects/" + str(newProject(c, t.visibility, t.lead))); },
             t.expect});
}

/// GET and POST of a collection below /projects/{parent}: per project, and on a missing project.
inline void addNestedCollection(std::vector<Row>& rows, const World& world, const std::string& below,
                                const std::function<std::string(Cell&)>& newBody)
{
    const std::string pattern = API + "/projects/{parent}/" + below;
    for (const ProjectFixture* p : world.projects())
    {
        const std::string path = API + "/projects/" + str(p->id) + "/" + below;
        rows.push_back({"GET " + pattern, p->name, [path](Cell&) { return Request{path}; }, readOf(*p)});
        rows.push_back({"POST " + pattern, p->name,
                        [path, newBody](Cell& c) {
                            return Request{path, newBody(c)};
                        },
                        writeOf(*p, 201)});
    }
    const std::string missing = API + "/projects/" + MISSING_ID + "/" + below;
    rows.push_back({"GET " + pattern, "missing project", [missing](Cell&) { return Request{missing}; }, signedIn(404)});
    rows.push_back({"POST " + pattern, "missing project",
                    [missing, newBody](Cell& c) {
                        return Request{missing, newBody(c)};
                    },
                    signedIn(404)});
}

/// GET, PATCH and DELETE of an item route: GET on the project's own record, PATCH and DELETE on throwaways.
inline void addItemRoutes(std::vector<Row>& rows, const World& world, const std::string& pattern,
                          const std::function<std::string(const ProjectFixture&)>& existing,
                          const std::function<std::string(Cell&, const ProjectFixture&)>& throwaway,
                          const std::string& patchBody)
{
    for (const ProjectFixture* p : world.projects())
    {
        rows.push_back({"GET " + pattern, p->name, [p, existing](Cell&) { return Request{existing(*p)}; }, readOf(*p)});
        rows.push_back({"PATCH " + pattern, p->name + " (throwaway)",
                        [p, throwaway, patchBody](Cell& c) { return current(c.server, throwaway(c, *p), patchBody); },
                        writeOf(*p, 200)});
        rows.push_back({"DELETE " + pattern, p->name + " (throwaway)",
                        [p, throwaway](Cell& c) { return current(c.server, throwaway(c, *p)); }, writeOf(*p, 204)});
    }
}

inline void addMilestoneRows(std::vector<Row>& rows, const World& world)
{
    addNestedCollection(rows, world, "milestones",
                        [](Cell& c) { return R"({"title": "New )" + c.tag + R"(", "baseline_date": "2027-09-01"})"; });
    addItemRoutes(
        rows, world, API + "/milestones/{id}",
        [](const ProjectFixture& p) { return API + "/milestones/" + str(p.milestone); },
        [](Cell& c, const ProjectFixture& p) { return API + "/milestones/" + str(newMilestone(c, p.id)); },
        R"({"progress": 10})");
    for (const ProjectFixture* p : world.projects())
        rows.push_back({"GET /api/v1/milestones/{id}/history", p->name,
                        [p](Cell&) { return Request{API + "/milestones/" + str(p->milestone) + "/history"}; },
                        readOf(*p)});
    rows.push_back({"GET /api/v1/milestones/{id}", "missing id",
                    [](Cell&) { return Request{API + "/milestones/" + MISSING_ID}; }, signedIn(404)});
    rows.push_back({"GET /api/v1/milestones/{id}/history", "missing id",
                    [](Cell&) { return Request{API + "/milestones/" + MISSING_ID + "/history"}; }, signedIn(404)});
}

inline void addContributionRows(std::vector<Row>& rows, const World& world)
{
    addNestedCollection(rows, world, "contributions", [](Cell& c) {
        return R"({"partner_id": )" + str(c.world.ita) + R"(, "role": "observer", "kind": "training"})";
    });
    for (const char* query : {"sort=amount_eur", "sort=-person_months", "kind=equipment", "state=delivered",
                              "sort=updated_at", "sort=-created_at"})
        rows.push_back(
            {"GET /api/v1/projects/{parent}/contributions", std::string("P_pub ?") + query + " (hidden from partners)",
             [query](Cell& c) { return Request{API + "/projects/" + str(c.world.pub.id) + "/contributions?" + query}; },
             staffElse(400)});
    rows.push_back({"GET /api/v1/projects/{parent}/contributions", "P_pub ?partner_id=JOR",
                    [](Cell& c) {
                        return Request{API + "/projects/" + str(c.world.pub.id) +
                                       "/contributions?partner_id=" + str(c.world.jor)};
                    },
                    signedIn(200)});
    addItemRoutes(
        rows, world, API + "/contributions/{id}",
        [](const ProjectFixture& p) { return API + "/contributions/" + str(p.contribution); },
        [](Cell& c, const ProjectFixture& p) { return API + "/contributions/" + str(newContribution(c, p.id)); },
        R"({"amount_eur": 20})");
    rows.push_back({"GET /api/v1/contributions/{id}", "JOR's on P_pub",
                    [](Cell& c) { return Request{API + "/contributions/" + str(c.world.jorOnPub)}; }, signedIn(200)});
    rows.push_back({"GET /api/v1/contributions/{id}", "missing id",
                    [](Cell&) { return Request{API + "/contributions/" + MISSING_ID}; }, signedIn(404)});
}

inline void addMissionLinkAndBaselineRows(std::vector<Row>& rows, const World& world)
{
    addNestedCollection(rows, world, "missions", [](Cell& c) {
        return R"({"mission_id": )" + str(newMission(c)) + R"(, "relation": "lessons_learned"})";
    });
    addItemRoutes(
        rows, world, API + "/projects/{parent}/missions/{id}",
        [](const ProjectFixture& p) { return API + "/projects/" + str(p.id) + "/missions/KFOR"; },
        [](Cell& c, const ProjectFixture& p) { return newLink(c, p.id); }, R"({"note": "edited"})");
    for (const ProjectFixture* p : world.projects())
        rows.push_back(
            {"GET /api/v1/projects/{parent}/missions/{id}", p->name + " by mission id",
             [p](Cell& c) { return Request{API + "/projects/" + str(p->id) + "/missions/" + str(c.world.kfor)}; },
             readOf(*p)});

    addNestedCollection(rows, world, "baselines",
                        [](Cell& c) { return R"({"name": "Cell )" + c.tag + R"(", "reason": "matrix"})"; });
    for (const ProjectFixture* p : world.projects())
    {
        rows.push_back(
            {"GET /api/v1/projects/{parent}/baselines/{id}", p->name + " by id",
             [p](Cell&) { return Request{API + "/projects/" + str(p->id) + "/baselines/" + str(p->baseline)}; },
             readOf(*p)});
        rows.push_back({"GET /api/v1/projects/{parent}/baselines/{id}", p->name + " by name",
                        [p](Cell&) { return Request{API + "/projects/" + str(p->id) + "/baselines/BL-" + p->code}; },
                        readOf(*p)});
    }
}

inline void addReportRows(std::vector<Row>& rows, const World& world);
inline void addSnapshotRows(std::vector<Row>& rows);
inline void addCredentialRows(std::vector<Row>& rows);
inline void addWebhookRows(std::vector<Row>& rows);

/// Every row of the matrix.
inline std::vector<Row> matrixRows(const World& world)
{
    std::vector<Row> rows;
    addAccountRows(rows);
    addAdminRows(rows);
    addCredentialRows(rows);
    addReferenceRows(rows);
    addPartnerContributionRows(rows);
    addProjectRows(rows, world);
    addProjectDeleteRows(rows);
    addMilestoneRows(rows, world);
    addContributionRows(rows, world);
    addMissionLinkAndBaselineRows(rows, world);
    addReportRows(rows, world);
    addSnapshotRows(rows);
    addWebhookRows(rows);
    return rows;
}

} // namespace captrack::test::matrix
