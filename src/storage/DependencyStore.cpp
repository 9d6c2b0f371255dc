#include "captrack/storage/DependencyStore.h"

#include "Query.h"

namespace captrack::storage
{

using namespace Poco::Data::Keywords;

std::vector<Poco::Int64> DependencyStore::milestoneIdsOf(Poco::Data::Session& session, Poco::Int64 projectId)
{
    std::vector<Poco::Int64> ids;
    Query query(session, "SELECT id FROM milestones WHERE project_id = ?");
    query.bind(projectId);
    while (query.next())
        ids.push_back(query.integer(0));
    return ids;
}

void DependencyStore::takeTurn(Poco::Data::Session& session, const RecordStore& store, Poco::Int64 projectId)
{
    Query(session, store.ensureRowSql("dependency_graph_versions (project_id, version) VALUES (?, 0)", "version"))
        .bind(projectId)
        .run();
    Query(session, "UPDATE dependency_graph_versions SET version = version + 1 WHERE project_id = ?")
        .bind(projectId)
        .run();
}

std::vector<std::pair<Poco::Int64, Poco::Int64>> DependencyStore::lockedEdges(Poco::Data::Session& session,
                                                                              const RecordStore& store,
                                                                              Poco::Int64 projectId)
{
    Query query(session, std::string("SELECT d.milestone_id, d.depends_on_id FROM milestone_dependencies d "
                                     "WHERE d.milestone_id IN (SELECT id FROM milestones WHERE project_id = ?)") +
                             store.lockRowsSuffix());
    query.bind(projectId);
    std::vector<std::pair<Poco::Int64, Poco::Int64>> edges;
    while (query.next())
        edges.emplace_back(query.integer(0), query.integer(1));
    return edges;
}

} // namespace captrack::storage
