#pragma once

#include "captrack/domain/Date.h"
#include "captrack/domain/Principal.h"
#include "captrack/domain/Vocabulary.h"
#include "captrack/service/AccessPolicy.h"
#include "captrack/storage/Database.h"
#include "captrack/storage/RecordStore.h"

#include <string>
#include <vector>

namespace captrack::report
{

/// One milestone as a calendar shows it.
struct CalendarMilestone
{
    Poco::Int64 id = 0;
    Poco::Int64 projectId = 0;
    std::string title;
    std::string projectCode;
    std::string projectTitle;
    domain::MilestoneStatus status = domain::MilestoneStatus::Planned;
    int progress = 0;                             ///< 0..100
    domain::Date due = domain::Date::fromDays(0); ///< forecast date, else baseline date
    long slipDays = 0;                            ///< the status rules' slip: (actual if done, else due) − baseline
    std::string updatedAt;                        ///< RFC 3339 UTC
};

/// The milestones a principal may see now, for its calendar feed: those of every project it may see
/// (the visibility of GET /projects/{id}/milestones: AccessPolicy::restrictList over the milestones and
/// their projects, in one read snapshot), cancelled ones included, ordered by id; at most MAX_EVENTS.
/// Stateless apart from references to thread-safe objects: safe for concurrent use.
class MilestoneCalendar
{
public:
    explicit MilestoneCalendar(storage::Database& database);
    MilestoneCalendar(const MilestoneCalendar&) = delete;
    MilestoneCalendar& operator=(const MilestoneCalendar&) = delete;

    /// The principal's milestones; throws the storage layer's exceptions.
    [[nodiscard]] std::vector<CalendarMilestone> milestonesFor(const domain::Principal& principal) const;

    /// The most milestones one feed holds (the lowest ids).
    static constexpr std::size_t MAX_EVENTS = 10000;

private:
    storage::Database& _database;
    storage::RecordStore _store;
    service::AccessPolicy _policy;
};

} // namespace captrack::report
