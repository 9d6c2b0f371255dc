#pragma once

#include "captrack/domain/Clock.h"
#include "captrack/domain/Principal.h"
#include "captrack/service/AccessPolicy.h"
#include "captrack/storage/BaselineStore.h"
#include "captrack/storage/Database.h"
#include "captrack/storage/RecordStore.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <string>

namespace captrack::service
{

/// Named baselines (docs/DOMAIN.md "baseline") and milestone history. Taking a baseline copies each
/// milestone's forecast into its baseline_date and keeps the previous dates in an immutable snapshot,
/// all in one transaction with history rows and audit events. Reads follow the project's visibility
/// (AccessPolicy); taking a baseline is a write to the project. Safe for concurrent use.
class BaselineService
{
public:
    /// `thresholds` judge computed health, which a new baseline may change (`project.health_changed`).
    BaselineService(storage::Database& database, const domain::Clock& clock,
                    const domain::HealthThresholds& thresholds = {});
    BaselineService(const BaselineService&) = delete;
    BaselineService& operator=(const BaselineService&) = delete;

    /// Takes a baseline of the project from {"name", "reason"}. NotFoundError for a missing project,
    /// ValidationError for a missing name or reason, ConflictError for a name the project already used.
    /// Returns the baseline with its items.
    Poco::JSON::Object::Ptr take(const domain::Principal& actor, Poco::Int64 projectId,
                                 const Poco::JSON::Object& input) const;
    /// The project's baselines, oldest first, without items. NotFoundError for a missing project.
    [[nodiscard]] Poco::JSON::Array::Ptr list(const domain::Principal& principal, Poco::Int64 projectId) const;
    /// One baseline of the project, by id or name, with items. NotFoundError when absent.
    [[nodiscard]] Poco::JSON::Object::Ptr get(const domain::Principal& principal, Poco::Int64 projectId,
                                              const std::string& idOrName) const;
    /// The history rows of a milestone, oldest first. NotFoundError when the milestone never existed.
    [[nodiscard]] Poco::JSON::Array::Ptr milestoneHistory(const domain::Principal& principal,
                                                          Poco::Int64 milestoneId) const;

private:
    /// One baseline of the project by id (all digits) or name, with its items when asked; NotFoundError.
    Poco::JSON::Object::Ptr load(Poco::Data::Session& session, Poco::Int64 projectId, const std::string& idOrName,
                                 bool withItems) const;

    /// NotFoundError unless the project exists and the principal may see it.
    void checkProjectReadable(Poco::Data::Session& session, const domain::Principal& principal,
                              Poco::Int64 projectId) const;

    storage::Database& _database;
    const domain::Clock& _clock;
    domain::HealthThresholds _thresholds;
    /// Adds each of the project's milestones to the baseline and moves its baseline date to its forecast,
    /// with its history row and audit event.
    void snapshotMilestones(Poco::Data::Session& session, const domain::Principal& actor, const std::string& at,
                            Poco::Int64 projectId, Poco::Int64 baselineId) const;

    storage::RecordStore _store;
    storage::BaselineStore _baselines;
    AccessPolicy _policy;
};

} // namespace captrack::service
