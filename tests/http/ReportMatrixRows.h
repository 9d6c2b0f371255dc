#pragma once

#include "MatrixCases.h"

namespace captrack::test::matrix
{

/// Rows for the summary and portfolio report routes, in every format.
inline void addReportRows(std::vector<Row>& rows, const World& world)
{
    const std::string summary = "GET /api/v1/projects/{parent}/summary";
    for (const ProjectFixture* p : world.projects())
        for (const char* format : {"", "?format=json"})
            rows.push_back(
                {summary, p->name + " " + format,
                 [p, format](Cell&) { return Request{API + "/projects/" + str(p->id) + "/summary" + format}; },
                 readOf(*p)});
    rows.push_back({summary, "missing project",
                    [](Cell&) { return Request{API + "/projects/" + MISSING_ID + "/summary"}; }, signedIn(404)});
    const std::string portfolio = "GET /api/v1/reports/portfolio";
    for (const char* query :
         {"", "?group_by=partner", "?group_by=framework&format=json", "?partner=JOR&group_by=mission"})
        rows.push_back({portfolio, std::string("report") + query,
                        [query](Cell&) { return Request{API + "/reports/portfolio" + query}; }, signedIn(200)});
    rows.push_back({portfolio, "unknown grouping",
                    [](Cell&) { return Request{API + "/reports/portfolio?group_by=colour"}; }, signedIn(400)});
}

} // namespace captrack::test::matrix
