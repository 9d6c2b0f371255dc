#pragma once

#include "captrack/domain/StatusRules.h"
#include "captrack/domain/Vocabulary.h"
#include "captrack/storage/PortfolioScope.h"

#include <Poco/Data/Session.h>

#include <functional>
#include <optional>
#include <string>

namespace captrack::storage
{

/// One project as a portfolio read gives it.
struct ProjectRow
{
    Poco::Int64 id = 0;
    std::string code;
    std::string title; ///< "" unless the read asked for titles
    domain::ProjectKind kind = domain::ProjectKind::Capability;
    domain::ProjectStatus status = domain::ProjectStatus::Pipeline;
    std::string capabilityArea; ///< "" when none
    Poco::Int64 budgetEur = 0;
    std::optional<domain::Health> declared;
    std::string declaredReason; ///< "" unless the read asked for titles
};

/// One milestone (never a cancelled one) with its project.
struct MilestoneRow
{
    Poco::Int64 projectId = 0;
    domain::MilestoneFacts milestone;
};

/// One contribution with its partner's code and framework.
struct ContributionRow
{
    Poco::Int64 projectId = 0;
    Poco::Int64 partnerId = 0;
    std::string partnerCode;
    std::string framework;
    domain::ContributionState state = domain::ContributionState::Pledged;
    Poco::Int64 amountEur = 0;
    double personMonths = 0;
};

/// A code a project is linked to (an objective's, a mission's).
struct ProjectLink
{
    Poco::Int64 projectId = 0;
    std::string code;
};

/// Reads the projects of a PortfolioScope and their milestones, contributions, objectives and missions,
/// one set-based statement each (never one per project), on the caller's session (a storage::ReadSnapshot
/// for one consistent view). The child reads come in whatever order the database gives (no sort: a sort
/// of every row costs MariaDB a filesort), and the large ones (milestones, contributions) stream row by
/// row to a sink (MySQL: as they arrive; a sink must run no statement), so that memory holds only what the
/// caller keeps. The statements run through the session's prepared-statement cache unless the scope lists
/// ids (PortfolioScope::isReusable). Every call throws the connector's exception on a database error.
/// Stateless; safe for concurrent use on different sessions.
class PortfolioRows
{
public:
    /// Whether project titles and declared reasons are read: on a large portfolio they are most of a
    /// project's memory, so they are read only where they are shown.
    enum class Titles
    {
        Omit,
        Read
    };

    template <class Row> using Sink = std::function<void(Row&&)>;

    /// The projects in scope, ordered by code.
    [[nodiscard]] static std::vector<ProjectRow> projects(Poco::Data::Session& session, const PortfolioScope& scope,
                                                          Titles titles);
    /// The non-cancelled milestones of the projects in scope, streamed to `take`.
    static void milestones(Poco::Data::Session& session, const PortfolioScope& scope, const Sink<MilestoneRow>& take);
    /// The contributions to the projects in scope, streamed to `take`.
    static void contributions(Poco::Data::Session& session, const PortfolioScope& scope,
                              const Sink<ContributionRow>& take);
    /// The objective codes of the projects in scope.
    [[nodiscard]] static std::vector<ProjectLink> objectives(Poco::Data::Session& session, const PortfolioScope& scope);
    /// The mission codes of the projects in scope.
    [[nodiscard]] static std::vector<ProjectLink> missions(Poco::Data::Session& session, const PortfolioScope& scope);

private:
    [[nodiscard]] static std::vector<ProjectLink> links(Poco::Data::Session& session, const PortfolioScope& scope,
                                                        const std::string& sql);
};

} // namespace captrack::storage
