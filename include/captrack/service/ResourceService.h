#pragma once

#include "captrack/domain/Clock.h"
#include "captrack/domain/Principal.h"
#include "captrack/service/AccessPolicy.h"
#include "captrack/service/Resource.h"
#include "captrack/storage/Database.h"
#include "captrack/storage/RecordStore.h"

#include <functional>
#include <optional>
#include <set>

namespace captrack::service
{

/// Extra writes a caller makes inside a create's or update's transaction, after the record is stored.
using InTransaction = std::function<void(Poco::Data::Session&, const domain::Record& stored)>;

/// Reads and writes any resource by the rules of docs/DOMAIN.md and docs/HTTP.md: the AccessPolicy first (404 for what
/// the principal may not see, 403 for what it may not change), validation of every field (422 listing each bad one),
/// references that must exist, unique codes (409), optimistic concurrency (428/412), and one transaction per write with
/// its audit event and hook rows. Nothing of a rejected write is stored. Stateless apart from references to shared,
/// thread-safe objects: safe for concurrent use.
class ResourceService
{
public:
    /// `thresholds` judge computed health where a write may change it (the `project.health_changed` webhook).
    ResourceService(storage::Database& database, const domain::Clock& clock,
                    const domain::HealthThresholds& thresholds = {});
    ResourceService(const ResourceService&) = delete;
    ResourceService& operator=(const ResourceService&) = delete;

    /// The record as the principal may see it; NotFoundError when absent or not visible to it.
    [[nodiscard]] domain::Record get(const domain::Principal& principal, const Resource& resource,
                                     Poco::Int64 id) const;
    /// The id of the first record matching the condition (from storage::ListConditions or ListFilters)
    /// among those the principal may see, if any (one statement: a record hidden from the principal costs
    /// the same as a missing one). Callers go on to get/update/remove, which check the rest.
    [[nodiscard]] std::optional<Poco::Int64> findId(const domain::Principal& principal, const Resource& resource,
                                                    const storage::Condition& condition) const;
    /// findId on the caller's session (inside its transaction).
    [[nodiscard]] std::optional<Poco::Int64> findIdIn(Poco::Data::Session& session, const domain::Principal& principal,
                                                      const Resource& resource,
                                                      const storage::Condition& condition) const;
    /// The id when a record with it exists and the principal may see it, as findId.
    [[nodiscard]] std::optional<Poco::Int64> findVisibleId(const domain::Principal& principal, const Resource& resource,
                                                           Poco::Int64 id) const;
    /// The id of the record with this code that the principal may see, as findId.
    [[nodiscard]] std::optional<Poco::Int64> findIdByCode(const domain::Principal& principal, const Resource& resource,
                                                          const std::string& code) const;
    /// The id of the project's link to the mission, if the principal may see it, as findId.
    [[nodiscard]] std::optional<Poco::Int64> findMissionLink(const domain::Principal& principal, Poco::Int64 projectId,
                                                             Poco::Int64 missionId) const;
    /// NotFoundError unless the parent of a nested resource exists and the principal may see it,
    /// both asked in one statement.
    void checkParentVisible(const domain::Principal& principal, const Resource& resource, Poco::Int64 parentId) const;
    /// A page of what the principal may see, redacted for it.
    [[nodiscard]] storage::Page list(const domain::Principal& principal, const Resource& resource,
                                     storage::ListQuery query) const;
    /// The same page as JSON text (pageJsonText of list()), written straight from the rows where nothing
    /// needs redacting for the principal (AccessPolicy::mayRedact), through list() where it may.
    [[nodiscard]] std::string listJson(const domain::Principal& principal, const Resource& resource,
                                       storage::ListQuery query) const;
    [[nodiscard]] const AccessPolicy& policy() const { return _policy; }
    [[nodiscard]] const domain::Clock& clock() const { return _clock; }
    [[nodiscard]] const domain::HealthThresholds& thresholds() const { return _thresholds; }

