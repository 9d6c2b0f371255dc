#pragma once

#include "captrack/domain/Principal.h"
#include "captrack/service/Resource.h"
#include "captrack/storage/RecordStore.h"

#include <Poco/Data/Session.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace captrack::service
{

/// The one place that decides who may read and write what (docs/DOMAIN.md "Who uses it", "Visibility"),
/// from the resource's domain::Entity, the principal's Role and, through storage::ProjectVisibility, the
/// project's Visibility. It owns the partner-redaction rule too (redactedContributionFields).
///  - admin: everything.  reviewer: reads everything, writes nothing.
///  - lead: reads everything; writes projects it leads (a project it creates names it lead) and their
///    milestones, contributions, mission links and baselines.
///  - partner: reads reference data, the projects visible to its partner (public ones, and
///    `participants` ones it contributes to) with their milestones, mission links and contributions,
///    where other partners' contributions show only partner and role. Writes nothing.
/// What a principal may not see is NotFoundError (404), never ForbiddenError, so that it cannot learn
/// that it exists; what it may see but not change is ForbiddenError (403). Stateless; thread-safe.
class AccessPolicy
{
public:
    /// Throws NotFoundError when the principal may not see the stored record.
    void checkRead(Poco::Data::Session& session, const domain::Principal& principal, const Resource& resource,
                   const domain::Record& record) const;
    /// Checks that need only the id, before the record is looked up, so that the answer does not
    /// tell whether it exists: ForbiddenError for a non-admin asking for another user.
    void checkReadById(const domain::Principal& principal, const Resource& resource, Poco::Int64 id) const;
    /// Throws NotFoundError or ForbiddenError when the principal may not create (before == null),
    /// change or delete (after == null) the record. Called before any other check of the write.
    void checkWrite(Poco::Data::Session& session, const domain::Principal& principal, const Resource& resource,
                    const domain::Record* before, const domain::Record* after) const;
    /// Adds the conditions that keep a list to what the principal may see; ForbiddenError for
    /// resources the role may not list at all.
    void restrictList(const domain::Principal& principal, const Resource& resource, storage::ListQuery& query) const;
    /// The condition, over the resource's own table, of the records the principal may see (empty
    /// when it may see them all). Lookups by id or code add it to their own statement, so that a
    /// record the principal may not see is not found by the same work that finds no record at all
    /// (no second query, no difference in time). Users are not covered: see checkReadById.
    [[nodiscard]] storage::Condition visibleRecords(const domain::Principal& principal, const Resource& resource) const;
    /// Blanks what the principal may not see in a record it may see: on other partners'
    /// contributions, the amounts and also `version`, `created_at` and `updated_at`, which would
    /// tell when a hidden amount changed (with no version, the record's answer has no ETag either).
    void redact(const domain::Principal& principal, const Resource& resource, domain::Record& record) const;
    /// Whether redact() may blank anything of this resource's records for this principal (false: every
    /// record is shown as stored, and a page may be written straight from its rows).
    [[nodiscard]] static bool mayRedact(const domain::Principal& principal, const Resource& resource);
    /// ForbiddenError for a role that may change nothing at all (reviewers, partners): checkWrite's first
    /// rule, asked alone by a caller about to write many records (an import).
    void checkMayWriteAny(const domain::Principal& principal) const;
    /// ForbiddenError for partners, whose users lead no projects and may change nothing: the list of
    /// milestones that need their lead's update (LeadWorklist) is for staff roles, each over the
    /// projects it leads.
    void checkOwnWorklist(const domain::Principal& principal) const;
    /// ForbiddenError for anyone but admins: the mail outbox names every user's address.
    void checkMailOutbox(const domain::Principal& principal) const;
    /// Fields the principal may neither filter nor sort by on this resource (they are redacted on
    /// some rows, so ordering or filtering by them would reveal them).
    [[nodiscard]] std::set<std::string> hiddenFields(const domain::Principal& principal,
                                                     const Resource& resource) const;

    /// The condition (over the table `projects`, not aliased) of the projects a partner may see;
    /// empty for staff roles. An opaque value for storage (the report layer adds it to its statements).
    [[nodiscard]] static storage::Condition visibleProjects(const domain::Principal& principal);
    /// True for roles that see every project.
    [[nodiscard]] static bool isStaff(const domain::Principal& principal);
    /// The fields of a contribution that a partner does not see on another partner's contribution: its
    /// amounts and details, and `version`, `created_at`, `updated_at`, which would tell when they changed.
    /// The one list of them: redact() blanks them, and any other reader (the portfolio report) asks
    /// seesContributionDetails() before it shows them.
    [[nodiscard]] static const std::vector<std::string>& redactedContributionFields();
    /// True when the principal sees the redactedContributionFields() of a contribution by this partner:
    /// staff roles always, a partner on its own contributions only.
    [[nodiscard]] static bool seesContributionDetails(const domain::Principal& principal,
                                                      std::optional<Poco::Int64> contributionPartnerId);

private:
    /// NotFoundError unless the principal may see the project (one statement; none for staff).
    void checkProjectVisible(Poco::Data::Session& session, const domain::Principal& principal,
                             Poco::Int64 projectId) const;
    /// ForbiddenError unless the principal leads the project.
    void checkLeads(Poco::Data::Session& session, const domain::Principal& principal, Poco::Int64 projectId) const;
};

} // namespace captrack::service
