#pragma once

#include <Poco/Data/Session.h>
#include <Poco/Types.h>

#include <optional>
#include <string>

namespace captrack::storage
{

/// What a project's effective health depends on, as stored: its own fields and its milestone roll-up.
struct ProjectHealthInputs
{
    std::string code;
    std::string status;
    std::optional<std::string> declaredHealth;
    std::optional<std::string> earliestOpenDue; ///< YYYY-MM-DD
    std::optional<Poco::Int64> largestOpenSlip; ///< days
};

/// Keeps the report roll-ups (migration 006: project_rollups, open_milestones, contribution_rollups)
/// equal to what the milestones and contributions say, in the caller's transaction: every write of a
/// milestone or a contribution recomputes its project's roll-ups from that project's rows (a handful),
/// so that no sequence of writes can make them drift, and the bulk writers (the synthetic seeder, a
/// restore) recompute theirs with the same statements over many projects. docs/ARCHITECTURE.md "Reports".
///
/// Concurrency: a writer of a project's milestones or contributions takes the project's turn first
/// (takeTurn), before it locks or changes any of them, so that two such writers queue instead of
/// deadlocking; the recomputation then reads the rows it folds with a locking read (MySQL's
/// INSERT ... SELECT), so it sees every committed write. Across a Galera cluster the turn is not a
/// certification key (its upsert changes nothing): two writers of one project's figures on two nodes
/// both delete and insert its roll-up row (MySQL never writes it in place), and certification lets
/// one of them commit; a write that changes no figure (a title, dependencies) refreshes nothing.
///
/// Every call runs on the caller's session and throws the driver's exceptions. Stateless; safe for
/// concurrent use on different sessions.
class RollupStore
{
public:
    /// Waits for, then holds until the transaction ends, the turn to change the project's milestones
    /// and contributions: a write lock on its project_rollups row (created, empty, if missing), whose
    /// `turns` it counts, so that the turn always changes the row (migration 007: on Galera the row is then
    /// in the write set of every writer of the project, and two nodes' writers conflict).
    static void takeTurn(Poco::Data::Session& session, Poco::Int64 projectId);
    /// The project of a milestone or contribution, if it exists (`table`: milestones or contributions).
    [[nodiscard]] static std::optional<Poco::Int64> projectOf(Poco::Data::Session& session, const std::string& table,
                                                              Poco::Int64 id);

    /// Which of a project's milestone roll-ups a write may have changed.
    enum class MilestoneParts
    {
        Figures,       ///< counts, progress, slips (project_rollups): no milestone opened, closed or moved
        FiguresAndDue, ///< and which milestones are open and when they are due (open_milestones)
    };
    /// Recomputes the project's milestone roll-up and, unless `parts` says they cannot have changed, its
    /// open milestones, from its milestones.
    static void refreshMilestones(Poco::Data::Session& session, Poco::Int64 projectId,
                                  MilestoneParts parts = MilestoneParts::FiguresAndDue);
    /// Recomputes the project's contribution roll-ups from its contributions.
    static void refreshContributions(Poco::Data::Session& session, Poco::Int64 projectId);
    /// Removes the roll-ups of a project just deleted.
    static void forgetProject(Poco::Data::Session& session, Poco::Int64 projectId);
    /// Recomputes every roll-up of the projects whose id is at least `firstProjectId` (0: all), from
    /// scratch: the synthetic seeder's batches, a restore, and tests that compare.
    static void rebuildFrom(Poco::Data::Session& session, Poco::Int64 firstProjectId);

    /// The project's health inputs, its roll-up as this transaction sees it; none for no such project.
    [[nodiscard]] static std::optional<ProjectHealthInputs> healthInputs(Poco::Data::Session& session,
                                                                         Poco::Int64 projectId);

    /// True for the tables this store derives from others (a backup leaves them out: a restore
    /// computes them again).
    [[nodiscard]] static bool isDerivedTable(const std::string& table);
};

} // namespace captrack::storage
