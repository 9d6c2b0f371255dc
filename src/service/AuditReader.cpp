#include "captrack/service/AuditReader.h"

#include "AuditLabels.h"
#include "captrack/Errors.h"
#include "captrack/storage/RecordStore.h"

#include <Poco/Data/RecordSet.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

namespace captrack::service
{

using Poco::Dynamic::Var;
using namespace Poco::Data::Keywords;

namespace
{
/// The columns read, in this order; `changes` last.
const char* const COLUMNS = "id, at, user_id, action, entity, entity_id, project_id, changes";

storage::Condition conditionOf(const AuditQuery& query)
{
    std::vector<storage::Condition> all;
    if (query.since)
        all.push_back({"at >= ?", {Var(*query.since)}});
    if (query.until)
        all.push_back({"at < ?", {Var(*query.until)}});
    if (query.userId)
        all.push_back({"user_id = ?", {Var(*query.userId)}});
    if (query.entity)
        all.push_back({"entity = ?", {Var(*query.entity)}});
    if (query.projectId)
        all.push_back({"project_id = ?", {Var(*query.projectId)}});
    auto condition = storage::allOf(all);
    if (condition.sql.empty())
        condition.sql = "1 = 1";
    return condition;
}

Poco::Int64 countEvents(Poco::Data::Session& session, const storage::Condition& where)
{
    Poco::Int64 total = 0;
    Poco::Data::Statement count(session);
    count << "SELECT COUNT(*) FROM audit_events WHERE " + where.sql;
    for (const auto& value : where.values)
        storage::bindValue(count, value);
    count, into(total);
    count.execute();
    return total;
}

Var integerOrNull(const Poco::Data::RecordSet& rows, std::size_t col, std::size_t row)
{
    return rows.isNull(col, row) ? Var() : Var(rows.value(col, row).convert<Poco::Int64>());
}

Var textOf(const Poco::Data::RecordSet& rows, std::size_t col, std::size_t row)
{
    return Var(storage::columnText(rows.value(col, row)));
}

AuditSubject subjectOf(const Poco::Data::RecordSet& rows, std::size_t row)
{
    AuditSubject subject;
    if (!rows.isNull(2, row))
        subject.userId = rows.value(2, row).convert<Poco::Int64>();
    subject.entity = storage::columnText(rows.value(4, row));
    subject.entityId = rows.value(5, row).convert<Poco::Int64>();
    Poco::JSON::Parser parser;
    subject.changes = parser.parse(storage::columnText(rows.value(7, row))).extract<Poco::JSON::Object::Ptr>();
    return subject;
}

Var optionalText(const std::optional<std::string>& text)
{
    return text ? Var(*text) : Var();
}

/// One event as the API shows it: each name after the id it names.
Poco::JSON::Object::Ptr itemOf(const Poco::Data::RecordSet& rows, std::size_t row, const AuditSubject& subject,
                               const AuditLabels& labels)
{
    Poco::JSON::Object::Ptr item = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    item->set("id", integerOrNull(rows, 0, row));
    item->set("at", textOf(rows, 1, row));
    item->set("user_id", integerOrNull(rows, 2, row));
    item->set("user_name", optionalText(labels.userName(subject)));
    item->set("action", textOf(rows, 3, row));
    item->set("entity", subject.entity);
    item->set("entity_id", subject.entityId);
    item->set("entity_label", optionalText(labels.entityLabel(subject)));
    item->set("project_id", integerOrNull(rows, 6, row));
    item->set("changes", subject.changes);
    return item;
}
} // namespace

AuditReader::AuditReader(storage::Database& database) : _database(database) {}

Poco::JSON::Object::Ptr AuditReader::list(const domain::Principal& principal, const AuditQuery& query) const
{
    if (principal.role != domain::Role::Admin && principal.role != domain::Role::Reviewer)
        throw ForbiddenError("only reviewers and admins read the audit trail");
    const auto where = conditionOf(query);
    auto pLease = _database.lease();
    auto& session = pLease->session();
    const Poco::Int64 total = countEvents(session, where);
    Poco::Data::Statement select(session);
    select << std::string("SELECT ") + COLUMNS + " FROM audit_events WHERE " + where.sql + " ORDER BY id DESC LIMIT " +
                  std::to_string(query.limit) + " OFFSET " + std::to_string(query.offset);
    for (const auto& value : where.values)
        storage::bindValue(select, value);
    select.execute();
    Poco::Data::RecordSet rows(select);
    std::vector<AuditSubject> subjects;
    for (std::size_t row = 0; row < rows.rowCount(); ++row)
        subjects.push_back(subjectOf(rows, row));
    // Names are looked up only here, behind the check above: they tell no more than the events do.
    const auto labels = AuditLabels::lookUp(session, subjects);
    Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
    for (std::size_t row = 0; row < subjects.size(); ++row)
        items->add(itemOf(rows, row, subjects[row], labels));
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    body->set("items", items);
    body->set("total", total);
    body->set("limit", static_cast<Poco::UInt64>(query.limit));
    body->set("offset", static_cast<Poco::UInt64>(query.offset));
    return body;
}

} // namespace captrack::service
