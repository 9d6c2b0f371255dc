#pragma once

#include "captrack/http/RouteDoc.h"

#include <string>
#include <vector>

namespace captrack::http
{

// What the OpenAPI document (RouteDoc.h) says of the report routes of ReportApi.h: their parameters, the
// media types each `format` gives and the JSON Schemas of the JSON answers (report/*Json.cpp writes
// them). Pure; each call builds its RouteDoc anew.

/// GET /projects/{parent}/trend: schemas Trend, TrendMilestone.
[[nodiscard]] RouteDoc trendDoc();
/// GET /reports/portfolio: schemas PortfolioReport, PortfolioRow, PortfolioFigures.
[[nodiscard]] RouteDoc portfolioDoc();
/// GET /missions/{id}/impact: schemas MissionImpact, ProjectImpact.
[[nodiscard]] RouteDoc missionImpactDoc();
/// GET /projects/{parent}/summary: schema ProjectSummary.
[[nodiscard]] RouteDoc summaryDoc();

/// `{"type": ["string", "null"], "enum": [..., null]}` of a closed set's names (null allowed when
/// `nullable`), as JSON Schema text.
[[nodiscard]] std::string enumSchema(const std::vector<std::string>& names, bool nullable = false);

/// The `as_of` query parameter of a report: the day it is computed for (default today, UTC).
[[nodiscard]] ParamDoc asOfParameter();

} // namespace captrack::http
