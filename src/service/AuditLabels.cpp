#include "AuditLabels.h"

#include "captrack/storage/RecordStore.h"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>

#include <set>

namespace captrack::service
{

using Poco::Dynamic::Var;

namespace
{
/// How a record's label is made from the columns after its id.
enum class Shape
{
    CodeDashName, ///< "CODE — name"
    Single,       ///< the one column as it is
    NameColonKind ///< "name: kind"
};

/// Where the label of one kind of record is read: `select` names the id first, then the label's
/// columns; `idColumn` is what `IN (...)` filters; `fields` are the same values in an event's changes.
struct LabelSource
{
    const char* entity;
    const char* select;
    const char* idColumn;
    Shape shape;
    std::vector<const char*> fields;
};

const std::vector<LabelSource>& labelSources()
{
    static const std::vector<LabelSource> sources{
        {"project", "SELECT id, code, title FROM projects", "id", Shape::CodeDashName, {"code", "title"}},
        {"partner", "SELECT id, code, name FROM partners", "id", Shape::CodeDashName, {"code", "name"}},
        {"mission", "SELECT id, code, name FROM missions", "id", Shape::CodeDashName, {"code", "name"}},
        {"capability_area", "SELECT id, code, name FROM capability_areas", "id", Shape::CodeDashName, {"code", "name"}},
        {"objective", "SELECT id, code, name FROM objectives", "id", Shape::CodeDashName, {"code", "name"}},
        {"milestone", "SELECT id, title FROM milestones", "id", Shape::Single, {"title"}},
        {"user", "SELECT id, username FROM users", "id", Shape::Single, {"username"}},
        {"baseline", "SELECT id, name FROM baselines", "id", Shape::Single, {"name"}},
        {"api_token", "SELECT id, name FROM api_tokens", "id", Shape::Single, {"name"}},
        {"contribution",
         "SELECT c.id, p.name, c.kind FROM contributions c JOIN partners p ON p.id = c.partner_id",
         "c.id",
         Shape::NameColonKind,
         {"partner_id", "kind"}},
        {"mission_link",
         "SELECT l.id, m.code FROM mission_links l JOIN missions m ON m.id = l.mission_id",
         "l.id",
         Shape::Single,
         {"mission_id"}},
    };
    return sources;
}

const LabelSource* sourceOf(const std::string& entity)
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

/// Runs `select WHERE idColumn IN (ids)` and hands each row's id and its other columns as text to `take`.
template <typename Take>
void selectByIds(Poco::Data::Session& session, const std::string& select, const std::string& idColumn,
                 const std::set<Poco::Int64>& ids, Take take)
{
    if (ids.empty())
        return;
    std::string list;
    for (std::size_t i = 0; i < ids.size(); ++i)
        list += i ? ", ?" : "?";
    Poco::Data::Statement statement(session);
    statement << select + " WHERE " + idColumn + " IN (" + list + ")";
    for (const auto id : ids)
        storage::bindValue(statement, Var(id));
    statement.execute();
    Poco::Data::RecordSet rows(statement);
    for (std::size_t row = 0; row < rows.rowCount(); ++row)
    {
        std::vector<std::string> columns;
        for (std::size_t col = 1; col < rows.columnCount(); ++col)
            columns.push_back(rows.isNull(col, row) ? std::string() : storage::columnText(rows.value(col, row)));
        take(rows.value(0, row).convert<Poco::Int64>(), columns);
    }
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
    std::map<std::string, std::set<Poco::Int64>> byEntity;
    for (const auto& subject : subjects)
    {
        if (subject.userId)
            users.insert(*subject.userId);
        if (sourceOf(subject.entity))
            byEntity[subject.entity].insert(subject.entityId);
    }
    selectByIds(session, "SELECT id, display_name FROM users", "id", users,
                [&](Poco::Int64 id, const std::vector<std::string>& columns) { labels.userNames[id] = columns.at(0); });
    for (const auto& [entity, ids] : byEntity)
    {
        const LabelSource& source = *sourceOf(entity);
        selectByIds(session, source.select, source.idColumn, ids,
                    [&, entity = entity](Poco::Int64 id, const std::vector<std::string>& columns) {
                        labels.storedLabels[{entity, id}] = labelOf(source.shape, columns);
                    });
    }
    // Records gone since: their contributions' partners and their mission links' missions, by the ids
    // their events' changes hold.
    std::set<Poco::Int64> partners, missions;
    for (const auto& subject : subjects)
    {
        if (labels.storedLabels.count({subject.entity, subject.entityId}))
            continue;
        if (const auto partner =
                subject.entity == "contribution" ? changedId(subject.changes, "partner_id") : std::nullopt)
            partners.insert(*partner);
        if (const auto mission =
                subject.entity == "mission_link" ? changedId(subject.changes, "mission_id") : std::nullopt)
            missions.insert(*mission);
    }
    selectByIds(
        session, "SELECT id, name FROM partners", "id", partners,
        [&](Poco::Int64 id, const std::vector<std::string>& columns) { labels.partnerNames[id] = columns.at(0); });
    selectByIds(
        session, "SELECT id, code FROM missions", "id", missions,
        [&](Poco::Int64 id, const std::vector<std::string>& columns) { labels.missionCodes[id] = columns.at(0); });
    return labels;
}

std::optional<std::string> AuditLabels::userName(const AuditSubject& subject) const
{
    const auto it = subject.userId ? userNames.find(*subject.userId) : userNames.end();
    return it == userNames.end() ? std::nullopt : std::optional<std::string>(it->second);
}

std::optional<std::string> AuditLabels::entityLabel(const AuditSubject& subject) const
{
    if (const auto stored = storedLabels.find({subject.entity, subject.entityId}); stored != storedLabels.end())
        return stored->second;
    const LabelSource* source = sourceOf(subject.entity);
    if (!source)
        return std::nullopt;
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
