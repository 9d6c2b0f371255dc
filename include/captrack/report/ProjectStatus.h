#pragma once

#include "captrack/domain/StatusRules.h"

#include <Poco/Types.h>

#include <string>
#include <vector>

namespace captrack::report
{

/// One contribution as the reports see it. For a partner principal, other partners' amounts are
/// zero and `amountVisible` is false.
struct ContributionFacts
{
    Poco::Int64 partnerId = 0;
    std::string partnerCode;
    std::string framework;
    std::string state;
    Poco::Int64 amountEur = 0;
    double personMonths = 0;
    bool amountVisible = true;
};

/// A project with what every report and summary derives from it, computed by the status rules.
struct ProjectStatus
{
    Poco::Int64 id = 0;
    std::string code;
    std::string title;
    std::string kind;
    std::string status;
    std::string capabilityArea;
    Poco::Int64 budgetEur = 0;
    domain::Health declared;
    std::string declaredReason;

    /// All its non-cancelled milestones for a summary; for a portfolio report only the notable ones
    /// (overdue, or due within the look-ahead), which is all the report lists.
    std::vector<domain::MilestoneFacts> milestones;
    std::vector<ContributionFacts> contributions;
    std::vector<std::string> objectives; ///< codes
    std::vector<std::string> missions;   ///< codes

    domain::HealthVerdict computed;
    domain::MilestoneRollup rollup;
    domain::Health effective;
};

} // namespace captrack::report
