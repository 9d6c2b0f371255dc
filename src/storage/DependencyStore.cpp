#include "captrack/storage/DependencyStore.h"

namespace captrack::storage
{

using namespace Poco::Data::Keywords;

std::vector<Poco::Int64> DependencyStore::milestoneIdsOf(Poco::Data::Session& session, Poco::Int64 projectId)
{
    std::vector<Poco::Int64> ids;
    session << "SELECT id FROM milestones WHERE project_id = ?", use(projectId), into(ids), now;
    return ids;
}

void DependencyStore::takeTurn(Poco::Data::Session& session, const RecordStore& store, Poco::Int64 projectId)
{
    session << store.ensureRowSql("dependency_graph_versions (project_id, version) VALUES (?, 0)", "version"),
        use(projectId), now;
    session << "UPDATE dependency_graph_versions SET version = version + 1 WHERE project_id = ?", use(projectId), now;
}

std::vector<std::pair<Poco::Int64, Poco::Int64>> DependencyStore::lockedEdges(Poco::Data::Session& session,
                                                                              const RecordStore& store,
                                                                              Poco::Int64 projectId)
{
    std::vector<Poco::Int64> owners, targets;
    session << "SELECT d.milestone_id, d.depends_on_id FROM milestone_dependencies d "
               "WHERE d.milestone_id IN (SELECT id FROM milestones WHERE project_id = ?)" +
                   store.lockRowsSuffix(),
        use(projectId), into(owners), into(targets), now;
    std::vector<std::pair<Poco::Int64, Poco::Int64>> edges;
    for (std::size_t i = 0; i < owners.size(); ++i)
        edges.emplace_back(owners[i], targets[i]);
    return edges;
}

} // namespace captrack::storage
