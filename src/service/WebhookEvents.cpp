#include "WebhookEvents.h"

#include "captrack/service/RecordJson.h"
#include "captrack/service/Webhooks.h"

namespace captrack::service
{

using domain::Health;
using domain::WebhookEvent;

namespace
{
domain::Date dayOf(const std::string& at)
{
    return domain::Date::parse(at.substr(0, 10)).value_or(domain::Date::fromDays(0));
}

Poco::Dynamic::Var healthValue(const std::optional<Health>& health)
{
    return health ? Poco::Dynamic::Var(domain::nameText(*health)) : Poco::Dynamic::Var();
}
} // namespace

void publishRecordChange(Poco::Data::Session& session, const WriteContext& context, WebhookEvent event,
                         const domain::ResourceSpec& spec, const domain::Record& record, const std::string& action)
{
    const auto projectId = domain::intField(record, "project_id");
    const auto endpoints = Webhooks::subscribers(session, event, projectId);
    if (endpoints.empty())
        return;
    std::string data;
    appendRecordJson(data, spec, record);
    Webhooks::enqueueFor(session, endpoints, event, projectId, action, data, context.at);
}

std::optional<Health> effectiveHealthOf(const storage::ProjectHealthInputs& inputs, const domain::Date& asOf,
                                        const domain::HealthThresholds& thresholds)
{
    if (inputs.declaredHealth)
        return domain::storedValue<Health>(*inputs.declaredHealth);
    domain::OpenMilestoneExtremes open;
    if (inputs.earliestOpenDue)
        open.earliestDue = domain::Date::parse(*inputs.earliestOpenDue);
    if (inputs.largestOpenSlip)
        open.largestSlip = static_cast<long>(*inputs.largestOpenSlip);
    return open.health(domain::storedValue<domain::ProjectStatus>(inputs.status), asOf, thresholds);
}

void publishHealthChange(Poco::Data::Session& session, Poco::Int64 projectId, const std::string& at,
                         const std::optional<Health>& before, const storage::ProjectHealthInputs& now,
                         const domain::HealthThresholds& thresholds)
{
    const auto after = effectiveHealthOf(now, dayOf(at), thresholds);
    if (after == before)
        return;
    Poco::JSON::Object::Ptr data = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    data->set("project_id", projectId);
    data->set("project_code", now.code);
    data->set("from", healthValue(before));
    data->set("to", healthValue(after));
    data->set("declared_health", now.declaredHealth ? Poco::Dynamic::Var(*now.declaredHealth) : Poco::Dynamic::Var());
    std::string text;
    appendJson(text, data);
    Webhooks::enqueue(session, WebhookEvent::ProjectHealthChanged, projectId, "change", text, at);
}

HealthWatch::HealthWatch(Poco::Data::Session& session, Poco::Int64 projectId, const std::string& at,
                         const domain::HealthThresholds& thresholds)
    : _projectId(projectId), _at(at), _thresholds(thresholds)
{
    if (Webhooks::subscribers(session, WebhookEvent::ProjectHealthChanged, projectId).empty())
        return;
    if (const auto inputs = storage::RollupStore::healthInputs(session, projectId))
    {
        _watched = true;
        _before = effectiveHealthOf(*inputs, dayOf(at), thresholds);
    }
}

void HealthWatch::publishIfChanged(Poco::Data::Session& session) const
{
    if (!_watched)
        return;
    if (const auto inputs = storage::RollupStore::healthInputs(session, _projectId))
        publishHealthChange(session, _projectId, _at, _before, *inputs, _thresholds);
}

} // namespace captrack::service
