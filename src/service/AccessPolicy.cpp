#include "captrack/service/AccessPolicy.h"

#include "captrack/Errors.h"
#include "captrack/domain/Wording.h"
#include "captrack/storage/ProjectVisibility.h"

namespace captrack::service
{

using domain::Entity;
using domain::Principal;
using domain::Record;
using domain::Role;
using Poco::Dynamic::Var;
using storage::ProjectVisibility;

namespace
{
/// Where a kind of record sits in the visibility rules.
enum class Scope
{
    ReferenceData, ///< everyone reads it, admins change it
    Project,       ///< visible by its own visibility; its lead changes it
    ProjectChild,  ///< visible and changed with its project
    User,          ///< admins, and each user its own
    AdminOnly,     ///< admins alone read and change it (webhooks: their secrets are credentials)
    Other,         ///< a kind added without a rule: partners see none of it, only admins change it
};

Scope scopeOf(Entity entity)
{
    switch (entity)
    {
    case Entity::Partner:
    case Entity::Mission:
    case Entity::CapabilityArea:
    case Entity::Objective:
        return Scope::ReferenceData;
    case Entity::Project:
        return Scope::Project;
    case Entity::Milestone:
    case Entity::Contribution:
    case Entity::MissionLink:
        return Scope::ProjectChild;
    case Entity::User:
        return Scope::User;
    case Entity::Webhook:
        return Scope::AdminOnly;
    case Entity::Baseline:
    case Entity::ApiToken:
    case Entity::Snapshot:
        break;
    }
    return Scope::Other;
}

Scope scopeOf(const Resource& resource)
{
    return scopeOf(resource.spec.kind);
}

Poco::Int64 projectIdOf(const Resource& resource, const Record& record)
{
    return scopeOf(resource) == Scope::Project ? domain::recordId(record) : *domain::intField(record, "project_id");
}

bool readsAnyUser(const Principal& principal, Poco::Int64 userId)
{
    return principal.role == Role::Admin || principal.userId == userId;
}
} // namespace

bool AccessPolicy::isStaff(const Principal& principal)
{
    return principal.role != Role::Partner;
}

const std::vector<std::string>& AccessPolicy::redactedContributionFields()
{
    // Its amounts and details, and the version and times that would tell when they changed.
    static const std::vector<std::string> fields{"kind",        "state",   "amount_eur", "person_months",
                                                 "description", "version", "created_at", "updated_at"};
    return fields;
}

bool AccessPolicy::seesContributionDetails(const Principal& principal, std::optional<Poco::Int64> partnerId)
{
    return isStaff(principal) || partnerId == principal.partnerId;
}

storage::Condition AccessPolicy::visibleProjects(const Principal& principal)
{
    if (isStaff(principal))
        return {};
    return ProjectVisibility::visibleToPartner(principal.partnerId.value_or(0));
}

void AccessPolicy::checkProjectVisible(Poco::Data::Session& session, const Principal& principal,
                                       Poco::Int64 projectId) const
{
    if (isStaff(principal))
        return;
    if (!ProjectVisibility::projectMeets(session, projectId, visibleProjects(principal)))
        throw NotFoundError("not visible");
}

void AccessPolicy::checkLeads(Poco::Data::Session& session, const Principal& principal, Poco::Int64 projectId) const
{
    if (ProjectVisibility::leadOf(session, projectId) != std::optional<Poco::Int64>(principal.userId))
        throw ForbiddenError("only the project's lead (or an admin) may change it");
}

void AccessPolicy::checkReadById(const Principal& principal, const Resource& resource, Poco::Int64 id) const
{
    if (scopeOf(resource) == Scope::User && !readsAnyUser(principal, id))
        throw ForbiddenError("only admins read other users");
    if (scopeOf(resource) == Scope::AdminOnly && principal.role != Role::Admin)
        throw ForbiddenError("only admins read " + domain::plainWords(resource.spec.entity) + " records");
}

void AccessPolicy::checkRead(Poco::Data::Session& session, const Principal& principal, const Resource& resource,
                             const Record& record) const
{
    const Scope scope = scopeOf(resource);
    if (scope == Scope::AdminOnly)
    {
        checkReadById(principal, resource, domain::recordId(record));
        return;
    }
    if (scope == Scope::User)
    {
        if (!readsAnyUser(principal, domain::recordId(record)))
            throw ForbiddenError("only admins read other users");
        return;
    }
    if (scope == Scope::ReferenceData || isStaff(principal))
        return;
    checkProjectVisible(session, principal, projectIdOf(resource, record));
}

void AccessPolicy::checkWrite(Poco::Data::Session& session, const Principal& principal, const Resource& resource,
                              const Record* before, const Record* after) const
{
    const Scope scope = scopeOf(resource);
    const Record& subject = before ? *before : *after;
    // A project being created has no id yet and is visible to its creator.
    if (scope == Scope::ProjectChild || (scope == Scope::Project && before))
        checkRead(session, principal, resource, subject);
    if (principal.role == Role::Admin)
        return;
    checkMayWriteAny(principal);
    if (scope == Scope::Project)
    {
        if (before)
            checkLeads(session, principal, domain::recordId(*before));
        if (after && domain::intField(*after, "lead_user_id") != std::optional<Poco::Int64>(principal.userId))
            throw ForbiddenError("only an admin may make someone else a project's lead");
        return;
    }
    if (scope == Scope::ProjectChild)
    {
        checkLeads(session, principal, projectIdOf(resource, subject));
        return;
    }
    throw ForbiddenError("only admins change " + domain::plainWords(resource.spec.entity) + " records");
}

void AccessPolicy::checkMayWriteAny(const Principal& principal) const
{
    if (principal.role != Role::Admin && principal.role != Role::Lead)
        throw ForbiddenError("the " + domain::nameText(principal.role) +
                             " role can read but not change anything: ask the project's lead or an admin");
}

void AccessPolicy::checkOwnWorklist(const Principal& principal) const
{
    if (!isStaff(principal))
        throw ForbiddenError("partners lead no projects: this list is for project leads");
}

void AccessPolicy::checkMailOutbox(const Principal& principal) const
{
    if (principal.role != Role::Admin)
        throw ForbiddenError("only admins read the mail outbox");
}

void AccessPolicy::restrictList(const Principal& principal, const Resource& resource, storage::ListQuery& query) const
{
    if (scopeOf(resource) == Scope::User && principal.role != Role::Admin)
        throw ForbiddenError("only admins list users");
    if (scopeOf(resource) == Scope::AdminOnly && principal.role != Role::Admin)
        throw ForbiddenError("only admins list " + domain::plainWords(resource.spec.table));
    const auto visible = visibleRecords(principal, resource);
    if (!visible.sql.empty())
        query.conditions.push_back(visible);
}

storage::Condition AccessPolicy::visibleRecords(const Principal& principal, const Resource& resource) const
{
    const Scope scope = scopeOf(resource);
    if (isStaff(principal) || scope == Scope::ReferenceData || scope == Scope::User || scope == Scope::AdminOnly)
        return {};
    if (scope == Scope::Project)
        return visibleProjects(principal);
    if (scope == Scope::ProjectChild)
        return ProjectVisibility::childrenOf(visibleProjects(principal));
    return ProjectVisibility::nothing();
}

bool AccessPolicy::mayRedact(const Principal& principal, const Resource& resource)
{
    return (!isStaff(principal) && resource.spec.kind == Entity::Contribution) || resource.spec.hasWriteOnlyFields();
}

void AccessPolicy::redact(const Principal& principal, const Resource& resource, Record& record) const
{
    // A credential is answered to nobody, its owner and admins included.
    for (const auto& field : resource.spec.fields)
        if (field.writeOnly)
            record[field.name] = Var();
    if (resource.spec.kind != Entity::Contribution || !mayRedact(principal, resource) ||
        seesContributionDetails(principal, domain::intField(record, "partner_id")))
        return;
    for (const auto& field : redactedContributionFields())
        record[field] = Var();
}

std::set<std::string> AccessPolicy::hiddenFields(const Principal& principal, const Resource& resource) const
{
    std::set<std::string> hidden;
    for (const auto& field : resource.spec.fields)
        if (field.writeOnly)
            hidden.insert(field.name);
    if (resource.spec.kind != Entity::Contribution || !mayRedact(principal, resource))
        return hidden;
    hidden.insert(redactedContributionFields().begin(), redactedContributionFields().end());
    return hidden;
}

} // namespace captrack::service
