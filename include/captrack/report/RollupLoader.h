#pragma once

#include "captrack/domain/Principal.h"
#include "captrack/report/PortfolioLoader.h"
#include "captrack/report/PortfolioReport.h"
#include "captrack/report/ProjectFacts.h"

#include <Poco/Data/Session.h>

#include <vector>

namespace captrack::report
{

/// Loads the projects of a portfolio report from the report roll-ups that every write keeps current
/// (storage::RollupStore, docs/ARCHITECTURE.md "Reports"): a row per project, a row per project and
/// partner, and, for what depends on the day, the open milestones due by the end of the look-ahead
/// (one range of an index) - never every milestone. The projects come out as PortfolioLoader gives them
/// to a portfolio report: the same health, roll-up figures and notable milestones (without titles:
/// addListedNames gives the listed ones theirs), each partner's contributions summed by state (a
/// ContributionFacts per state it has amounts in), other partners' amounts hidden from a partner as
/// service::AccessPolicy says. With query.keepAllMilestones the first query.keepAllForFirst projects
/// get all their milestones, titled, for the HTML timelines. Stateless; safe for concurrent use.
class RollupLoader
{
public:
    /// The projects matching the query that the principal may see, ordered by code, read on the caller's
    /// session (a storage::ReadSnapshot).
    [[nodiscard]] static std::vector<ProjectFacts> load(Poco::Data::Session& session,
                                                        const domain::Principal& principal,
                                                        const PortfolioQuery& query);
    /// Gives the report's listed overdue and due-soon milestones without a title or project code theirs.
    static void addListedNames(Poco::Data::Session& session, PortfolioReport& report);
};

} // namespace captrack::report
