#pragma once

#include "captrack/domain/Principal.h"
#include "captrack/domain/Record.h"
#include "captrack/domain/ResourceSpec.h"
#include "captrack/domain/StatusRules.h"
#include "captrack/storage/RecordStore.h"

#include <Poco/Data/Session.h>

#include <memory>
#include <optional>
#include <set>
#include <string>

namespace captrack::service
{

/// What a write hook knows of the write it is part of.
struct WriteContext
{
    const domain::Principal& actor;
    std::string at; ///< the write's time, RFC 3339 UTC
    const storage::RecordStore& store;
    /// Null: each write refreshes the roll-ups of its project itself. Else the projects whose roll-ups
    /// the caller refreshes once, before its commit, for all its writes (an import of many rows).
    std::set<Poco::Int64>* deferredRollups = nullptr;
    /// What computed health is judged by, for the `project.health_changed` webhook event.
    domain::HealthThresholds thresholds = {};
};

/// What a write is about to change, as WriteHooks::lockFirst learns it: the record of an update or delete
/// (`id`), and the parent of a nested record (`parentId`): of one being created, or of the record being
/// changed as the write last read it (none when the write has not read it).
struct WriteTarget
{
    std::optional<Poco::Int64> id;
    std::optional<Poco::Int64> parentId;
};

/// The steps of a write that are particular to one resource and need the database. Hooks run inside
/// the write's transaction; anything they throw rolls the whole write back. Implementations are
/// stateless and safe for concurrent use.
class WriteHooks
{
public:
    virtual ~WriteHooks() = default;
    /// Runs first in an update or delete, before the record is read and locked, and in a create of a
    /// nested record once its parent is known to be visible: takes the locks that the hooks' own writes
    /// will need, so that every writer takes them in one order and concurrent writes queue instead of
    /// deadlocking.
    virtual void lockFirst(Poco::Data::Session&, const WriteTarget&) const {}
    /// Checks needing stored data, on the complete new record (`before` is null for a create).
    virtual void check(Poco::Data::Session&, const WriteContext&, const domain::Record& /*after*/,
                       const domain::Record* /*before*/, FieldErrors&) const
    {
    }
    /// Appends what derives from a create or update (history rows), after the record was stored.
    virtual void afterWrite(Poco::Data::Session&, const WriteContext&, const domain::Record& /*after*/,
                            const domain::Record* /*before*/) const
    {
    }
    /// Appends what derives from a delete, after the record was removed.
    virtual void afterDelete(Poco::Data::Session&, const WriteContext&, const domain::Record& /*before*/) const {}
};

/// A resource kind: its description and its write hooks.
struct Resource
{
    const domain::ResourceSpec& spec;
    std::shared_ptr<const WriteHooks> hooks;
};

} // namespace captrack::service
