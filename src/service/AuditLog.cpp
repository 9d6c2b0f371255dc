#include "captrack/service/AuditLog.h"

#include "captrack/service/RecordJson.h"
#include "captrack/storage/AuditStore.h"

#include <Poco/JSON/Object.h>

#include <sstream>

namespace captrack::service
{

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

/// What the audit trail (readable by reviewers) says of a credential: whether it was set, never its value.
Var maskOf(const Var& value)
{
    return value.isEmpty() ? Var() : Var(std::string("(set)"));
}

std::optional<Poco::Int64> projectOf(const domain::ResourceSpec& spec, const domain::Record& record)
{
    if (spec.kind == domain::Entity::Project)
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
        change->set("old", field.writeOnly ? maskOf(old) : jsonValue(field, old));
        change->set("new", field.writeOnly ? maskOf(now) : jsonValue(field, now));
        changes.set(field.name, change);
    }
    std::ostringstream text;
    changes.stringify(text);
    const domain::Record& subject = after ? *after : *before;
    recordRaw(session, actor, at, action, spec.kind, domain::recordId(subject), projectOf(spec, subject), text.str());
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
                         const std::string& action, domain::Entity entity, Poco::Int64 entityId,
                         std::optional<Poco::Int64> projectId, const std::string& changesJson)
{
    // Deny by default: every write names its user; only the server's own writes (seeding, migrations,
    // command-line tools) run as the system principal, recorded with no user.
    storage::AuditEvent event{0, at, std::nullopt, action, domain::nameText(entity), entityId, projectId, changesJson};
    if (actor.userId > 0 && !actor.isSystem())
        event.userId = actor.userId;
    else if (!actor.isSystem())
        throw Poco::IllegalStateException("a write without a signed-in user cannot be audited");
    storage::AuditStore::append(session, event);
}

} // namespace captrack::service
