#pragma once

#include "captrack/domain/Principal.h"
#include "captrack/domain/Record.h"
#include "captrack/domain/ResourceSpec.h"

#include <Poco/Data/Session.h>

#include <optional>
#include <string>

namespace captrack::service
{

/// Appends audit events (docs/DOMAIN.md "audit event") through storage::AuditStore on the caller's
/// session, so that each event commits or rolls back with the change it records. Every call throws
/// Poco::IllegalStateException for a principal that is neither a signed-in user nor the system, and the
/// driver's exceptions. Stateless; safe for concurrent use.
class AuditLog
{
public:
    /// Records one create/update/delete of a resource. `before` is null for a create, `after` null
    /// for a delete; `changes` holds each field whose value differs, as {"field": {"old": .., "new": ..}}.
    static void record(Poco::Data::Session& session, const domain::Principal& actor, const std::string& at,
                       const std::string& action, const domain::ResourceSpec& spec, const domain::Record* before,
                       const domain::Record* after);

    /// The `changes` JSON of one field going from `before` to `after`.
    [[nodiscard]] static std::string change(const std::string& field, const Poco::Dynamic::Var& before,
                                            const Poco::Dynamic::Var& after);

    /// Records an event of this kind of record whose changes are given as a ready JSON text.
    static void recordRaw(Poco::Data::Session& session, const domain::Principal& actor, const std::string& at,
                          const std::string& action, domain::Entity entity, Poco::Int64 entityId,
                          std::optional<Poco::Int64> projectId, const std::string& changesJson);
};

} // namespace captrack::service
