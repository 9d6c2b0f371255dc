#pragma once

#include "captrack/storage/RecordStore.h"

#include <Poco/Data/Session.h>

#include <utility>
#include <vector>

namespace captrack::storage
{

/// The milestone dependency graph of a project (table milestone_dependencies) as the cycle check reads
/// it. Every call runs on the caller's session (and so in its transaction) and throws the driver's
/// exceptions; `store` only lends its dialect. Stateless; safe for concurrent use.
class DependencyStore
{
public:
    /// The ids of the project's milestones.
    [[nodiscard]] static std::vector<Poco::Int64> milestoneIdsOf(Poco::Data::Session& session, Poco::Int64 projectId);
    /// Makes writers of the project's graph take turns until the transaction ends: bumps the project's
    /// row of dependency_graph_versions (creating it), a row lock (on Galera a certification conflict,
    /// and the loser runs again).
    static void takeTurn(Poco::Data::Session& session, const RecordStore& store, Poco::Int64 projectId);
    /// The project's edges (milestone, the one it depends on), read with a locking read of the edges only
    /// (so that a later writer sees an earlier one's edge; locking the milestones too would deadlock with
    /// a concurrent write that holds one of them and waits for the graph row).
    [[nodiscard]] static std::vector<std::pair<Poco::Int64, Poco::Int64>> lockedEdges(Poco::Data::Session& session,
                                                                                      const RecordStore& store,
                                                                                      Poco::Int64 projectId);
};

} // namespace captrack::storage
