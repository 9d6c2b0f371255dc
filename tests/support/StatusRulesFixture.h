#pragma once

#include "captrack/domain/StatusRules.h"

#include <string>
#include <vector>

/// The status rules over a whole list at once, as tests state their cases: the server itself folds
/// milestones one at a time with domain::StatusAccumulator.
namespace captrack::testing
{

/// The computed health of a project in this status (a name of domain::ProjectStatus) and the rules that
/// fired.
inline domain::HealthVerdict judge(const std::string& projectStatus,
                                   const std::vector<domain::MilestoneFacts>& milestones, const domain::Date& asOf,
                                   const domain::HealthThresholds& thresholds = {})
{
    domain::StatusAccumulator accumulator(asOf, thresholds);
    for (const auto& m : milestones)
        accumulator.add(m);
    return accumulator.takeVerdict(domain::storedValue<domain::ProjectStatus>(projectStatus));
}

/// Totals, weighted progress, largest slip and next milestone.
inline domain::MilestoneRollup rollUpOf(const std::vector<domain::MilestoneFacts>& milestones, const domain::Date& asOf)
{
    domain::StatusAccumulator accumulator(asOf, domain::HealthThresholds{});
    for (const auto& m : milestones)
        accumulator.add(m);
    return accumulator.takeRollup();
}

} // namespace captrack::testing
