#include "ProjectHooks.h"

#include "captrack/storage/HistoryStore.h"
#include "captrack/storage/RollupStore.h"

namespace captrack::service
{

using domain::Record;

void ProjectHooks::afterWrite(Poco::Data::Session& session, const WriteContext& context, const Record& after,
                              const Record* before) const
{
    // A project's own fields are not in its roll-ups (the report judges its status and declared health
    // itself); a new one gets its row, which is also the lock its children's writers take.
    if (!before)
        storage::RollupStore::refreshMilestones(session, domain::recordId(after));
    const auto health = domain::textField(after, "declared_health");
    const auto reason = domain::textField(after, "declared_reason");
    if (before ? health == domain::textField(*before, "declared_health") &&
                     reason == domain::textField(*before, "declared_reason")
               : !health)
        return;
    const std::optional<Poco::Int64> user =
        context.actor.userId ? std::optional<Poco::Int64>(context.actor.userId) : std::nullopt;
    storage::HistoryStore::appendHealth(session, {domain::recordId(after), context.at, user, health, reason});
}

void ProjectHooks::afterDelete(Poco::Data::Session& session, const WriteContext&, const Record& before) const
{
    // A project is deleted only without milestones and contributions (their foreign keys refuse it).
    storage::RollupStore::forgetProject(session, domain::recordId(before));
}

} // namespace captrack::service
