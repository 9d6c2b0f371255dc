#include "captrack/service/AccessPolicy.h"

#include "captrack/Errors.h"
#include "captrack/domain/Wording.h"

#include <Poco/Nullable.h>

namespace captrack::service
{

using domain::Principal;
using domain::Record;
using domain::Role;
using Poco::Dynamic::Var;
using namespace Poco::Data::Keywords;

namespace
{
/// What a partner does not see of another partner's contribution: its amounts and details, and the
/// version and times that would tell when they changed.
const char* const REDACTED_CONTRIBUTION_FIELDS[] = {"kind",        "state",   "amount_eur", "person_months",
                                                    "description", "version", "created_at", "updated_at"};

bool isReferenceData(const std::string& entity)
{
    return entity == "partner" || entity == "mission" || entity == "capability_area" || entity == "objective";
}

bool isProjectChild(const std::string& entity)
{
    return entity == "milestone" || entity == "contribution" || entity == "mission_link";
}

Poco::Int64 projectIdOf(const Resource& resource, const Record& record)
{
    return resource.spec.entity == "project" ? domain::recordId(record) : *domain::intField(record, "project_id");
}
} // namespace

bool AccessPolicy::isStaff(const Principal& principal)
{
    return principal.role != Role::Partner;
}

storage::Condition AccessPolicy::visibleProjects(const Principal& principal)
{
    if (isStaff(principal))
        return {};
    // A correlated EXISTS (one index probe for the row at hand) rather than `id IN (SELECT ...)`,
    // which builds the partner's whole project set the first time a row needs it: a lookup that
    // finds a hidden `participants` project then costs about what finding nothing costs.
    return {"projects.visibility = 'public' OR (projects.visibility = 'participants' AND EXISTS "
            "(SELECT 1 FROM contributions vc WHERE vc.project_id = projects.id AND vc.partner_id = ?))",
            {Var(principal.partnerId.value_or(0))}};
}

void AccessPolicy::checkProjectVisible(Poco::Data::Session& session, const Principal& principal,
                                       Poco::Int64 projectId) const
{
    const auto visible = visibleProjects(principal);
    if (visible.sql.empty())
        return;
    Poco::Data::Statement select(session);
    Poco::Int64 count = 0;
    select << "SELECT COUNT(*) FROM projects WHERE id = ? AND (" + visible.sql + ")";
    storage::bindValue(select, Var(projectId));
    for (const auto& value : visible.values)
        storage::bindValue(select, value);
    select, into(count);
    select.execute();
    if (count == 0)
        throw NotFoundError("not visible");
}

void AccessPolicy::checkLeads(Poco::Data::Session& session, const Principal& principal, Poco::Int64 projectId) const
{
    Poco::Nullable<Poco::Int64> lead;
    session << "SELECT lead_user_id FROM projects WHERE id = ?", use(projectId), into(lead), now;
    if (lead.isNull() || lead.value() != principal.userId)
        throw ForbiddenError("only the project's lead (or an admin) may change it");
}

void AccessPolicy::checkReadById(const Principal& principal, const Resource& resource, Poco::Int64 id) const
{
    if (resource.spec.entity == "user" && principal.role != Role::Admin && principal.userId != id)
        throw ForbiddenError("only admins read other users");
}

void AccessPolicy::checkRead(Poco::Data::Session& session, const Principal& principal, const Resource& resource,
                             const Record& record) const
{
    const std::string& entity = resource.spec.entity;
    if (entity == "user")
    {
        if (principal.role != Role::Admin && principal.userId != domain::recordId(record))
            throw ForbiddenError("only admins read other users");
        return;
    }
    if (isReferenceData(entity) || isStaff(principal))
        return;
    checkProjectVisible(session, principal, projectIdOf(resource, record));
}

void AccessPolicy::checkWrite(Poco::Data::Session& session, const Principal& principal, const Resource& resource,
                              const Record* before, const Record* after) const
{
    const std::string& entity = resource.spec.entity;
    const Record& subject = before ? *before : *after;
    if (entity == "project" || isProjectChild(entity))
    {
        // A project being created has no id yet and is visible to its creator.
        if (before || entity != "project")
            checkRead(session, principal, resource, subject);
    }
    if (principal.role == Role::Admin)
        return;
    if (principal.role != Role::Lead)
        throw ForbiddenError("the " + domain::nameText(principal.role) +
                             " role can read but not change anything: ask the project's lead or an admin");
    if (entity == "project")
    {
        if (before)
            checkLeads(session, principal, domain::recordId(*before));
        if (after && domain::intField(*after, "lead_user_id") != std::optional<Poco::Int64>(principal.userId))
            throw ForbiddenError("only an admin may make someone else a project's lead");
        return;
    }
    if (isProjectChild(entity))
    {
        checkLeads(session, principal, projectIdOf(resource, subject));
        return;
    }
    throw ForbiddenError("only admins change " + domain::plainWords(entity) + " records");
}

void AccessPolicy::checkOwnWorklist(const Principal& principal) const
{
    if (!isStaff(principal))
        throw ForbiddenError("partners lead no projects: this list is for project leads");
}

void AccessPolicy::restrictList(const Principal& principal, const Resource& resource, storage::ListQuery& query) const
{
    if (resource.spec.entity == "user" && principal.role != Role::Admin)
        throw ForbiddenError("only admins list users");
    const auto visible = visibleRecords(principal, resource);
    if (!visible.sql.empty())
        query.conditions.push_back(visible);
}

storage::Condition AccessPolicy::visibleRecords(const Principal& principal, const Resource& resource) const
{
    const std::string& entity = resource.spec.entity;
    if (isStaff(principal) || isReferenceData(entity))
        return {};
    const auto visible = visibleProjects(principal);
    if (entity == "project")
        return visible;
    if (isProjectChild(entity))
        return {"project_id IN (SELECT id FROM projects WHERE " + visible.sql + ")", visible.values};
    if (entity == "user")
        return {};
    return {"1 = 0", {}}; // a resource added without a rule here: partners see none of it
}

void AccessPolicy::redact(const Principal& principal, const Resource& resource, Record& record) const
{
    if (isStaff(principal) || resource.spec.entity != "contribution")
        return;
    if (domain::intField(record, "partner_id") == principal.partnerId)
        return;
    for (const char* field : REDACTED_CONTRIBUTION_FIELDS)
        record[field] = Var();
}

std::set<std::string> AccessPolicy::hiddenFields(const Principal& principal, const Resource& resource) const
{
    if (isStaff(principal) || resource.spec.entity != "contribution")
        return {};
    return {std::begin(REDACTED_CONTRIBUTION_FIELDS), std::end(REDACTED_CONTRIBUTION_FIELDS)};
}

} // namespace captrack::service
