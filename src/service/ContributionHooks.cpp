#include "ContributionHooks.h"

#include "ProjectTurn.h"

namespace captrack::service
{

using domain::Record;

void ContributionHooks::lockFirst(Poco::Data::Session& session, const WriteTarget& target) const
{
    takeProjectTurn(session, "contributions", target);
}

void ContributionHooks::afterWrite(Poco::Data::Session& session, const WriteContext& context, const Record& after,
                                   const Record*) const
{
    // project_id is the managed parent field: an update never moves a contribution to another project.
    const Poco::Int64 project = *domain::intField(after, "project_id");
    if (context.deferredRollups)
        context.deferredRollups->insert(project);
    else
        storage::RollupStore::refreshContributions(session, project);
}

void ContributionHooks::afterDelete(Poco::Data::Session& session, const WriteContext&, const Record& before) const
{
    storage::RollupStore::refreshContributions(session, *domain::intField(before, "project_id"));
}

} // namespace captrack::service
