#pragma once

// Folder-private: the names people read in the audit trail (AuditReader).

#include "captrack/domain/Vocabulary.h"

#include <Poco/Data/Session.h>
#include <Poco/JSON/Object.h>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace captrack::service
{

/// What an audit event is about: enough to name its user and its entity.
struct AuditSubject
{
    std::optional<Poco::Int64> userId;  ///< none for the server's own writes
    std::string entity;                 ///< as stored: project, milestone, contribution, mission_link, user, ...
    std::optional<domain::Entity> kind; ///< the entity, when its name is one this build knows
    Poco::Int64 entityId = 0;
    Poco::JSON::Object::Ptr changes; ///< the event's {"field": {"old", "new"}}
};

/// The names of a page of audit events, looked up (storage::AuditStore) with one statement per kind of
/// record on the page (never one per event). A value: build one per page, then read it from any thread.
struct AuditLabels
{
    /// users.display_name by user id.
    std::map<Poco::Int64, std::string> userNames;
    /// The label of each stored (entity, entity id) of the page.
    std::map<std::pair<domain::Entity, Poco::Int64>, std::string> storedLabels;
    /// For records that no longer exist: the partners' names and missions' codes their changes name.
    std::map<Poco::Int64, std::string> partnerNames;
    std::map<Poco::Int64, std::string> missionCodes;

    /// Looks up every name the subjects need:
    ///  project: "CODE — title"; partner, mission, capability area, objective: "CODE — name";
    ///  milestone: its title; contribution: "partner name: kind"; mission link: the mission's code;
    ///  user: the username; baseline and API token: their name.
    /// A record that no longer exists is named from the event's own `changes` (the new value of each
    /// field, else the old one), when they hold what its label needs.
    [[nodiscard]] static AuditLabels lookUp(Poco::Data::Session& session, const std::vector<AuditSubject>& subjects);

    [[nodiscard]] std::optional<std::string> userName(const AuditSubject& subject) const;
    [[nodiscard]] std::optional<std::string> entityLabel(const AuditSubject& subject) const;
};

} // namespace captrack::service
