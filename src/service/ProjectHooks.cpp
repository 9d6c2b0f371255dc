#include "ProjectHooks.h"

#include "WebhookEvents.h"

#include "captrack/storage/HistoryStore.h"
#include "captrack/storage/RollupStore.h"

namespace captrack::service
{

using domain::Record;

namespace
{
/// A project's status and declared health feed its effective health; its milestones' roll-up, which
/// this write leaves as it is, the rest. Nothing to read unless one of the two changed.
void publishIfHealthChanged(Poco::Data::Session& session, const WriteContext& context, const Record& after,
                            const Record& before)
{
    if (domain::textField(after, "status") == domain::textField(before, "status") &&
        domain::textField(after, "declared_health") == domain::textField(before, "declared_health"))
        return;
    const Poco::Int64 id = domain::recordId(after);
    auto inputs = storage::RollupStore::healthInputs(session, id);
    if (!inputs)
        return;
    auto was = *inputs;
    was.status = domain::textField(before, "status").value_or(inputs->status);
    was.declaredHealth = domain::textField(before, "declared_health");
    const auto asOf = domain::Date::parse(context.at.substr(0, 10)).value_or(domain::Date::fromDays(0));
    publishHealthChange(session, id, context.at, effectiveHealthOf(was, asOf, context.thresholds), *inputs,
                        context.thresholds);
}
} // namespace

void ProjectHooks::afterWrite(Poco::Data::Session& session, const WriteContext& context, const Record& after,
                              const Record* before) const
{
    // A project's own fields are not in its roll-ups (the report judges its status and declared health
    // itself); a new one gets its row, which is also the lock its children's writers take.
    if (!before)
        storage::RollupStore::refreshMilestones(session, domain::recordId(after));
    else
        publishIfHealthChanged(session, context, after, *before);
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
