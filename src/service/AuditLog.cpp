#include "captrack/service/AuditLog.h"

#include "captrack/service/RecordJson.h"

#include <Poco/JSON/Object.h>
#include <Poco/Nullable.h>

#include <sstream>

namespace captrack::service
{

using namespace Poco::Data::Keywords;
using Poco::Dynamic::Var;

namespace
{
Var valueOf(const domain::Record* record, const domain::FieldSpec& field)
{
    if (!record)
        return Var();
    const auto it = record->find(field.name);
    return it == record->end() ? Var() : it->second;
}

std::optional<Poco::Int64> projectOf(const domain::ResourceSpec& spec, const domain::Record& record)
{
    if (spec.entity == "project")
        return domain::recordId(record);
    if (spec.parentField == "project_id")
        return domain::intField(record, "project_id");
    return std::nullopt;
}
} // namespace

void AuditLog::record(Poco::Data::Session& session, const domain::Principal& actor, const std::string& at,
                      const std::string& action, const domain::ResourceSpec& spec, const domain::Record* before,
                      const domain::Record* after)
{
    Poco::JSON::Object changes(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& field : spec.fields)
    {
        if (field.name == "updated_at" || field.name == "created_at")
            continue;
        const Var old = valueOf(before, field), now = valueOf(after, field);
        if (sameValue(field, old, now))
            continue;
        Poco::JSON::Object::Ptr change = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        change->set("old", jsonValue(field, old));
        change->set("new", jsonValue(field, now));
        changes.set(field.name, change);
    }
    std::ostringstream text;
    changes.stringify(text);
    const domain::Record& subject = after ? *after : *before;
    recordRaw(session, actor, at, action, spec.entity, domain::recordId(subject), projectOf(spec, subject), text.str());
}

std::string AuditLog::change(const std::string& field, const Var& before, const Var& after)
{
    Poco::JSON::Object::Ptr pair = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    pair->set("old", before);
    pair->set("new", after);
    Poco::JSON::Object changes;
    changes.set(field, pair);
    std::ostringstream text;
    changes.stringify(text);
    return text.str();
}

void AuditLog::recordRaw(Poco::Data::Session& session, const domain::Principal& actor, const std::string& at,
                         const std::string& action, const std::string& entity, Poco::Int64 entityId,
                         std::optional<Poco::Int64> projectId, const std::string& changesJson)
{
    // Deny by default: every write names its user; only the server's own writes (seeding, migrations,
    // command-line tools) run as the system principal, recorded with no user.
    Poco::Nullable<Poco::Int64> user;
    if (actor.userId > 0 && !actor.isSystem())
        user = actor.userId;
    else if (!actor.isSystem())
        throw Poco::IllegalStateException("a write without a signed-in user cannot be audited");
    Poco::Nullable<Poco::Int64> project;
    if (projectId)
        project = *projectId;
    session << "INSERT INTO audit_events (at, user_id, action, entity, entity_id, project_id, changes) "
               "VALUES (?, ?, ?, ?, ?, ?, ?)",
        bind(at), bind(user), bind(action), bind(entity), bind(entityId), bind(project), bind(changesJson), now;
}

} // namespace captrack::service
