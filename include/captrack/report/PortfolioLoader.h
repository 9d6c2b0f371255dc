#pragma once

#include "captrack/domain/Principal.h"
#include "captrack/report/ProjectFacts.h"
#include "captrack/storage/Database.h"
#include "captrack/storage/RecordStore.h"

#include <vector>

namespace captrack::report
{

/// Which projects to load and how to judge them.
struct PortfolioQuery
{
    std::vector<storage::Condition> conditions; ///< over `projects` (filters); visibility is added
    domain::Date asOf = domain::Date::fromDays(0);
    domain::HealthThresholds thresholds;
    bool keepAllMilestones = false; ///< true for a summary; false keeps only notable milestones
    /// With keepAllMilestones: keep them all only for the first this-many projects (by code), the
    /// notable ones for the rest, so that an HTML report of a huge portfolio stays small.
    std::size_t keepAllForFirst = static_cast<std::size_t>(-1);
    long lookAheadDays = 90;    ///< "due soon" window for the notable milestones
    bool withObjectives = true; ///< load each project's objective codes
    bool withMissions = true;   ///< load each project's mission codes
};

/// Loads projects with their milestones, contributions, objectives and missions in a fixed number
/// of set-based queries (never one per project), streaming milestones in chunks so that memory stays
/// bounded on large portfolios, and applies the status rules. Respects the principal's visibility
/// and hides other partners' amounts from partners. Safe for concurrent use.
class PortfolioLoader
{
public:
    explicit PortfolioLoader(storage::Database& database);

    /// The projects matching the query that the principal may see, ordered by code, read from one
    /// consistent snapshot of the database (storage::ReadSnapshot), released before the work on memory.
    [[nodiscard]] std::vector<ProjectFacts> load(const domain::Principal& principal, const PortfolioQuery& query) const;
    /// The same on the caller's session (a snapshot the caller reads more from).
    [[nodiscard]] std::vector<ProjectFacts> load(Poco::Data::Session& session, const domain::Principal& principal,
                                                 const PortfolioQuery& query) const;

private:
    [[nodiscard]] std::vector<ProjectFacts> readAll(Poco::Data::Session& session, const domain::Principal& principal,
                                                    const PortfolioQuery& query) const;

    storage::Database& _database;
};

} // namespace captrack::report
