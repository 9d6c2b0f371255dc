#pragma once

#include "captrack/report/ProjectStatus.h"

#include <Poco/JSON/Object.h>

#include <string>

namespace captrack::report
{

/// The status summary of one project (docs/DOMAIN.md, "Status summary rules") as JSON: project_id, as_of,
/// computed/declared/effective health with reasons, progress, milestone counts, next milestone,
/// contribution roll-up, missions and a plain-language `text`. Also project_code, project_title and
/// project_status for the renderers. Stateless.
[[nodiscard]] Poco::JSON::Object::Ptr buildStatusSummary(const ProjectStatus& project, const domain::Date& asOf);

/// The contribution roll-up of docs/DOMAIN.md: totals by state (visible amounts only), person-months,
/// distinct partners and distinct partners by framework.
[[nodiscard]] Poco::JSON::Object::Ptr contributionRollup(const std::vector<ContributionFacts>& contributions);

/// `1234567` -> `€1,234,567`.
[[nodiscard]] std::string euros(Poco::Int64 amount);

} // namespace captrack::report
