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

} // namespace captrack::test::matrix
