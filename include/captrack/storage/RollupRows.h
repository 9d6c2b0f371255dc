#pragma once

#include "captrack/domain/StatusRules.h"
#include "captrack/storage/PortfolioRows.h"
#include "captrack/storage/PortfolioScope.h"

#include <Poco/Data/Session.h>

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace captrack::storage
{

/// A project with its milestone roll-up (storage::RollupStore keeps it).
struct ProjectRollupRow
{
    ProjectRow project;
    Poco::Int64 milestonesTotal = 0; ///< not cancelled
    Poco::Int64 milestonesDone = 0;
    Poco::Int64 weightSum = 0;
    Poco::Int64 weightedProgress = 0; ///< Σ weight × (100 when done, else progress)
    domain::OpenMilestoneExtremes open;
    std::optional<long> largestSlip; ///< none without milestones
};

/// What one partner contributes to one project, summed by state.
struct PartnerRollupRow
{
    Poco::Int64 projectId = 0;
    Poco::Int64 partnerId = 0;
    Poco::Int64 pledgedEur = 0;
    Poco::Int64 committedEur = 0;
    Poco::Int64 deliveredEur = 0;
    double personMonths = 0;
};

/// An open milestone and the day it is due.
struct DueMilestone
{
    Poco::Int64 projectId = 0;
    Poco::Int64 milestoneId = 0;
    domain::Date due = domain::Date::fromDays(0);
};

/// A milestone's title and its project's code, by which a report lists it.
struct MilestoneNames
{
    std::string title;
    std::string projectCode;
};

/// A partner's code and framework, by which reports name and group its contributions.
struct PartnerLabel
{
    std::string code;
    std::string framework;
};

/// Reads the report roll-ups (storage::RollupStore) of a PortfolioScope's projects, one set-based
/// statement each, in bulk through the connection's own API (a C call per value, not Poco::Data's
/// extraction), on the caller's session (a storage::ReadSnapshot for one consistent view). Only what
/// depends on the day is read by it: the open milestones due by a day, one range of an index. Every
/// call throws Poco::Data::DataException on a database error. Stateless; safe for concurrent use on
/// different sessions.
class RollupRows
{
public:
    template <class Row> using Sink = std::function<void(Row&&)>;

    /// The projects in scope with their milestone roll-ups, ordered by code (titles as PortfolioRows),
    /// streamed to `take`.
    static void projects(Poco::Data::Session& session, const PortfolioScope& scope, PortfolioRows::Titles titles,
                         const Sink<ProjectRollupRow>& take);
    /// The same rows in whatever order the database gives them, with what a report needs for its figures
    /// alone: no code, title or reason (""), no progress sums and largest slip (0, none).
    static void projectFigures(Poco::Data::Session& session, const PortfolioScope& scope,
                               const Sink<ProjectRollupRow>& take);
    /// What each partner contributes to each project in scope, streamed to `take` a project at a time
    /// (ordered by project and partner: the table's own order).
    static void contributions(Poco::Data::Session& session, const PortfolioScope& scope,
                              const Sink<PartnerRollupRow>& take);
    /// The open milestones of the projects in scope due on or before `lastDay`, streamed to `take`.
    static void openMilestonesDueBy(Poco::Data::Session& session, const PortfolioScope& scope,
                                    const domain::Date& lastDay, const Sink<DueMilestone>& take);
    /// The titles and project codes of these milestones, by id (those that exist).
    [[nodiscard]] static std::unordered_map<Poco::Int64, MilestoneNames> milestoneNames(
        Poco::Data::Session& session, const std::vector<Poco::Int64>& ids);
    /// Every partner's code and framework, by id.
    [[nodiscard]] static std::unordered_map<Poco::Int64, PartnerLabel> partnerLabels(Poco::Data::Session& session);
};

} // namespace captrack::storage
