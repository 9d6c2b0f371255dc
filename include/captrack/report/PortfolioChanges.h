#pragma once

#include "captrack/storage/SnapshotStore.h"

#include <optional>
#include <string>
#include <vector>

namespace captrack::report
{

/// A project's health on one side of a comparison.
struct HealthSide
{
    std::optional<std::string> declared;
    std::optional<std::string> computed;
    std::optional<std::string> effective;
    std::vector<std::string> reasons; ///< why the computed health is what it is
};

/// A project whose effective or computed health differs between the two sides.
struct HealthChange
{
    Poco::Int64 projectId = 0;
    std::string code;
    std::string title;
    HealthSide from;
    HealthSide to;
};

/// A project added, removed (deleted, or no longer in the report's scope), closed, otherwise moved to
/// another status, or re-baselined.
struct ProjectChange
{
    Poco::Int64 projectId = 0;
    std::string code;
    std::string title;
    std::string change; ///< added, removed, closed, status, rebaselined
    std::string from;   ///< the status, or the number of baselines ("" for added)
    std::string to;     ///< ("" for removed)
};

/// A milestone newly overdue, slipped further, completed, added or cancelled.
struct MilestoneChange
{
    Poco::Int64 milestoneId = 0;
    Poco::Int64 projectId = 0;
    std::string projectCode;
    std::string title;
    std::string change; ///< newly_overdue, slipped, completed, added, cancelled
    std::optional<std::string> dueBefore;
    std::optional<std::string> dueAfter;
    long days = 0; ///< days overdue (newly_overdue), days slipped (slipped), else 0
};

/// A contribution added, removed, moved to another state, or with another amount.
struct ContributionChange
{
    Poco::Int64 contributionId = 0;
    Poco::Int64 projectId = 0;
    std::string projectCode;
    std::string partnerCode;
    std::string change; ///< added, removed, state, amount
    std::optional<std::string> stateBefore;
    std::optional<std::string> stateAfter;
    Poco::Int64 amountBefore = 0;
    Poco::Int64 amountAfter = 0;
};

/// The figures of one side, counted from its state by the rules of docs/DOMAIN.md.
struct StateTotals
{
    Poco::Int64 projects = 0;
    Poco::Int64 green = 0, amber = 0, red = 0, none = 0; ///< by effective health
    Poco::Int64 milestones = 0, done = 0, overdue = 0;   ///< cancelled ones not counted
    Poco::Int64 budgetEur = 0;
    Poco::Int64 pledgedEur = 0, committedEur = 0, deliveredEur = 0;
    double personMonths = 0;
};

/// What changed between two states of the portfolio (two snapshots, or a snapshot and now): docs/HTTP.md
/// "What changed". Each list sorted by project code, then id.
struct PortfolioChanges
{
    std::string fromName; ///< the snapshot's name
    std::string toName;   ///< the snapshot's name, or "now"
    std::string fromAsOf;
    std::string toAsOf;
    StateTotals before;
    StateTotals after;
    std::vector<HealthChange> health;
    std::vector<ProjectChange> projects;
    std::vector<MilestoneChange> milestones;
    std::vector<ContributionChange> contributions;
};

/// Compares two states. Pure; thread-safe.
[[nodiscard]] PortfolioChanges comparePortfolios(const storage::PortfolioState& before,
                                                 const storage::PortfolioState& after);

/// The totals of one state.
[[nodiscard]] StateTotals totalsOf(const storage::PortfolioState& state);

} // namespace captrack::report
