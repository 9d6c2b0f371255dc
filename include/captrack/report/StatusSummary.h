#pragma once

#include "captrack/report/ProjectFacts.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace captrack::report
{

/// The contribution roll-up of docs/DOMAIN.md: totals by state (visible amounts only), person-months,
/// distinct partners and distinct partners by framework.
struct ContributionRollup
{
    EurosByState euros;
    double personMonths = 0;
    Poco::Int64 partners = 0;
    std::map<std::string, Poco::Int64> partnersByFramework; ///< by framework code, in code order
};

/// The open milestone due first.
struct NextMilestone
{
    Poco::Int64 id = 0;
    std::string title;
    domain::Date due = domain::Date::fromDays(0);
};

/// The status summary of one project (docs/DOMAIN.md, "Status summary rules"): computed, declared and
/// effective health with reasons, progress, milestone counts, next milestone, contribution roll-up,
/// missions and a plain-language `text`. Every renderer (report/Renderers.h) reads this, JSON included.
struct StatusSummary
{
    Poco::Int64 projectId = 0;
    std::string projectCode;
    std::string projectTitle;
    domain::ProjectStatus projectStatus = domain::ProjectStatus::Pipeline;
    domain::Date asOf = domain::Date::fromDays(0);
    std::optional<domain::Health> computed;
    std::vector<std::string> healthReasons;
    std::optional<domain::Health> declared;
    std::string declaredReason; ///< meaningful only with `declared`
    std::optional<domain::Health> effective;
    int progress = 0;
    domain::MilestoneRollup milestones; ///< its `next` unused: see nextMilestone
    std::optional<NextMilestone> nextMilestone;
    ContributionRollup contributions;
    std::vector<std::string> missions; ///< codes
    std::string text;
};

/// Builds the status summary of a project loaded with all its milestones. Stateless, thread-safe;
/// throws only std::bad_alloc.
[[nodiscard]] StatusSummary buildStatusSummary(const ProjectFacts& project, const domain::Date& asOf);

/// The contribution roll-up of some contributions. Stateless, thread-safe.
[[nodiscard]] ContributionRollup contributionRollup(const std::vector<ContributionFacts>& contributions);

/// `1234567` -> `€1,234,567`.
[[nodiscard]] std::string euros(Poco::Int64 amount);

} // namespace captrack::report
