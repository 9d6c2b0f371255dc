#include "captrack/service/AuditReader.h"

#include "captrack/Errors.h"
#include "captrack/storage/RecordStore.h"

#include <Poco/Data/RecordSet.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

namespace captrack::service
{

using Poco::Dynamic::Var;
using namespace Poco::Data::Keywords;

AuditReader::AuditReader(storage::Database& database) : _database(database) {}

Poco::JSON::Object::Ptr AuditReader::list(const domain::Principal& principal, const AuditQuery& query) const
{
    if (principal.role != domain::Role::Admin && principal.role != domain::Role::Reviewer)
        throw ForbiddenError("only reviewers and admins read the audit trail");
    std::string where = "1 = 1";
    std::vector<Var> values;
    auto add = [&](const std::string& sql, const Var& value) {
        where += " AND " + sql;
        values.push_back(value);
    };
    if (query.since)
        add("at >= ?", *query.since);
    if (query.until)
        add("at < ?", *query.until);
    if (query.userId)
        add("user_id = ?", *query.userId);
    if (query.entity)
        add("entity = ?", *query.entity);
    if (query.projectId)
        add("project_id = ?", *query.projectId);

    auto pLease = _database.lease();
    auto& session = pLease->session();
    Poco::Int64 total = 0;
    {
        Poco::Data::Statement count(session);
        count << "SELECT COUNT(*) FROM audit_events WHERE " + where;
        for (const auto& value : values)
            storage::bindValue(count, value);
        count, into(total);
        count.execute();
    }
    Poco::Data::Statement select(session);
    select << "SELECT id, at, user_id, action, entity, entity_id, project_id, changes FROM audit_events WHERE " +
                  where + " ORDER BY id DESC LIMIT " + std::to_string(query.limit) + " OFFSET " +
                  std::to_string(query.offset);
    for (const auto& value : values)
        storage::bindValue(select, value);
    select.execute();
    Poco::Data::RecordSet rows(select);
    Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
    const char* const keys[] = {"id", "at", "user_id", "action", "entity", "entity_id", "project_id"};
    for (std::size_t row = 0; row < rows.rowCount(); ++row)
    {
        Poco::JSON::Object::Ptr item = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        for (std::size_t col = 0; col < 7; ++col)
        {
            const bool numeric = col == 0 || col == 2 || col == 5 || col == 6;
            item->set(keys[col], rows.isNull(col, row) ? Var()
                                 : numeric             ? Var(rows.value(col, row).convert<Poco::Int64>())
                                                       : Var(storage::columnText(rows.value(col, row))));
        }
        Poco::JSON::Parser parser;
        item->set("changes", parser.parse(storage::columnText(rows.value(7, row))));
        items->add(item);
    }
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    body->set("items", items);
    body->set("total", total);
    body->set("limit", static_cast<Poco::UInt64>(query.limit));
    body->set("offset", static_cast<Poco::UInt64>(query.offset));
    return body;
}

} // namespace captrack::service
