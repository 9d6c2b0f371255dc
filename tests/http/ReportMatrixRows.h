#pragma once

#include "MatrixCases.h"

namespace captrack::test::matrix
{

/// Rows for the summary and portfolio report routes, in every format.
inline void addReportRows(std::vector<Row>& rows, const World& world)
{
    const std::string summary = "GET /api/v1/projects/{parent}/summary";
    for (const ProjectFixture* p : world.projects())
        for (const char* format : {"", "?format=json", "?format=md", "?format=html", "?format=txt"})
            rows.push_back(
                {summary, p->name + " " + format,
                 [p, format](Cell&) { return Request{API + "/projects/" + str(p->id) + "/summary" + format}; },
                 readOf(*p)});
    rows.push_back({summary, "missing project",
                    [](Cell&) { return Request{API + "/projects/" + MISSING_ID + "/summary"}; }, signedIn(404)});
    const std::string trend = "GET /api/v1/projects/{parent}/trend";
    for (const ProjectFixture* p : world.projects())
        for (const std::string& query : {std::string(), std::string("?format=svg"), "?baseline=BL-" + p->code})
            rows.push_back({trend, p->name + " " + query,
                            [p, query](Cell&) { return Request{API + "/projects/" + str(p->id) + "/trend" + query}; },
                            readOf(*p)});
    rows.push_back({trend, "missing project", [](Cell&) { return Request{API + "/projects/" + MISSING_ID + "/trend"}; },
                    signedIn(404)});
    const std::string impact = "GET /api/v1/missions/{id}/impact";
    for (const char* mission : {"KFOR", "NMI"})
        rows.push_back({impact, mission, [mission](Cell&) { return Request{API + "/missions/" + mission + "/impact"}; },
                        signedIn(200)});
    rows.push_back({impact, "missing mission",
                    [](Cell&) { return Request{API + "/missions/" + MISSING_ID + "/impact"}; }, signedIn(404)});
    const std::string portfolio = "GET /api/v1/reports/portfolio";
    for (const char* query :
         {"", "?group_by=partner", "?group_by=framework&format=json", "?partner=JOR&group_by=mission"})
        rows.push_back({portfolio, std::string("report") + query,
                        [query](Cell&) { return Request{API + "/reports/portfolio" + query}; }, signedIn(200)});
    rows.push_back({portfolio, "unknown grouping",
                    [](Cell&) { return Request{API + "/reports/portfolio?group_by=colour"}; }, signedIn(400)});
}

/// A snapshot published by the admin for one cell: its id.
inline Poco::Int64 newSnapshot(Cell& c)
{
    return c.server.create(API + "/reports/snapshots", R"({"name": "snapshot )" + c.tag + R"("})");
}

/// Rows for the report snapshots: staff read them (partners never: they hold every partner's figures),
/// reviewers and admins publish, admins delete.
inline void addSnapshotRows(std::vector<Row>& rows)
{
    const std::string snapshots = API + "/reports/snapshots";
    rows.push_back(
        {"GET /api/v1/reports/snapshots", "list", [snapshots](Cell&) { return Request{snapshots}; }, staffOnly(200)});
    rows.push_back({"POST /api/v1/reports/snapshots", "publish",
                    [snapshots](Cell& c) {
                        return Request{snapshots, R"({"name": "cell )" + c.tag + R"(", "group_by": "framework"})"};
                    },
                    adminAndReviewer(201)});
    rows.push_back({"GET /api/v1/reports/snapshots/{snapshot}", "by id",
                    [snapshots](Cell& c) { return Request{snapshots + "/" + str(newSnapshot(c))}; }, staffOnly(200)});
    rows.push_back({"GET /api/v1/reports/snapshots/{snapshot}", "missing",
                    [snapshots](Cell&) { return Request{snapshots + "/" + MISSING_ID}; }, staffOnly(404)});
    for (const char* format : {"json", "csv", "html", "xlsx"})
        rows.push_back({"GET /api/v1/reports/snapshots/{snapshot}/portfolio", std::string("as ") + format,
                        [snapshots, format](Cell& c) {
                            return Request{snapshots + "/" + str(newSnapshot(c)) + "/portfolio?format=" + format};
                        },
                        staffOnly(200)});
    rows.push_back({"GET /api/v1/reports/changes", "since a snapshot",
                    [](Cell& c) { return Request{API + "/reports/changes?from=" + str(newSnapshot(c))}; },
                    staffOnly(200)});
    rows.push_back({"GET /api/v1/projects/{parent}/health-history", "a project",
                    [](Cell& c) { return Request{API + "/projects/" + str(c.world.pub.id) + "/health-history"}; },
                    staffOnly(200)});
    rows.push_back({"DELETE /api/v1/reports/snapshots/{snapshot}", "delete",
                    [snapshots](Cell& c) { return Request{snapshots + "/" + str(newSnapshot(c))}; }, adminOnly(204)});
}

} // namespace captrack::test::matrix
