#include "captrack/service/AuditReader.h"

#include "captrack/service/RecordJson.h"

#include "AuditLabels.h"
#include "captrack/Errors.h"
#include "captrack/storage/AuditStore.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

namespace captrack::service
{

using Poco::Dynamic::Var;

namespace
{
storage::AuditFilter filterOf(const AuditQuery& query)
{
    return {query.since, query.until, query.userId, query.entity, query.projectId};
}

Var optionalId(const std::optional<Poco::Int64>& id)
{
    return id ? Var(*id) : Var();
}

AuditSubject subjectOf(const storage::AuditEvent& event)
{
    AuditSubject subject;
    subject.userId = event.userId;
    subject.entity = event.entity;
    subject.kind = domain::parseName<domain::Entity>(event.entity);
    subject.entityId = event.entityId;
    Poco::JSON::Parser parser;
    subject.changes = parser.parse(event.changes).extract<Poco::JSON::Object::Ptr>();
    return subject;
}

Var optionalText(const std::optional<std::string>& text)
{
    return text ? Var(*text) : Var();
}

/// One event as the API shows it: each name after the id it names.
Poco::JSON::Object::Ptr itemOf(const storage::AuditEvent& event, const AuditSubject& subject, const AuditLabels& labels)
{
    Poco::JSON::Object::Ptr item = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    item->set("id", Var(event.id));
    item->set("at", Var(event.at));
    item->set("user_id", optionalId(event.userId));
    item->set("user_name", optionalText(labels.userName(subject)));
    item->set("action", Var(event.action));
    item->set("entity", subject.entity);
    item->set("entity_id", subject.entityId);
    item->set("entity_label", optionalText(labels.entityLabel(subject)));
    item->set("project_id", optionalId(event.projectId));
    item->set("changes", subject.changes);
    return item;
}
} // namespace

AuditReader::AuditReader(storage::Database& database) : _database(database) {}

Poco::JSON::Object::Ptr AuditReader::list(const domain::Principal& principal, const AuditQuery& query) const
{
    if (principal.role != domain::Role::Admin && principal.role != domain::Role::Reviewer)
        throw ForbiddenError("only reviewers and admins read the audit trail");
    const auto filter = filterOf(query);
    auto pLease = _database.lease();
    auto& session = pLease->session();
    const Poco::Int64 total = storage::AuditStore::count(session, filter);
    const auto events = storage::AuditStore::newestFirst(session, filter, query.limit, query.offset);
    std::vector<AuditSubject> subjects;
    for (const auto& event : events)
        subjects.push_back(subjectOf(event));
    // Names are looked up only here, behind the check above: they tell no more than the events do.
    const auto labels = AuditLabels::lookUp(session, subjects);
    Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
    for (std::size_t i = 0; i < events.size(); ++i)
        items->add(itemOf(events[i], subjects[i], labels));
    return pageJson(items, total, query.limit, query.offset);
}

} // namespace captrack::service
