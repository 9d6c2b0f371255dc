#include "AuditLabels.h"

#include "captrack/storage/AuditStore.h"

#include <set>

namespace captrack::service
{

using Poco::Dynamic::Var;

namespace
{
/// How a record's label is made from its label columns (storage::AuditStore::labelsOf).
enum class Shape
{
    CodeDashName, ///< "CODE — name"
    Single,       ///< the one column as it is
    NameColonKind ///< "name: kind"
};

/// The shape of one kind of record's label, and the fields that hold the same values in an event's changes.
struct LabelSource
{
    domain::Entity entity;
    Shape shape;
    std::vector<const char*> fields;
};

const std::vector<LabelSource>& labelSources()
{
    using domain::Entity;
    static const std::vector<LabelSource> sources{
        {Entity::Project, Shape::CodeDashName, {"code", "title"}},
        {Entity::Partner, Shape::CodeDashName, {"code", "name"}},
        {Entity::Mission, Shape::CodeDashName, {"code", "name"}},
        {Entity::CapabilityArea, Shape::CodeDashName, {"code", "name"}},
        {Entity::Objective, Shape::CodeDashName, {"code", "name"}},
        {Entity::Milestone, Shape::Single, {"title"}},
        {Entity::User, Shape::Single, {"username"}},
        {Entity::Baseline, Shape::Single, {"name"}},
        {Entity::ApiToken, Shape::Single, {"name"}},
        {Entity::Snapshot, Shape::Single, {"name"}},
        {Entity::Contribution, Shape::NameColonKind, {"partner_id", "kind"}},
        {Entity::MissionLink, Shape::Single, {"mission_id"}},
        {Entity::Webhook, Shape::Single, {"url"}},
    };
    return sources;
}

const LabelSource* sourceOf(const std::optional<domain::Entity>& entity)
{
    for (const auto& source : labelSources())
        if (entity == source.entity)
            return &source;
    return nullptr;
}

std::string labelOf(Shape shape, const std::vector<std::string>& parts)
{
    switch (shape)
    {
    case Shape::CodeDashName:
        return parts.at(0) + " \u2014 " + parts.at(1);
    case Shape::NameColonKind:
        return parts.at(0) + ": " + parts.at(1);
    case Shape::Single:
        break;
    }
    return parts.at(0);
}

/// The value an event's changes give a field: the new one, else the old one; empty when neither.
Var changedValue(const Poco::JSON::Object::Ptr& changes, const std::string& field)
{
    if (!changes || !changes->has(field) || !changes->isObject(field))
        return Var();
    const auto change = changes->getObject(field);
    const Var after = change->get("new");
    return after.isEmpty() ? change->get("old") : after;
}

std::optional<Poco::Int64> changedId(const Poco::JSON::Object::Ptr& changes, const std::string& field)
{
    const Var value = changedValue(changes, field);
    if (value.isEmpty() || !value.isInteger())
        return std::nullopt;
    return value.convert<Poco::Int64>();
}
} // namespace

AuditLabels AuditLabels::lookUp(Poco::Data::Session& session, const std::vector<AuditSubject>& subjects)
{
    AuditLabels labels;
    std::set<Poco::Int64> users;
    std::map<domain::Entity, std::set<Poco::Int64>> byEntity;
    for (const auto& subject : subjects)
    {
        if (subject.userId)
            users.insert(*subject.userId);
        if (sourceOf(subject.kind))
            byEntity[*subject.kind].insert(subject.entityId);
    }
    labels.userNames = storage::AuditStore::userDisplayNames(session, users);
    for (const auto& [entity, ids] : byEntity)
        for (const auto& [id, columns] : storage::AuditStore::labelsOf(session, entity, ids))
            labels.storedLabels[{entity, id}] = labelOf(sourceOf(entity)->shape, columns);
    // Records gone since: their contributions' partners and their mission links' missions, by the ids
    // their events' changes hold.
    std::set<Poco::Int64> partners, missions;
    for (const auto& subject : subjects)
    {
        if (!subject.kind || labels.storedLabels.count({*subject.kind, subject.entityId}))
            continue;
        if (const auto partner =
                subject.kind == domain::Entity::Contribution ? changedId(subject.changes, "partner_id") : std::nullopt)
            partners.insert(*partner);
        if (const auto mission =
                subject.kind == domain::Entity::MissionLink ? changedId(subject.changes, "mission_id") : std::nullopt)
            missions.insert(*mission);
    }
    labels.partnerNames = storage::AuditStore::partnerNames(session, partners);
    labels.missionCodes = storage::AuditStore::missionCodes(session, missions);
    return labels;
}

std::optional<std::string> AuditLabels::userName(const AuditSubject& subject) const
{
    const auto it = subject.userId ? userNames.find(*subject.userId) : userNames.end();
    return it == userNames.end() ? std::nullopt : std::optional<std::string>(it->second);
}

std::optional<std::string> AuditLabels::entityLabel(const AuditSubject& subject) const
{
    const LabelSource* source = sourceOf(subject.kind);
    if (!source)
        return std::nullopt;
    if (const auto stored = storedLabels.find({*subject.kind, subject.entityId}); stored != storedLabels.end())
        return stored->second;
    std::vector<std::string> parts;
    for (const std::string field : source->fields)
    {
        const Var value = changedValue(subject.changes, field);
        if (value.isEmpty())
            return std::nullopt;
        // A contribution names its partner, a mission link its mission, by id: the label wants the name.
        const auto& names = field == "partner_id" ? partnerNames : missionCodes;
        if (field == "partner_id" || field == "mission_id")
        {
            const auto name = value.isInteger() ? names.find(value.convert<Poco::Int64>()) : names.end();
            if (name == names.end())
                return std::nullopt;
            parts.push_back(name->second);
        }
        else
            parts.push_back(value.convert<std::string>());
    }
    return labelOf(source->shape, parts);
}

} // namespace captrack::service
