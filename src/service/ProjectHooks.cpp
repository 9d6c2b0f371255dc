#include "ProjectHooks.h"

#include "captrack/storage/HistoryStore.h"

namespace captrack::service
{

using domain::Record;

void ProjectHooks::afterWrite(Poco::Data::Session& session, const WriteContext& context, const Record& after,
                              const Record* before) const
{
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

} // namespace captrack::service
