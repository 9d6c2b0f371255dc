#pragma once

#include "captrack/domain/Clock.h"
#include "captrack/domain/Principal.h"
#include "captrack/service/Resource.h"
#include "captrack/storage/Database.h"
#include "captrack/storage/RecordStore.h"

#include <optional>

namespace captrack::service
{

/// Reads and writes any resource by DESIGN.md's rules: validation of every field (422 listing each
/// bad one), references that must exist, unique codes (409), optimistic concurrency (428/412), and
/// one transaction per write with its audit event and hook rows. Nothing of a rejected write is
/// stored. Stateless apart from references to shared, thread-safe objects: safe for concurrent use.
class ResourceService
{
public:
    ResourceService(storage::Database& database, const domain::Clock& clock);
    ResourceService(const ResourceService&) = delete;
    ResourceService& operator=(const ResourceService&) = delete;

    /// Throws NotFoundError.
    [[nodiscard]] domain::Record get(const Resource& resource, Poco::Int64 id) const;
    /// The first record whose `field` equals value; throws NotFoundError.
    [[nodiscard]] domain::Record getBy(const Resource& resource, const std::string& field,
                                       const Poco::Dynamic::Var& value) const;
    /// The first record matching the condition, if any.
    [[nodiscard]] std::optional<domain::Record> findOne(const Resource& resource,
                                                        const storage::Condition& condition) const;
    /// True when the table has a row with this id.
    [[nodiscard]] bool exists(const std::string& table, Poco::Int64 id) const;
    [[nodiscard]] storage::Page list(const Resource& resource, const storage::ListQuery& query) const;

    /// Creates a record from client input (raw JSON values). parentId names the parent for nested
    /// resources (NotFoundError when it does not exist). Returns the stored record.
    domain::Record create(const domain::Principal& actor, const Resource& resource, const domain::Record& input,
                          std::optional<Poco::Int64> parentId = std::nullopt) const;
    /// Applies a partial update. expectedVersion comes from If-Match; without it the input's
    /// `version` is used; without both, PreconditionRequiredError. A stale version gives
    /// PreconditionFailedError. An update that changes nothing returns the record unchanged.
    domain::Record update(const domain::Principal& actor, const Resource& resource, Poco::Int64 id,
                          const domain::Record& input, std::optional<Poco::Int64> expectedVersion) const;
    /// Deletes a record under the same version rules as update; ConflictError while still referenced.
    void remove(const domain::Principal& actor, const Resource& resource, Poco::Int64 id,
                std::optional<Poco::Int64> expectedVersion) const;

private:
    void checkReferences(Poco::Data::Session& session, const domain::ResourceSpec& spec, const domain::Record& after,
                         const domain::Record* before, FieldErrors& errors) const;
    void checkUnique(Poco::Data::Session& session, const domain::ResourceSpec& spec, const domain::Record& after,
                     const domain::Record* before) const;

    storage::Database& _database;
    const domain::Clock& _clock;
    storage::RecordStore _store;
};

/// The version a write expects: If-Match if given, else the body's `version`; throws
/// PreconditionRequiredError without either and BadRequestError for a body version that is not a number.
[[nodiscard]] Poco::Int64 expectedVersionOf(const domain::Record& input, std::optional<Poco::Int64> ifMatch);

} // namespace captrack::service
