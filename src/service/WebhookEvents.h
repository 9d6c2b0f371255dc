#pragma once

// Folder-private: what the write hooks add to the webhook outbox (service::Webhooks), in the write's
// transaction.

#include "captrack/domain/StatusRules.h"
#include "captrack/service/Resource.h"
#include "captrack/storage/RollupStore.h"

#include <optional>

namespace captrack::service
{

/// Adds a `milestone.changed` or `contribution.changed` event for a record just written: its data is the
/// record as the API answers it to a reviewer (nothing of it is hidden from reviewers). `action`: create,
/// update or delete. Builds the payload only when an endpoint subscribes.
void publishRecordChange(Poco::Data::Session& session, const WriteContext& context, domain::WebhookEvent event,
                         const domain::ResourceSpec& spec, const domain::Record& record, const std::string& action);

/// The effective health (declared, else computed at `asOf`) of a project with these inputs.
[[nodiscard]] std::optional<domain::Health> effectiveHealthOf(const storage::ProjectHealthInputs& inputs,
                                                              const domain::Date& asOf,
                                                              const domain::HealthThresholds& thresholds);

/// Adds a `project.health_changed` event when the project's effective health differs from `before`, as
/// the inputs now stored give it on the day of `at`.
void publishHealthChange(Poco::Data::Session& session, Poco::Int64 projectId, const std::string& at,
                         const std::optional<domain::Health>& before, const storage::ProjectHealthInputs& now,
                         const domain::HealthThresholds& thresholds);

/// Watches a project's effective health across a change of its milestone roll-up: reads it when made
/// (before the roll-up is refreshed), and publishIfChanged() reads it again after. Costs nothing when no
/// endpoint subscribes to `project.health_changed` (one statement to learn it).
class HealthWatch
{
public:
    HealthWatch(Poco::Data::Session& session, Poco::Int64 projectId, const std::string& at,
                const domain::HealthThresholds& thresholds);
    void publishIfChanged(Poco::Data::Session& session) const;

private:
    Poco::Int64 _projectId;
    std::string _at;
    domain::HealthThresholds _thresholds;
    bool _watched = false;
    std::optional<domain::Health> _before;
};

} // namespace captrack::service
