#pragma once

#include "captrack/domain/Vocabulary.h"

#include <Poco/Data/Session.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace captrack::storage
{

/// One row of the audit trail (table audit_events).
struct AuditEvent
{
    Poco::Int64 id = 0;                ///< set by the database; ignored by append
    std::string at;                    ///< RFC 3339 UTC
    std::optional<Poco::Int64> userId; ///< none for the server's own writes
    std::string action;                ///< create, update, delete
    std::string entity; ///< the name of a domain::Entity as written (kept as text: the trail outlives code)
    Poco::Int64 entityId = 0;
    std::optional<Poco::Int64> projectId;
    std::string changes; ///< JSON text {"field": {"old", "new"}}
};

/// Which events to read; every member optional, all given ones must hold.
struct AuditFilter
{
    std::optional<std::string> since; ///< `at` at or after
    std::optional<std::string> until; ///< `at` before
    std::optional<Poco::Int64> userId;
    std::optional<std::string> entity;
    std::optional<Poco::Int64> projectId;
};

/// The audit trail's table, and the names its readers show next to ids. Every call runs on the
/// caller's session (and so in its transaction) and throws the driver's exceptions. Stateless; safe
/// for concurrent use.
class AuditStore
{
public:
    /// Appends one event.
    static void append(Poco::Data::Session& session, const AuditEvent& event);
    /// How many events the filter keeps.
    [[nodiscard]] static Poco::Int64 count(Poco::Data::Session& session, const AuditFilter& filter);
    /// One page of the events the filter keeps, newest (highest id) first.
    [[nodiscard]] static std::vector<AuditEvent> newestFirst(Poco::Data::Session& session, const AuditFilter& filter,
                                                             std::size_t limit, std::size_t offset);
    /// users.display_name of each of these users that exists.
    [[nodiscard]] static std::map<Poco::Int64, std::string> userDisplayNames(Poco::Data::Session& session,
                                                                             const std::set<Poco::Int64>& ids);
    /// The columns that name each stored record of this kind among `ids`, as text (empty for NULL):
    /// project: code, title; partner, mission, capability area, objective: code, name; milestone: title;
    /// user: username; baseline, API token: name; contribution: its partner's name, its kind; mission
    /// link: its mission's code. Records that no longer exist are absent; empty for any other kind.
    [[nodiscard]] static std::map<Poco::Int64, std::vector<std::string>> labelsOf(Poco::Data::Session& session,
                                                                                  domain::Entity entity,
                                                                                  const std::set<Poco::Int64>& ids);
    /// partners.name of each of these partners that exists.
    [[nodiscard]] static std::map<Poco::Int64, std::string> partnerNames(Poco::Data::Session& session,
                                                                         const std::set<Poco::Int64>& ids);
    /// missions.code of each of these missions that exists.
    [[nodiscard]] static std::map<Poco::Int64, std::string> missionCodes(Poco::Data::Session& session,
                                                                         const std::set<Poco::Int64>& ids);
};

} // namespace captrack::storage