    /// Creates a record from client input (raw JSON values). parentId names the parent for nested
    /// resources (NotFoundError when it does not exist). Returns the stored record.
    domain::Record create(const domain::Principal& actor, const Resource& resource, const domain::Record& input,
                          std::optional<Poco::Int64> parentId = std::nullopt,
                          const InTransaction& alsoInTransaction = {}) const;
    /// Applies a partial update. expectedVersion comes from If-Match; without it the input's
    /// `version` is used; without both, PreconditionRequiredError. A stale version gives
    /// PreconditionFailedError. An update that changes nothing returns the record unchanged.
    domain::Record update(const domain::Principal& actor, const Resource& resource, Poco::Int64 id,
                          const domain::Record& input, std::optional<Poco::Int64> expectedVersion,
                          const InTransaction& alsoInTransaction = {}) const;
    /// create() and update() inside the caller's transaction on `session` (an import writes many records in
    /// one), unredacted: the caller redacts what it answers. With `deferredRollups`, the projects whose
    /// roll-ups the write changed are added there for the caller to refresh before it commits
    /// (WriteContext::deferredRollups).
    domain::Record createIn(Poco::Data::Session& session, const domain::Principal& actor, const Resource& resource,
                            const domain::Record& input, std::optional<Poco::Int64> parentId = std::nullopt,
                            const InTransaction& alsoInTransaction = {},
                            std::set<Poco::Int64>* deferredRollups = nullptr) const;
    domain::Record updateIn(Poco::Data::Session& session, const domain::Principal& actor, const Resource& resource,
                            Poco::Int64 id, const domain::Record& input, std::optional<Poco::Int64> expectedVersion,
                            const InTransaction& alsoInTransaction = {},
                            std::set<Poco::Int64>* deferredRollups = nullptr) const;
    /// Deletes a record under the same version rules as update; ConflictError while still referenced.
    void remove(const domain::Principal& actor, const Resource& resource, Poco::Int64 id,
                std::optional<Poco::Int64> expectedVersion) const;

private:
    void checkReferences(Poco::Data::Session& session, const domain::ResourceSpec& spec, const domain::Record& after,
                         const domain::Record* before, FieldErrors& errors) const;
    void checkUnique(Poco::Data::Session& session, const domain::ResourceSpec& spec, const domain::Record& after,
                     const domain::Record* before) const;
    /// NotFoundError unless the parent project exists and the principal may see it (one statement).
    void checkParentVisible(Poco::Data::Session& session, const domain::Principal& principal, const Resource& resource,
                            Poco::Int64 parentId) const;
    /// The record when the actor may see it (locked until the transaction ends when `lock`), else NotFoundError.
    [[nodiscard]] domain::Record visibleOrNotFound(Poco::Data::Session& session, const domain::Principal& actor,
                                                   const Resource& resource, Poco::Int64 id, bool lock) const;
    /// Before a write takes the project's turn: the record must be one the actor sees and may change, so
    /// that a write refused as not found or forbidden waits for nobody (nor tells, by waiting, that a
    /// hidden record exists and is being written). The target whose turn the write then takes: the record and,
    /// for a nested one, its parent as just read (saves the hooks reading it again).
    [[nodiscard]] WriteTarget checkBeforeTurn(Poco::Data::Session& session, const domain::Principal& actor,
                                              const Resource& resource, Poco::Int64 id) const;

    storage::Database& _database;
    const domain::Clock& _clock;
    domain::HealthThresholds _thresholds;
    storage::RecordStore _store;
    AccessPolicy _policy;
};

/// The version a write expects: If-Match, or the body's `version`, or both when they agree; throws
/// PreconditionRequiredError without either, and BadRequestError for a body version that is not a whole
/// number or that differs from If-Match.
[[nodiscard]] Poco::Int64 expectedVersionOf(const domain::Record& input, std::optional<Poco::Int64> ifMatch);

} // namespace captrack::service
