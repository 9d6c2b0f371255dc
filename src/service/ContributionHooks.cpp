#include "ContributionHooks.h"

#include "ProjectTurn.h"
#include "WebhookEvents.h"

#include "captrack/domain/Specs.h"

namespace captrack::service
{

using domain::Record;

void ContributionHooks::lockFirst(Poco::Data::Session& session, const WriteTarget& target) const
{
    takeProjectTurn(session, "contributions", target);
}

void ContributionHooks::afterWrite(Poco::Data::Session& session, const WriteContext& context, const Record& after,
                                   const Record* before) const
{
    // project_id is the managed parent field: an update never moves a contribution to another project.
    const Poco::Int64 project = *domain::intField(after, "project_id");
    if (context.deferredRollups)
        context.deferredRollups->insert(project);
    else
        storage::RollupStore::refreshContributions(session, project);
    publishRecordChange(session, context, domain::WebhookEvent::ContributionChanged, domain::contributionSpec(), after,
                        before ? "update" : "create");
}

void ContributionHooks::afterDelete(Poco::Data::Session& session, const WriteContext& context,
                                    const Record& before) const
{
    storage::RollupStore::refreshContributions(session, *domain::intField(before, "project_id"));
    publishRecordChange(session, context, domain::WebhookEvent::ContributionChanged, domain::contributionSpec(), before,
                        "delete");
}

} // namespace captrack::service
