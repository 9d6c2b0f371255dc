#include "captrack/storage/AuditStore.h"

#include "captrack/storage/RecordStore.h"

#include "Query.h"
#include <Poco/Data/RecordSet.h>

#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

namespace captrack::storage
{

using domain::Entity;
using Poco::Dynamic::Var;
using namespace Poco::Data::Keywords;

namespace
{
/// The columns read, in this order; `changes` last.
const char* const COLUMNS = "id, at, user_id, action, entity, entity_id, project_id, changes";

Condition conditionOf(const AuditFilter& filter)
{
    std::vector<Condition> all;
    if (filter.since)
        all.push_back({"at >= ?", {Var(*filter.since)}});
    if (filter.until)
        all.push_back({"at < ?", {Var(*filter.until)}});
    if (filter.userId)
        all.push_back({"user_id = ?", {Var(*filter.userId)}});
    if (filter.entity)
        all.push_back({"entity = ?", {Var(*filter.entity)}});
    if (filter.projectId)
        all.push_back({"project_id = ?", {Var(*filter.projectId)}});
    auto condition = allOf(all);
    if (condition.sql.empty())
        condition.sql = "1 = 1";
    return condition;
}

std::optional<Poco::Int64> optionalId(const Poco::Data::RecordSet& rows, std::size_t col, std::size_t row)
{
    return rows.isNull(col, row) ? std::nullopt
                                 : std::optional<Poco::Int64>(rows.value(col, row).convert<Poco::Int64>());
}

/// The SELECT (id first, then the label's columns) and the id column its `IN (...)` filters.
std::pair<const char*, const char*> labelSelect(Entity entity)
{
    switch (entity)
    {
    case Entity::Project:
        return {"SELECT id, code, title FROM projects", "id"};
    case Entity::Partner:
        return {"SELECT id, code, name FROM partners", "id"};
    case Entity::Mission:
        return {"SELECT id, code, name FROM missions", "id"};
    case Entity::CapabilityArea:
        return {"SELECT id, code, name FROM capability_areas", "id"};
    case Entity::Objective:
        return {"SELECT id, code, name FROM objectives", "id"};
    case Entity::Milestone:
        return {"SELECT id, title FROM milestones", "id"};
    case Entity::User:
        return {"SELECT id, username FROM users", "id"};
    case Entity::Baseline:
        return {"SELECT id, name FROM baselines", "id"};
    case Entity::ApiToken:
        return {"SELECT id, name FROM api_tokens", "id"};
    case Entity::Snapshot:
        return {"SELECT id, name FROM report_snapshots", "id"};
    case Entity::Contribution:
        return {"SELECT c.id, p.name, c.kind FROM contributions c JOIN partners p ON p.id = c.partner_id", "c.id"};
    case Entity::MissionLink:
        return {"SELECT l.id, m.code FROM mission_links l JOIN missions m ON m.id = l.mission_id", "l.id"};
    case Entity::Webhook:
        return {"SELECT id, url FROM webhooks", "id"};
    }
    return {nullptr, nullptr};
}

/// Runs `select WHERE idColumn IN (ids)`: each row's id and its other columns as text.
std::map<Poco::Int64, std::vector<std::string>> selectByIds(Poco::Data::Session& session, const std::string& select,
                                                            const std::string& idColumn,
                                                            const std::set<Poco::Int64>& ids)
{
    std::map<Poco::Int64, std::vector<std::string>> found;
    if (ids.empty())
        return found;
    std::string list;
    for (std::size_t i = 0; i < ids.size(); ++i)
        list += i ? ", ?" : "?";
    Poco::Data::Statement statement(session);
    statement << select + " WHERE " + idColumn + " IN (" + list + ")";
    for (const auto id : ids)
        bindValue(statement, Var(id));
    statement.execute();
    Poco::Data::RecordSet rows(statement);
    for (std::size_t row = 0; row < rows.rowCount(); ++row)
    {
        std::vector<std::string> columns;
        for (std::size_t col = 1; col < rows.columnCount(); ++col)
            columns.push_back(rows.isNull(col, row) ? std::string() : columnText(rows.value(col, row)));
        found[rows.value(0, row).convert<Poco::Int64>()] = std::move(columns);
    }
    return found;
}

std::map<Poco::Int64, std::string> firstColumns(std::map<Poco::Int64, std::vector<std::string>> rows)
{
    std::map<Poco::Int64, std::string> first;
    for (auto& [id, columns] : rows)
        first[id] = std::move(columns.at(0));
    return first;
}
} // namespace

void AuditStore::append(Poco::Data::Session& session, const AuditEvent& event)
{
    Query(session, "INSERT INTO audit_events (at, user_id, action, entity, entity_id, project_id, changes) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(event.at)
        .bind(event.userId)
        .bind(event.action)
        .bind(event.entity)
        .bind(event.entityId)
        .bind(event.projectId)
        .bind(event.changes)
        .run();
}

Poco::Int64 AuditStore::count(Poco::Data::Session& session, const AuditFilter& filter)
{
    const auto where = conditionOf(filter);
    Poco::Int64 total = 0;
    Poco::Data::Statement count(session);
    count << "SELECT COUNT(*) FROM audit_events WHERE " + where.sql;
    for (const auto& value : where.values)
        bindValue(count, value);
    count, into(total);
    count.execute();
    return total;
}

std::vector<AuditEvent> AuditStore::newestFirst(Poco::Data::Session& session, const AuditFilter& filter,
                                                std::size_t limit, std::size_t offset)
{
    const auto where = conditionOf(filter);
    Poco::Data::Statement select(session);
    select << std::string("SELECT ") + COLUMNS + " FROM audit_events WHERE " + where.sql + " ORDER BY id DESC LIMIT " +
                  std::to_string(limit) + " OFFSET " + std::to_string(offset);
    for (const auto& value : where.values)
        bindValue(select, value);
    select.execute();
    Poco::Data::RecordSet rows(select);
    std::vector<AuditEvent> events;
    for (std::size_t row = 0; row < rows.rowCount(); ++row)
    {
        AuditEvent event;
        event.id = rows.value(0, row).convert<Poco::Int64>();
        event.at = columnText(rows.value(1, row));
        event.userId = optionalId(rows, 2, row);
        event.action = columnText(rows.value(3, row));
        event.entity = columnText(rows.value(4, row));
        event.entityId = rows.value(5, row).convert<Poco::Int64>();
        event.projectId = optionalId(rows, 6, row);
        event.changes = columnText(rows.value(7, row));
        events.push_back(std::move(event));
    }
    return events;
}

std::map<Poco::Int64, std::string> AuditStore::userDisplayNames(Poco::Data::Session& session,
                                                                const std::set<Poco::Int64>& ids)
{
    return firstColumns(selectByIds(session, "SELECT id, display_name FROM users", "id", ids));
}

std::map<Poco::Int64, std::vector<std::string>> AuditStore::labelsOf(Poco::Data::Session& session, Entity entity,
                                                                     const std::set<Poco::Int64>& ids)
{
    const auto [select, idColumn] = labelSelect(entity);
    if (!select)
        return {};
    return selectByIds(session, select, idColumn, ids);
}

std::map<Poco::Int64, std::string> AuditStore::partnerNames(Poco::Data::Session& session,
                                                            const std::set<Poco::Int64>& ids)
{
    return firstColumns(selectByIds(session, "SELECT id, name FROM partners", "id", ids));
}

std::map<Poco::Int64, std::string> AuditStore::missionCodes(Poco::Data::Session& session,
                                                            const std::set<Poco::Int64>& ids)
{
    return firstColumns(selectByIds(session, "SELECT id, code FROM missions", "id", ids));
}

} // namespace captrack::storage
