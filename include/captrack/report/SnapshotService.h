#pragma once

#include "captrack/domain/Clock.h"
#include "captrack/domain/Principal.h"
#include "captrack/report/PortfolioChanges.h"
#include "captrack/report/ReportFormat.h"
#include "captrack/report/ReportService.h"
#include "captrack/storage/Database.h"
#include "captrack/storage/SnapshotStore.h"

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace captrack::report
{

/// Published portfolio report snapshots (docs/HTTP.md "Report snapshots"). A reviewer or an admin
/// publishes the report of a request under a name: every format the live report has is rendered once
/// and stored with the state it was built from, in one transaction with its audit event; from then on
/// the snapshot is served back from what was stored, byte for byte. Never edited; an admin may delete
/// one (audited). Snapshots are for staff: partners are refused every snapshot (403), since a snapshot
/// holds every partner's amounts. Safe for concurrent use.
class SnapshotService
{
public:
    /// The formats every snapshot is rendered in: the live portfolio report's.
    static const std::vector<ReportFormat>& formats();

    SnapshotService(storage::Database& database, const domain::Clock& clock, const ReportService& reports);

    /// Told of each publication inside its transaction, with what changed since the snapshot published
    /// before it (none for the first): the place to queue what others must hear of it (mail to the
    /// reviewers, webhook events), so that a snapshot and its news commit together or not at all.
    using Published = std::function<void(Poco::Data::Session& session, const storage::SnapshotRow& snapshot,
                                         const PortfolioChanges* sincePrevious)>;
    /// Adds a listener. Not thread-safe: call while the server is being built.
    void onPublished(Published listener) { _listeners.push_back(std::move(listener)); }

    /// Publishes the report of `request` as `name` (1 to 100 characters, one line, not all digits, so
    /// that `{id or name}` addresses it). ForbiddenError unless a reviewer or an admin (or the server
    /// itself: schedules); ValidationError for the name; BadRequestError as ReportService::check;
    /// ConflictError when the name (or the schedule's period) is taken; OverloadedError (503) when every
    /// report permit is taken.
    storage::SnapshotRow publish(const domain::Principal& principal, const std::string& name,
                                 const PortfolioRequest& request,
                                 const std::optional<std::string>& schedulePeriod = std::nullopt) const;

    /// A page of snapshots, newest first, and how many there are. ForbiddenError for a partner.
    [[nodiscard]] std::pair<std::vector<storage::SnapshotRow>, Poco::Int64> list(const domain::Principal& principal,
                                                                                 std::size_t limit,
                                                                                 std::size_t offset) const;
    /// The snapshot with this id (decimal digits) or name. NotFoundError when there is none;
    /// ForbiddenError for a partner.
    [[nodiscard]] storage::SnapshotRow find(const domain::Principal& principal, const std::string& idOrName) const;
    /// Whether a schedule's period has its snapshot (report_snapshots.schedule_period).
    [[nodiscard]] bool periodPublished(const std::string& period) const;
    /// The formats a snapshot was stored in.
    [[nodiscard]] std::vector<std::string> formatsOf(Poco::Int64 snapshotId) const;
    /// A snapshot (from find()) in a format, as stored at publication. BadRequestError for a format the
    /// live report does not have.
    [[nodiscard]] storage::RenderingRow rendering(const storage::SnapshotRow& snapshot,
                                                  const std::string& format) const;
    /// The state the snapshot was built from.
    [[nodiscard]] storage::PortfolioState state(const storage::SnapshotRow& snapshot) const;
    /// Deletes a snapshot and all it holds (audited). ForbiddenError unless an admin; NotFoundError.
    void remove(const domain::Principal& principal, const std::string& idOrName) const;

    /// What changed from the snapshot `from` to the snapshot `to`, or to now when `to` is "now": the
    /// state of the report `from` was published for (its filters), judged today, read under a report
    /// permit (OverloadedError while every permit is taken). NotFoundError, ForbiddenError as find().
    [[nodiscard]] PortfolioChanges changes(const domain::Principal& principal, const std::string& from,
                                           const std::string& to) const;
    /// A project's health at each snapshot that holds it, oldest first. ForbiddenError as list().
    [[nodiscard]] std::vector<std::pair<storage::SnapshotRow, storage::ProjectStateRow>> healthHistory(
        const domain::Principal& principal, Poco::Int64 projectId) const;

    /// The request a snapshot was published for (its filters, grouping, date and list limit).
    [[nodiscard]] static PortfolioRequest requestOf(const storage::SnapshotRow& snapshot);

private:
    /// Calls each listener, in the publication's transaction.
    void tell(Poco::Data::Session& session, const storage::SnapshotRow& snapshot,
              const storage::PortfolioState& state) const;

    storage::Database& _database;
    const domain::Clock& _clock;
    const ReportService& _reports;
    storage::SnapshotStore _store;
    std::vector<Published> _listeners;
};

/// Staff (admin, reviewer, lead) may read snapshots and what changed; ForbiddenError for anyone else.
void checkMayReadSnapshots(const domain::Principal& principal);
/// Reviewers and admins (and the server itself) publish; ForbiddenError for anyone else.
void checkMayPublishSnapshots(const domain::Principal& principal);

} // namespace captrack::report
