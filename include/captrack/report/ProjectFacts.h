#pragma once

#include "captrack/domain/StatusRules.h"

#include <Poco/Types.h>

#include <optional>
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
    std::optional<domain::ContributionState> state; ///< none when hidden from a partner
    Poco::Int64 amountEur = 0;
    double personMonths = 0;
    bool amountVisible = true;
};

/// Contributed euros by the state of their contribution.
struct EurosByState
{
    Poco::Int64 pledged = 0;
    Poco::Int64 committed = 0;
    Poco::Int64 delivered = 0;

    /// Adds a visible contribution's amount to its state's sum; a hidden one (no state) adds nothing.
    void add(const ContributionFacts& c)
    {
        if (!c.amountVisible || !c.state)
            return;
        switch (*c.state)
        {
        case domain::ContributionState::Pledged:
            pledged += c.amountEur;
            break;
        case domain::ContributionState::Committed:
            committed += c.amountEur;
            break;
        case domain::ContributionState::Delivered:
            delivered += c.amountEur;
            break;
        }
    }
};

/// A project with what every report and summary derives from it, computed by the status rules.
struct ProjectFacts
{
    Poco::Int64 id = 0;
    std::string code;
    std::string title;
    domain::ProjectKind kind = domain::ProjectKind::Capability;
    domain::ProjectStatus status = domain::ProjectStatus::Pipeline;
    std::string capabilityArea;
    Poco::Int64 budgetEur = 0;
    std::optional<domain::Health> declared;
    std::string declaredReason;

    /// All its non-cancelled milestones for a summary; for a portfolio report only the notable ones
    /// (overdue, or due within the look-ahead), which is all the report lists.
    std::vector<domain::MilestoneFacts> milestones;
    std::vector<ContributionFacts> contributions;
    std::vector<std::string> objectives; ///< codes
    std::vector<std::string> missions;   ///< codes

    domain::HealthVerdict computed;
    domain::MilestoneRollup rollup;
    std::optional<domain::Health> effective;
};

} // namespace captrack::report
