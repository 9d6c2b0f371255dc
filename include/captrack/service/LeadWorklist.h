#pragma once

#include "captrack/domain/Clock.h"
#include "captrack/domain/Date.h"
#include "captrack/domain/Principal.h"
#include "captrack/domain/Record.h"
#include "captrack/service/AccessPolicy.h"
#include "captrack/storage/Database.h"
#include "captrack/storage/RecordStore.h"

#include <optional>
#include <string>
#include <vector>

namespace captrack::service
{

/// Why a milestone needs its lead's update.
enum class UpdateReason
{
    Overdue, ///< due before the as-of day
    DueSoon, ///< due from the as-of day to the end of the look-ahead
    Stale,   ///< not changed for stale days or more
};

/// "overdue", "due_soon" or "stale": the reason as the API writes it.
[[nodiscard]] const char* reasonName(UpdateReason reason);

/// How far ahead and how far back the list looks, in days (settings `lead.look_ahead_days` and
/// `lead.stale_days`; a request may name others within the bounds).
struct WorklistWindow
{
    long lookAheadDays = 30; ///< 0..MAX_LOOK_AHEAD_DAYS
    long staleDays = 28;     ///< 1..MAX_STALE_DAYS

    static constexpr long MAX_LOOK_AHEAD_DAYS = 366;
    static constexpr long MAX_STALE_DAYS = 3650;
};

/// One milestone that needs its lead's update, with why.
struct WorklistItem
{
    domain::Record milestone; ///< the whole stored milestone, as GET /milestones/{id} shows it
    std::string projectCode;
    std::string projectTitle;
    std::vector<UpdateReason> reasons; ///< in the order of UpdateReason; never empty
    long overdueDays = 0;              ///< as-of − due when due < as-of, else 0 (docs/DOMAIN.md status rules)
    long daysLeft = 0;                 ///< due − as-of; negative when overdue
    long daysUntouched = 0;            ///< as-of − the day of its last change; 0 when changed after as-of
};

/// The milestones that need a lead's update, most urgent first.
struct Worklist
{
    domain::Date asOf = domain::Date::fromDays(0);
    WorklistWindow window;
    std::vector<WorklistItem> items; ///< at most LeadWorklist::MAX_ITEMS
    Poco::Int64 total = 0;           ///< every milestone that needs an update, listed or not
};

/// "Needs your update" (docs/WEB.md): across the projects a user leads, the open
/// milestones (neither done nor cancelled) that are overdue, due within the look-ahead or untouched for
/// the stale days. Two set-based statements and one for the dependency lists, on one read snapshot,
/// whatever the number of projects. Stateless apart from references to thread-safe objects: safe for
/// concurrent use.
class LeadWorklist
{
public:
    /// `defaults` is the window of a request that names none.
    LeadWorklist(storage::Database& database, const domain::Clock& clock, WorklistWindow defaults);
    LeadWorklist(const LeadWorklist&) = delete;
    LeadWorklist& operator=(const LeadWorklist&) = delete;

    [[nodiscard]] const WorklistWindow& defaults() const noexcept { return _defaults; }

    /// The worklist of the principal's own projects (`projects.lead_user_id`) as of `asOf` (default:
    /// today, UTC); empty for a user who leads nothing. Sorted by overdue days (most first), then due
    /// date, project code and milestone id. ForbiddenError for partners (AccessPolicy::checkOwnWorklist).
    [[nodiscard]] Worklist needsUpdate(const domain::Principal& principal, std::optional<domain::Date> asOf,
                                       const WorklistWindow& window) const;

    /// The most items one answer lists; `total` counts them all.
    static constexpr std::size_t MAX_ITEMS = 500;

private:
    storage::Database& _database;
    const domain::Clock& _clock;
    WorklistWindow _defaults;
    storage::RecordStore _store;
    AccessPolicy _policy;
};

} // namespace captrack::service
